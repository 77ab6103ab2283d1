import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInFrance } from "../../src/server/collection/calendar.ts";
import { outlierWarnings } from "../../src/server/collection/index.ts";
import { peerStatsByField } from "../../src/server/collection/outlier-checks.ts";
import { peerStats } from "../../src/server/collection/outliers.ts";
import { sendReminders } from "../../src/server/collection/reminders.ts";
import { createMailer } from "../../src/server/platform/mail.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  openIdentityTestApp,
  type SignedIn,
  signIn,
} from "../helpers/identity.ts";
import { waitForJobDone } from "../helpers/jobs.ts";
import { extractLink, startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";

/**
 * Issue 11, items 6 and 7: reminders through a real SMTP server (who gets mail: the respondents
 * of the late schools only; the minimum interval and the maximum count), the daily schedule's
 * days, and the outliers (warnings for a school, the approver's list, SQL statistics equal to the
 * pure ones).
 */

const PUBLIC_URL = "http://vigie.test";
const quiet = { info() {}, error() {} };

describe(`collection reminders and outliers on ${testEngine}`, () => {
  let smtp: TestSmtpServer;
  let t: IdentityTestApp;
  let dane: SignedIn;
  let campaignId: string;
  let colleges: { id: string; uai: string; name: string; department: string }[];
  const today = todayInFrance();

  const recipients = () => smtp.messages.flatMap((m) => m.to).sort();
  const remind = async (id = campaignId) => {
    const res = await dane.request({ method: "POST", url: `/api/v1/collection/campaigns/${id}/reminders` });
    expect(res.statusCode).toBe(202);
    return (await waitForJobDone(dane, res.json().jobId)).result;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await openIdentityTestApp({
      SMTP_HOST: smtp.host,
      SMTP_PORT: String(smtp.port),
      VIGIE_PUBLIC_URL: PUBLIC_URL,
    });
    await loadDemo(t.db, "tiny");
    const rows = await t.db
      .selectFrom("school")
      .select(["id", "uai", "name", "department_code"])
      .where("academy_code", "=", "04")
      .where("type", "=", "college")
      .where("status", "=", "open")
      .orderBy("uai")
      .limit(8)
      .execute();
    if (rows.length < 8) throw new Error("la démo « tiny » n'a pas huit collèges dans l'académie 04");
    colleges = rows.map((r) => ({
      id: String(r.id),
      uai: r.uai,
      name: r.name,
      department: r.department_code,
    }));
    const [a, b, c] = colleges as [(typeof colleges)[0], (typeof colleges)[0], (typeof colleges)[0]];
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "academy:04"]]);
    await makeUser(t.db, "principal.a@college.fr", [["school-head", a.uai]]);
    await makeUser(t.db, "referent.a@college.fr", [["school-referent", a.uai]]);
    await makeUser(t.db, "principal.b@college.fr", [["school-head", b.uai]]);
    await makeUser(t.db, "principal.c@college.fr", [["school-head", c.uai]]);
    // Not respondents of a school: an invited head (no active account), a département user.
    await makeUser(t.db, "invite.c@college.fr", [["school-head", c.uai]], { status: "invited" });
    await makeUser(t.db, "dasen@ac-bordeaux.fr", [["department", `department:${a.department}`]]);
    dane = await signIn(t.app, "dane@ac-bordeaux.fr");
    const created = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2025-2026",
        target: { territory: "academy:04", uais: [a.uai, b.uai, c.uai] },
        closesOn: addDays(today, 7),
      },
    });
    expect(created.statusCode).toBe(201);
    campaignId = created.json().id;
    // School B has submitted: its head gets no reminder.
    await t.db
      .updateTable("collection_response")
      .set({ state: "submitted", submitted_at: new Date() })
      .where("campaign_id", "=", campaignId)
      .where("uai", "=", b.uai)
      .execute();
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it("mails the respondents of the late schools only, in French, with the link to their form", async () => {
    const [a, , c] = colleges;
    const result = await remind();
    expect(result).toMatchObject({
      campaigns: 1,
      schools: 2,
      mails: 3,
      held: 0,
      withoutRecipient: 0,
      failed: 0,
    });
    expect(recipients()).toEqual([
      "principal.a@college.fr",
      "principal.c@college.fr",
      "referent.a@college.fr",
    ]);
    const mail = await smtp.waitForMail("principal.a@college.fr");
    expect(mail.subject).toContain("Équipement");
    expect(mail.subject).toContain(a?.name);
    const [y, m, d] = addDays(today, 7).split("-");
    expect(mail.text).toContain(`se clôt le ${d}/${m}/${y}`);
    expect(mail.text).toContain(`(${a?.uai})`);
    expect(extractLink(mail, `${PUBLIC_URL}/collecte/`)).toBe(
      `${PUBLIC_URL}/collecte/${campaignId}/${a?.uai}`,
    );
    const toC = await smtp.waitForMail("principal.c@college.fr");
    expect(extractLink(toC, `${PUBLIC_URL}/collecte/`)).toBe(
      `${PUBLIC_URL}/collecte/${campaignId}/${c?.uai}`,
    );

    const history = await dane.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${campaignId}/reminders`,
    });
    expect(history.statusCode).toBe(200);
    expect(history.json()).toMatchObject({
      settings: { days: [7, 1], minIntervalDays: 3, maxCount: 3 },
      days: [{ date: today, kind: "manual", schools: 2, recipients: 3 }],
      schoolsReminded: 2,
      schoolsLate: 2,
    });
  });

  it("holds a second reminder within the minimum interval, and stops at the maximum count", async () => {
    const before = smtp.messages.length;
    expect(await remind()).toMatchObject({ schools: 0, mails: 0, held: 2 });
    expect(smtp.messages.length).toBe(before);

    await t.db
      .updateTable("collection_campaign")
      .set({ reminder_min_interval_days: 0, reminder_max_count: 2 })
      .where("id", "=", campaignId)
      .execute();
    expect(await remind()).toMatchObject({ schools: 2, mails: 3, held: 0 });
    expect(smtp.messages.length).toBe(before + 3);
    // Two reminders each: the maximum.
    expect(await remind()).toMatchObject({ schools: 0, mails: 0, held: 2 });
    expect(smtp.messages.length).toBe(before + 3);
    const history = await dane.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${campaignId}/reminders`,
    });
    expect(history.json().days).toEqual([{ date: today, kind: "manual", schools: 4, recipients: 6 }]);
  });

  it("refuses a DANE of another académie, and a campaign that does not take answers", async () => {
    await makeUser(t.db, "dane@ac-poitiers.fr", [["academy-steering", "academy:13"]]);
    const outside = await signIn(t.app, "dane@ac-poitiers.fr");
    const refused = await outside.request({
      method: "POST",
      url: `/api/v1/collection/campaigns/${campaignId}/reminders`,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/hors de votre périmètre/);
    const old = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2024-2025",
        target: { territory: "academy:04", uais: [colleges[0]?.uai] },
        opensOn: "2025-01-06",
        closesOn: "2025-02-07",
        expiryDays: 10,
      },
    });
    const locked = await dane.request({
      method: "POST",
      url: `/api/v1/collection/campaigns/${old.json().id}/reminders`,
    });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().message).toMatch(/verrouillée/);
  });

  it("sends the scheduled reminders on the campaign's days only, once per day point", async () => {
    const [, , c] = colleges;
    const created = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "digital-actions",
        period: "2025-2026",
        target: { territory: "academy:04", uais: [c?.uai] },
        closesOn: addDays(today, 9),
      },
    });
    const id = created.json().id as string;
    const mailer = createMailer(t.config);
    const context = { mailer, publicUrl: PUBLIC_URL, log: quiet };
    // 10:30 UTC is noon or half past eleven in Paris: the day never shifts.
    const run = (day: string) =>
      sendReminders(t.db, context, { kind: "scheduled", campaignId: id, now: new Date(`${day}T10:30:00Z`) });
    try {
      // Days {7, 1} before the closing date: nothing 9 and 8 days before.
      expect(await run(today)).toMatchObject({ campaigns: 1, schools: 0, held: 0 });
      expect(await run(addDays(today, 1))).toMatchObject({ schools: 0 });
      expect(await run(addDays(today, 2))).toMatchObject({ schools: 1, mails: 1 });
      // The same point again, and the days up to the next point: nothing new.
      expect(await run(addDays(today, 2))).toMatchObject({ schools: 0, held: 0 });
      expect(await run(addDays(today, 5))).toMatchObject({ schools: 0, held: 0 });
      expect(await run(addDays(today, 8))).toMatchObject({ schools: 1, mails: 1 });
      const toC = smtp.messages.filter(
        (m) => m.to.includes("principal.c@college.fr") && m.subject.includes("Actions"),
      );
      expect(toC).toHaveLength(2);
    } finally {
      mailer.close();
    }
  });

  it("warns a school of a value far from its peers' or from last year's, with SQL statistics equal to the pure ones", async () => {
    const peers = colleges.slice(1, 8);
    const values = [80, 82, 85, 85, 88, 90, 95];
    const created = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2025-2026",
        target: { territory: "academy:04", uais: colleges.map((x) => x.uai) },
      },
    });
    const id = created.json().id as string;
    for (const [i, peer] of peers.entries())
      await t.db
        .updateTable("collection_response")
        .set({
          state: "submitted",
          answers: JSON.stringify({ computers_total: { value: values[i], unknown: false } }),
        })
        .where("campaign_id", "=", id)
        .where("uai", "=", peer.uai)
        .execute();
    const school = colleges[0] as (typeof colleges)[0];
    const stats = await peerStatsByField(t.db, id, "college", school.id, ["computers_total"]);
    const pure = peerStats(values);
    expect(stats.get("computers_total")?.median).toBeCloseTo(pure?.median ?? Number.NaN);
    expect(stats.get("computers_total")?.mad).toBeCloseTo(pure?.mad ?? Number.NaN);
    expect(stats.get("computers_total")?.meanAbsDeviation).toBeCloseTo(pure?.meanAbsDeviation ?? Number.NaN);

    const far = await outlierWarnings(
      t.db,
      id,
      school.id,
      { computers_total: { value: 1250, unknown: false } },
      {},
    );
    expect(far).toHaveLength(1);
    expect(far[0]).toMatchObject({
      field: "computers_total",
      rule: "outlier:computers_total",
      importance: "warning",
    });
    expect(far[0]?.message).toMatch(
      /^1\s250 ordinateurs : très loin des établissements comparables \(médiane 85\)$/,
    );
    const near = await outlierWarnings(
      t.db,
      id,
      school.id,
      { computers_total: { value: 87, unknown: false } },
      {},
    );
    expect(near).toEqual([]);
    const jump = await outlierWarnings(
      t.db,
      id,
      school.id,
      { computers_total: { value: 87, unknown: false } },
      { computers_total: { value: 20, unknown: false } },
    );
    expect(jump[0]?.message).toMatch(/très loin de la valeur de l'an dernier \(20\)/);

    // The approver's list: the school with 1 250 once it has submitted.
    await t.db
      .updateTable("collection_response")
      .set({
        state: "submitted",
        answers: JSON.stringify({ computers_total: { value: 1250, unknown: false } }),
      })
      .where("campaign_id", "=", id)
      .where("uai", "=", school.uai)
      .execute();
    const list = await dane.request({ method: "GET", url: `/api/v1/collection/campaigns/${id}/outliers` });
    expect(list.statusCode).toBe(200);
    expect(list.json().threshold).toBe(3.5);
    expect(list.json().items).toEqual([
      expect.objectContaining({ uai: school.uai, field: "computers_total", value: 1250, median: 85 }),
    ]);
    expect(list.json().items[0].z).toBeGreaterThan(3.5);
    const dasen = await signIn(t.app, "dasen@ac-bordeaux.fr");
    const own = await dasen.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${id}/outliers?territory=department:${school.department}`,
    });
    expect(own.statusCode).toBe(200);
    const academy = await dasen.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${id}/outliers`,
    });
    expect(academy.statusCode).toBe(403);
  });
});
