import net from "node:net";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInFrance } from "../../src/server/collection/calendar.ts";
import {
  REMINDER_JOB,
  registerReminderJob,
  scheduleReminders,
} from "../../src/server/collection/reminder-job.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import type { Database } from "../../src/server/platform/index.ts";
import { createMailer } from "../../src/server/platform/mail.ts";
import { eventually, type JobTestDatabase, openJobTestDatabase } from "../helpers/jobs.ts";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";

/**
 * The daily `collection.reminders` run through the job runner (both runners on PostgreSQL): the
 * schedule enqueues it, a send the SMTP server refuses fails the try and the retry delivers, and
 * a second run the same day sends nothing more.
 */

const quiet = { info() {}, error() {} };
let jdb: JobTestDatabase;
let db: Kysely<Database>;
const servers: TestSmtpServer[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A campaign closing tomorrow (a reminder day by default) with one late school and its head. */
async function lateSchool(n: number): Promise<{ campaignId: string; email: string }> {
  const today = todayInFrance();
  const form = await db
    .insertInto("collection_form")
    .values({ code: `test-${n}`, version: 1, definition: JSON.stringify({}), created_by: "test" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const campaign = await db
    .insertInto("collection_campaign")
    .values({
      title: `Campagne ${n}`,
      template: "equipment",
      form_id: form.id,
      period: "2025-2026",
      territory: "academy:04",
      target: JSON.stringify({ territory: "academy:04" }),
      respondents: ["school-head"],
      opens_on: addDays(today, -10),
      closes_on: addDays(today, 1),
      expiry_days: 30,
      approval_levels: [],
      feed: "submitted",
      created_by: "test",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const uai = `03300${String(n).padStart(2, "0")}A`;
  await db
    .insertInto("collection_response")
    .values({
      campaign_id: campaign.id,
      school_id: String(1000 + n),
      uai,
      school_name: `Collège ${n}`,
      school_type: "college",
      academic_region_code: "75",
      academy_code: "04",
      department_code: "33",
      district_code: null,
    })
    .execute();
  const email = `principal.${n}@college.fr`;
  const user = await db
    .insertInto("app_user")
    .values({ email, status: "active" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("role_assignment")
    .values({ user_id: user.id, role: "school-head", territory_level: "school", territory_code: uai })
    .execute();
  return { campaignId: String(campaign.id), email };
}

beforeAll(async () => {
  jdb = await openJobTestDatabase();
  db = jdb.handle.db;
});
afterAll(async () => {
  await jdb?.close();
  for (const server of servers) await server.close();
});

describe(`collection.reminders jobs (${process.env.TEST_DATABASE_URL ? "postgresql" : "pglite"})`, () => {
  it("is enqueued by the schedule, retried after a refused send, and sends nothing more the same day", async () => {
    let n = 0;
    for (const kind of jdb.kinds) {
      n++;
      const { email } = await lateSchool(n);
      const port = await freePort();
      const mailer = createMailer(loadConfig({ SMTP_HOST: "127.0.0.1", SMTP_PORT: String(port) }));
      const runner = jdb.runner(kind);
      registerReminderJob(
        runner,
        db,
        { mailer, publicUrl: "http://vigie.test", log: quiet },
        { backoffMs: 300 },
      );
      await runner.start();
      // Nothing listens yet: the first try is refused.
      const schedule = scheduleReminders(runner, quiet);
      const failedOnce = await eventually(
        async () =>
          (
            await db
              .selectFrom("job")
              .select(["id", "error", "state"])
              .where("type", "=", REMINDER_JOB)
              .execute()
          ).find((j) => j.error !== null && j.state !== "done"),
        (j) => j !== undefined,
      );
      expect(failedOnce?.error).toMatch(/serveur de messagerie a refusé 1 relance/);
      expect(await db.selectFrom("collection_reminder").selectAll().execute()).toHaveLength(n - 1);
      const smtp = await startSmtpServer({ port });
      servers.push(smtp);
      const mail = await smtp.waitForMail(email, 15_000);
      expect(mail.subject).toContain(`Campagne ${n}`);
      const done = await eventually(
        () => runner.get(String(failedOnce?.id)),
        (job) => job?.state === "done",
      );
      expect(done?.result).toMatchObject({ schools: 1, mails: 1, failed: 0 });
      expect(await db.selectFrom("collection_reminder").selectAll().execute()).toHaveLength(n);
      schedule.stop();

      // The same day again: nothing is due any more.
      const again = await runner.enqueue(REMINDER_JOB, { kind: "scheduled" });
      const second = await eventually(
        () => runner.get(again),
        (job) => job?.state === "done",
      );
      expect(second?.result).toMatchObject({ schools: 0, mails: 0 });
      expect(smtp.messages).toHaveLength(1);
      await runner.stop({ timeoutMs: 1_000 });
      mailer.close();
    }
  });
});
