import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NATION } from "../../src/server/identity/permissions.ts";
import { jobDispatch, MAIL_JOB, registerMailJob } from "../../src/server/identity/users/mail-job.ts";
import { createUser, disableUser } from "../../src/server/identity/users/users.ts";
import { CLI_ACTOR } from "../../src/server/platform/audit.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import { createMailer, type MailLogger } from "../../src/server/platform/mail.ts";
import { eventually, type JobTestDatabase, openJobTestDatabase } from "../helpers/jobs.ts";
import { extractLink, startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";

/**
 * Identity's mails are `identity.mail` jobs: a refused send is retried with back-off, the payload
 * never holds a usable link, and a long job of the main lane never delays a mail.
 */

const PUBLIC_URL = "http://vigie.test";
const quietLog: MailLogger = { info() {}, error() {} };

let jdb: JobTestDatabase;
const servers: TestSmtpServer[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function invitedUser(email: string): Promise<string> {
  return (await createUser(jdb.handle.db, { email, status: "invited" }, CLI_ACTOR)).id;
}

beforeAll(async () => {
  jdb = await openJobTestDatabase();
});

afterAll(async () => {
  await jdb?.close();
  for (const server of servers) await server.close();
});

describe(`identity.mail jobs (${process.env.TEST_DATABASE_URL ? "postgresql" : "pglite"})`, () => {
  it("retries a send the SMTP server refused, then delivers a link that works, with no token stored", async () => {
    for (const kind of jdb.kinds) {
      const port = await freePort();
      const mailer = createMailer(loadConfig({ SMTP_HOST: "127.0.0.1", SMTP_PORT: String(port) }));
      const runner = jdb.runner(kind);
      registerMailJob(
        runner,
        jdb.handle.db,
        { config: { publicUrl: PUBLIC_URL }, mailer, log: quietLog },
        {
          maxAttempts: 4,
          backoffMs: 300,
        },
      );
      await runner.start();
      const email = `retry.${kind}@ac-bordeaux.fr`;
      const userId = await invitedUser(email);
      const dispatch = jobDispatch(runner, 3_000);
      // Nothing listens on the port yet: the first try is refused, the answer says « queued ».
      const outcome = await dispatch(
        {
          kind: "invitation",
          userId,
          grant: { role: "reader", scope: NATION },
          invitedBy: "admin@ac-test.fr",
        },
        { userId: null },
      );
      expect(outcome).toBe("queued");
      const job = await eventually(
        async () => {
          const rows = await jdb.handle.db
            .selectFrom("job")
            .select(["id", "state", "error", "attempts", "payload"])
            .where("type", "=", MAIL_JOB)
            .execute();
          return rows.find((row) => JSON.stringify(row.payload).includes(userId));
        },
        (row) => row?.error !== null && row?.error !== undefined,
      );
      expect(job?.error).toContain("serveur de messagerie");
      // The payload names the person by id: no address, no token.
      expect(JSON.stringify(job?.payload)).not.toContain("@ac-bordeaux.fr");
      expect(JSON.stringify(job?.payload)).not.toMatch(/[A-Za-z0-9_-]{43}/);

      const smtp = await startSmtpServer({ port });
      servers.push(smtp);
      const mail = await smtp.waitForMail(email, 15_000);
      expect(mail.subject).toBe("Invitation à rejoindre Vigie");
      expect(extractLink(mail, `${PUBLIC_URL}/activation?jeton=`)).toMatch(/jeton=[A-Za-z0-9_-]{43}$/);
      const done = await eventually(
        () => runner.get(String(job?.id)),
        (row) => row?.state === "done",
      );
      expect(done).toMatchObject({ state: "done", result: { delivery: "sent" } });
      expect(done?.attempts).toBeGreaterThanOrEqual(2);
      // Only the token of the delivered mail is live.
      const tokens = await jdb.handle.db
        .selectFrom("auth_token")
        .select("token_hash")
        .where("user_id", "=", userId)
        .where("used_at", "is", null)
        .execute();
      expect(tokens).toHaveLength(1);
      await runner.stop({ timeoutMs: 1_000 });
      mailer.close();
    }
  });

  it("sends a mail while a long job of the main lane is still running", async () => {
    const smtp = await startSmtpServer();
    servers.push(smtp);
    const mailer = createMailer(loadConfig({ SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port) }));
    const runner = jdb.runner("table");
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    runner.register("test.long", async () => held);
    registerMailJob(runner, jdb.handle.db, { config: { publicUrl: PUBLIC_URL }, mailer, log: quietLog });
    await runner.start();
    const longJob = await runner.enqueue("test.long", {});
    await eventually(
      () => runner.get(longJob),
      (job) => job?.state === "running",
    );
    const email = "pendant.import@ac-bordeaux.fr";
    const outcome = await jobDispatch(runner, 5_000)(
      {
        kind: "invitation",
        userId: await invitedUser(email),
        grant: { role: "reader", scope: NATION },
        invitedBy: "x",
      },
      { userId: null },
    );
    expect(outcome).toBe("sent");
    expect((await runner.get(longJob))?.state).toBe("running");
    release();
    await eventually(
      () => runner.get(longJob),
      (job) => job?.state === "done",
    );
    await runner.stop({ timeoutMs: 1_000 });
    mailer.close();
  });

  it("sends nothing for an account disabled before its mail left", async () => {
    const smtp = await startSmtpServer();
    servers.push(smtp);
    const mailer = createMailer(loadConfig({ SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port) }));
    const runner = jdb.runner("table");
    registerMailJob(runner, jdb.handle.db, { config: { publicUrl: PUBLIC_URL }, mailer, log: quietLog });
    const user = await createUser(
      jdb.handle.db,
      { email: "parti@ac-bordeaux.fr", status: "active", passwordHash: null },
      CLI_ACTOR,
    );
    await disableUser(jdb.handle.db, user.id, CLI_ACTOR);
    const userId = user.id;
    await runner.start();
    const outcome = await jobDispatch(runner, 5_000)({ kind: "password_reset", userId }, { userId });
    expect(outcome).toBe("skipped");
    expect(smtp.messages).toHaveLength(0);
    await runner.stop({ timeoutMs: 1_000 });
    mailer.close();
  });
});
