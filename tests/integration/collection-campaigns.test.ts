import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answers } from "../../src/contracts/collection-form.ts";
import { expandForm, type FormDefinition } from "../../src/contracts/collection-form.ts";
import { shippedTemplates } from "../../src/server/collection/index.ts";
import { processPendingRollups } from "../../src/server/indicators/index.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";

/**
 * Issue 11, items 1–3, 5 and 8 over HTTP: a DANE launches a campaign from a shipped template
 * for their académie; a school head fills in the form (a bad value refused, a broken rule kept
 * as a draft, a stale save refused), submits (blocking errors refuse it), then cannot change it;
 * the district follows completeness; the answers become data values of the campaign's batch.
 * And the refusals: a territory outside the DANE's scope, another school's head, a district
 * user saving, a locked campaign.
 */

type Client = Awaited<ReturnType<typeof signIn>>;

/** A complete, valid answer set for the equipment form: zeros, yes, 80 % and a fibre link. */
function validAnswers(form: FormDefinition): Answers {
  const out: Answers = {};
  for (const f of expandForm(form)) {
    const value =
      f.type === "yes_no"
        ? true
        : f.type === "option"
          ? (f.options?.[0]?.code ?? null)
          : f.type === "text"
            ? "RAS"
            : 0;
    out[f.code] = { value, unknown: false };
  }
  out.wifi_coverage = { value: 80, unknown: false };
  out.internet_bandwidth = { value: 500, unknown: false };
  out.pupils = { value: 420, unknown: false };
  out.pupils_equipped = { value: 30, unknown: false };
  out.computers_total = { value: 12, unknown: false };
  out["computers.desktop.functional"] = { value: 10, unknown: false };
  out["computers.desktop.out_of_order"] = { value: 2, unknown: false };
  return out;
}

describe(`collection campaigns on ${testEngine}: create, fill in, submit, completeness, into the observatory`, () => {
  let t: IdentityTestApp;
  let school: { uai: string; department_code: string; district: string | null };
  let other: string;
  let form: FormDefinition;
  let campaignId: string;
  let dane: Client;
  let head: Client;

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    const colleges = await t.db
      .selectFrom("school")
      .select(["uai", "department_code", "circonscription_code", "bassin_code"])
      .where("academy_code", "=", "04")
      .where("type", "=", "college")
      .where("status", "=", "open")
      .orderBy("uai")
      .limit(2)
      .execute();
    const [a, b] = colleges;
    if (!a || !b) throw new Error("la démo « tiny » n'a pas deux collèges dans l'académie 04");
    school = {
      uai: a.uai,
      department_code: a.department_code,
      district: a.circonscription_code ?? a.bassin_code,
    };
    other = b.uai;
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "academy:04"]]);
    await makeUser(t.db, "dane@ac-poitiers.fr", [["academy-steering", "academy:13"]]);
    await makeUser(t.db, "principal@college.fr", [["school-head", school.uai]]);
    await makeUser(t.db, "autre-principal@college.fr", [["school-head", other]]);
    await makeUser(t.db, "dasen@ac-bordeaux.fr", [["department", `department:${school.department_code}`]]);
    form = (await shippedTemplates()).find((x) => x.code === "equipment")?.form as FormDefinition;
    dane = await signIn(t.app, "dane@ac-bordeaux.fr");
    head = await signIn(t.app, "principal@college.fr");
  });
  afterAll(async () => {
    await t?.close();
  });

  const responseUrl = (uai: string, id = campaignId) => `/api/v1/collection/campaigns/${id}/responses/${uai}`;
  const put = (c: Client, uai: string, answers: Answers, revision: number, id = campaignId) =>
    c.request({ method: "PUT", url: responseUrl(uai, id), payload: { answers, revision } });
  const submit = (c: Client, uai: string, answers: Answers, revision: number, id = campaignId) =>
    c.request({ method: "POST", url: `${responseUrl(uai, id)}/submit`, payload: { answers, revision } });

  it("lists the three shipped templates to a DANE", async () => {
    const res = await dane.request({ method: "GET", url: "/api/v1/collection/templates" });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((x: { code: string }) => x.code)).toEqual([
      "digital-actions",
      "ent-activation",
      "equipment",
    ]);
  });

  it("creates a campaign for the académie with one response per open school, and refuses bad requests in French", async () => {
    const expected = await t.db
      .selectFrom("school")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("academy_code", "=", "04")
      .where("status", "=", "open")
      .executeTakeFirstOrThrow();
    const res = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2025-2026",
        target: { territory: "academy:04" },
        feed: "submitted",
      },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    campaignId = created.id;
    expect(created).toMatchObject({
      template: "equipment",
      period: "2025-2026",
      phase: "open",
      submitted: 0,
    });
    expect(created.expected).toBe(Number(expected.n));

    const outside = await signIn(t.app, "dane@ac-poitiers.fr");
    const refused = await outside.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: { template: "equipment", period: "2025-2026", target: { territory: "academy:04" } },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/hors de votre périmètre/);
    const badPeriod = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: { template: "equipment", period: "2025", target: { territory: "academy:04" } },
    });
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json().message).toMatch(/demande une année scolaire/);
    const unknown = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: { template: "inventaire", period: "2025-2026", target: { territory: "academy:04" } },
    });
    expect(unknown.json().message).toMatch(/Modèle de campagne « inventaire » inconnu/);
    // The territory goes through territories' one reader (resolveNodeKey): field and reason named.
    const nowhere = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: { template: "equipment", period: "2025-2026", target: { territory: "district:C-999-zzz" } },
    });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json()).toMatchObject({
      error: "invalid_territory",
      message: expect.stringMatching(/^target\.territory : Territoire « district:C-999-zzz » inconnu/),
    });
    const school = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: { template: "equipment", period: "2025-2026", target: { territory: "school:0330001A" } },
    });
    expect(school.statusCode).toBe(400);
    expect(school.json().error).toBe("invalid_territory");
    expect(school.json().message).toContain("un établissement ne convient pas");
    const levels = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2025-2026",
        target: { territory: "academy:04" },
        approvalLevels: ["academy", "department"],
      },
    });
    expect(levels.statusCode).toBe(400);
    expect(levels.json().message).toMatch(/Niveaux d'approbation « academy, department » invalides/);
  });

  it("shows the campaign to the school's head, not to a school of another académie", async () => {
    const mine = await head.request({ method: "GET", url: "/api/v1/collection/campaigns" });
    expect(mine.json().items.map((c: { id: string }) => c.id)).toContain(campaignId);
    const view = await head.request({ method: "GET", url: responseUrl(school.uai) });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ state: "not_started", editable: true, revision: 0 });
    expect(view.json().form.code).toBe("equipment");
  });

  it("refuses a value outside its bounds without storing anything, keeps a broken rule as a draft, refuses a stale save", async () => {
    const bad = await put(head, school.uai, { wifi_coverage: { value: 140, unknown: false } }, 0);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/Salles d'enseignement couvertes par le Wi-Fi/);
    const broken = {
      computers_total: { value: 5, unknown: false },
      "computers.desktop.functional": { value: 9, unknown: false },
      "computers.laptop.functional": { value: 0, unknown: false },
      "computers.thin_client.functional": { value: 0, unknown: false },
    };
    const draft = await put(head, school.uai, broken, 0);
    expect(draft.statusCode).toBe(200);
    expect(draft.json().revision).toBe(1);
    expect(draft.json().issues).toContainEqual(
      expect.objectContaining({ rule: "computers_functional_le_total", importance: "error" }),
    );
    const stale = await put(head, school.uai, broken, 0);
    expect(stale.statusCode).toBe(409);
    const view = await head.request({ method: "GET", url: responseUrl(school.uai) });
    expect(view.json()).toMatchObject({ state: "draft", revision: 1 });
    expect(view.json().answers.computers_total.value).toBe(5);
  });

  it("refuses a submission with blocking errors, accepts the corrected one, then locks the answers", async () => {
    const refused = await submit(head, school.uai, { computers_total: { value: 5, unknown: false } }, 1);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toMatch(/Transmission refusée/);
    const answers = validAnswers(form);
    const ok = await submit(head, school.uai, answers, 1);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: "submitted", revision: 2, fed: true });
    expect(ok.json().valuesWritten).toBeGreaterThan(10);
    const after = await put(head, school.uai, answers, 2);
    expect(after.statusCode).toBe(409);
    expect(after.json().message).toMatch(/ne sont plus modifiables/);
  });

  it("writes the answers as data values of the campaign's batch (source « form »)", async () => {
    const response = await t.db
      .selectFrom("collection_response")
      .select(["batch_id", "school_id"])
      .where("campaign_id", "=", campaignId)
      .where("uai", "=", school.uai)
      .executeTakeFirstOrThrow();
    expect(response.batch_id).not.toBeNull();
    const values = await t.db
      .selectFrom("data_value")
      .select(["data_element_code", "disaggregation", "value", "source", "import_batch_id"])
      .where("school_id", "=", response.school_id)
      .where("period", "=", "2025-2026")
      .execute();
    const computers = values.find((v) => v.data_element_code === "computers" && v.disaggregation === "");
    expect(computers).toMatchObject({ value: 12, source: "form", import_batch_id: response.batch_id });
    expect(
      values.find((v) => v.disaggregation === "computer_kind=desktop,equipment_state=out_of_order")?.value,
    ).toBe(2);
    expect(values.find((v) => v.data_element_code === "school_ent_activated")?.value).toBe(1);
    // The headcount shown to the school is not written back over the official one.
    expect(values.some((v) => v.data_element_code === "pupils_enrolled")).toBe(false);
  });

  it("refuses another school's head and a département user's save; the département follows the response", async () => {
    const intruder = await signIn(t.app, "autre-principal@college.fr");
    expect((await intruder.request({ method: "GET", url: responseUrl(school.uai) })).statusCode).toBe(403);
    expect((await put(intruder, school.uai, {}, 0)).statusCode).toBe(403);
    const dasen = await signIn(t.app, "dasen@ac-bordeaux.fr");
    const view = await dasen.request({ method: "GET", url: responseUrl(school.uai) });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ state: "submitted", editable: false });
    expect((await put(dasen, school.uai, {}, 2)).statusCode).toBe(403);
  });

  it("counts completeness per département, and for the département per district; refuses a territory outside the scope", async () => {
    const res = await dane.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${campaignId}/status`,
    });
    expect(res.statusCode).toBe(200);
    const status = res.json();
    expect(status.total.submitted).toBe(1);
    expect(status.total.onTime).toBe(1);
    const row = status.rows.find((r: { key: string }) => r.key === `department:${school.department_code}`);
    expect(row).toMatchObject({ submitted: 1, approved: 0 });
    expect(status.rows.reduce((s: number, r: { expected: number }) => s + r.expected, 0)).toBe(
      status.total.expected,
    );
    const dasen = await signIn(t.app, "dasen@ac-bordeaux.fr");
    const mine = await dasen.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${campaignId}/status?territory=department:${school.department_code}`,
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().total.submitted).toBe(1);
    const academy = await dasen.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${campaignId}/status`,
    });
    expect(academy.statusCode).toBe(403);
    const csv = await dane.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${campaignId}/status.csv`,
    });
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.body).toMatch(/attendus;commencés;transmis/);
  });

  it("shows each school of a district with its response's state, in the API and the CSV; refuses another académie", async () => {
    const district = school.district;
    if (!district) throw new Error("le collège de la démo « tiny » n'a pas de district");
    const url = `/api/v1/collection/campaigns/${campaignId}/status?territory=district:${district}`;
    const res = await dane.request({ method: "GET", url });
    expect(res.statusCode, res.body).toBe(200);
    const status = res.json() as {
      campaign: Record<string, unknown>;
      total: { expected: number; submitted: number; onTime: number; response: unknown };
      rows: {
        key: string;
        expected: number;
        submitted: number;
        onTime: number;
        fieldsAnswered: number;
        response: { state: string; submittedAt: string | null } | null;
      }[];
    };
    // The states as the table holds them, school by school.
    const stored = await t.db
      .selectFrom("collection_response")
      .select(["uai", "state"])
      .where("campaign_id", "=", campaignId)
      .where("district_code", "=", district)
      .execute();
    expect(stored.length).toBeGreaterThan(1);
    expect(
      Object.fromEntries(status.rows.map((r) => [r.key.replace("school:", ""), r.response?.state])),
    ).toEqual(Object.fromEntries(stored.map((r) => [r.uai, r.state])));
    expect(status.rows.every((r) => r.expected === 1)).toBe(true);
    const mine = status.rows.find((r) => r.key === `school:${school.uai}`);
    expect(mine).toMatchObject({ submitted: 1, onTime: 1, fieldsAnswered: 1 });
    expect(Date.parse(mine?.response?.submittedAt ?? "")).toBeGreaterThan(Date.now() - 3_600_000);
    const waiting = status.rows.find((r) => r.response?.state === "not_started");
    expect(waiting).toMatchObject({
      submitted: 0,
      onTime: 0,
      response: { state: "not_started", submittedAt: null },
    });
    expect(status.total).toMatchObject({ expected: stored.length, submitted: 1, onTime: 1, response: null });
    // The heading has no campaign-wide counts: the total is the district's.
    expect(status.campaign).not.toHaveProperty("submitted");

    const csv = await dane.request({ method: "GET", url: url.replace("/status?", "/status.csv?") });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe("établissement;UAI;état;transmise le;à temps;champs obligatoires renseignés (%)");
    expect(lines).toHaveLength(stored.length + 1);
    const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris" }).format(new Date());
    expect(lines.find((l) => l.includes(`;${school.uai};`))).toMatch(
      new RegExp(`;${school.uai};Transmis;${today};oui;100,0$`),
    );
    expect(lines.find((l) => l.includes(`;${waiting?.key.replace("school:", "")};`))).toMatch(
      /;Non commencé;;;0,0$/,
    );

    const poitiers = await signIn(t.app, "dane@ac-poitiers.fr");
    const refused = await poitiers.request({ method: "GET", url });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/hors de votre périmètre/);
  });

  it("measures the dashboards' coverage against the campaign's target, not every open school", async () => {
    const colleges = await t.db
      .selectFrom("school")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("department_code", "=", school.department_code)
      .where("type", "=", "college")
      .where("status", "=", "open")
      .executeTakeFirstOrThrow();
    const res = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2026-2027",
        target: { territory: `department:${school.department_code}`, schoolTypes: ["college"] },
        feed: "submitted",
      },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    expect(res.json().expected).toBe(Number(colleges.n));
    const ok = await submit(head, school.uai, validAnswers(form), 0, id);
    expect(ok.statusCode, ok.body).toBe(200);
    await processPendingRollups(t.db);
    const cell = await t.db
      .selectFrom("indicator_aggregate")
      .select(["schools_expected", "schools_reporting_expected", "value"])
      .where("indicator_code", "=", "wifi_coverage_mean")
      .where("node_level", "=", "department")
      .where("node_code", "=", school.department_code)
      .where("period", "=", "2026-2027")
      .where("grp", "=", "")
      .where("disaggregation", "=", "")
      .executeTakeFirstOrThrow();
    // Every open school of the département would be expected without the campaign's target.
    expect(cell).toMatchObject({
      schools_expected: Number(colleges.n),
      schools_reporting_expected: 1,
      value: 80,
    });
  });

  it("locks the answers once the expiry days after the closing date have passed", async () => {
    const res = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2024-2025",
        target: { territory: "academy:04", uais: [school.uai] },
        opensOn: "2025-01-06",
        closesOn: "2025-02-07",
        expiryDays: 10,
        reminders: { days: [5, -2], minIntervalDays: 2, maxCount: 1 },
        outlierThreshold: 5,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ phase: "locked", expected: 1 });
    const settings = await t.db
      .selectFrom("collection_campaign")
      .select(["reminder_days", "reminder_min_interval_days", "reminder_max_count", "outlier_threshold"])
      .where("id", "=", res.json().id)
      .executeTakeFirstOrThrow();
    expect(settings).toEqual({
      reminder_days: [5, -2],
      reminder_min_interval_days: 2,
      reminder_max_count: 1,
      outlier_threshold: 5,
    });
    const locked = await put(head, school.uai, {}, 0, res.json().id);
    expect(locked.statusCode).toBe(409);
    expect(locked.json().message).toMatch(/verrouillée depuis le 18\/02\/2025/);
  });

  it("keeps a comment per grid cell, like a plain field's, and refuses one too long naming it", async () => {
    const intruder = await signIn(t.app, "autre-principal@college.fr");
    const cell = "computers.desktop.out_of_order";
    const answers: Answers = {
      [cell]: { value: 3, unknown: false, comment: "Trois en attente de réparation" },
      // A comment alone, without a value yet, is kept too.
      "computers.laptop.functional": { value: null, unknown: false, comment: "Chiffre demandé à la mairie" },
      wifi_coverage: { value: 60, unknown: false, comment: "Bâtiment B non couvert" },
    };
    const saved = await put(intruder, other, answers, 0);
    expect(saved.statusCode, saved.body).toBe(200);
    const view = (await intruder.request({ method: "GET", url: responseUrl(other) })).json();
    expect(view.answers[cell]).toEqual({
      value: 3,
      unknown: false,
      comment: "Trois en attente de réparation",
    });
    expect(view.answers["computers.laptop.functional"].comment).toBe("Chiffre demandé à la mairie");
    expect(view.answers.wifi_coverage.comment).toBe("Bâtiment B non couvert");
    const tooLong = await put(
      intruder,
      other,
      { [cell]: { value: 3, unknown: false, comment: "x".repeat(2001) } },
      view.revision,
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().message).toContain(`${cell}.comment : doit contenir au plus 2000 caractères`);
    const after = (await intruder.request({ method: "GET", url: responseUrl(other) })).json();
    expect(after.revision).toBe(view.revision);
    expect(after.answers[cell].comment).toBe("Trois en attente de réparation");
  });
});
