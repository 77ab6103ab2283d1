import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answers, FormDefinition } from "../../src/contracts/collection-form.ts";
import { expandForm } from "../../src/contracts/collection-form.ts";
import { shippedTemplates } from "../../src/server/collection/index.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";

/**
 * Issue 11, item 4 over HTTP (docs/collection.md, « Validation »), a two-step campaign (district,
 * then département) fed on approval: two collèges and an école of Gironde submit; their district approves
 * them one by one (the observatory gets each response's values on approval, and loses them when
 * an approved response is returned), returns one with a comment the school sees and corrects,
 * approves the district once every school is; the département accepts and approves. And the
 * refusals: outside the territory (403), before every school is approved (409 naming them), a
 * level the campaign has not (400), undoing under an approval above (409), locked answers; lock
 * exceptions after the expiry days.
 */

type Client = Awaited<ReturnType<typeof signIn>>;

function validAnswers(form: FormDefinition): Answers {
  const out: Answers = {};
  for (const f of expandForm(form))
    out[f.code] = {
      value:
        f.type === "yes_no"
          ? true
          : f.type === "option"
            ? (f.options?.[0]?.code ?? null)
            : f.type === "text"
              ? "RAS"
              : 0,
      unknown: false,
    };
  out.wifi_coverage = { value: 80, unknown: false };
  out.internet_bandwidth = { value: 500, unknown: false };
  out.pupils = { value: 420, unknown: false };
  out.pupils_equipped = { value: 30, unknown: false };
  out.computers_total = { value: 12, unknown: false };
  out["computers.desktop.functional"] = { value: 10, unknown: false };
  out["computers.desktop.out_of_order"] = { value: 2, unknown: false };
  return out;
}

describe(`collection approval on ${testEngine}: two steps up the hierarchy, fed on approval`, () => {
  let t: IdentityTestApp;
  let form: FormDefinition;
  let campaignId: string;
  /** A1, A2 in district D (a bassin); B1 in district E (a circonscription); all in Gironde (33). */
  let a1: string;
  let a2: string;
  let b1: string;
  let d: string;
  let e: string;
  let dane: Client;
  let districtD: Client;
  let districtE: Client;
  let dasen: Client;
  const heads = new Map<string, Client>();
  const revisions = new Map<string, number>();

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    // District D: a bassin of collèges; district E: a circonscription of écoles (one each in « tiny »).
    const open = t.db.selectFrom("school").select(["uai", "bassin_code", "circonscription_code"]);
    const colleges = await open
      .where("department_code", "=", "33")
      .where("type", "=", "college")
      .where("status", "=", "open")
      .where("circonscription_code", "is", null)
      .where("bassin_code", "is not", null)
      .orderBy("uai")
      .execute();
    const [c1, c2] = colleges.filter((c) => c.bassin_code === colleges[0]?.bassin_code);
    const ecole = await open
      .where("department_code", "=", "33")
      .where("status", "=", "open")
      .where("circonscription_code", "is not", null)
      .orderBy("uai")
      .executeTakeFirst();
    if (!c1?.bassin_code || !c2 || !ecole?.circonscription_code)
      throw new Error("la démo « tiny » n'a pas deux collèges d'un bassin et une école en Gironde");
    [a1, a2, b1] = [c1.uai, c2.uai, ecole.uai];
    d = c1.bassin_code;
    e = ecole.circonscription_code;
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "academy:04"]]);
    await makeUser(t.db, "ien-d@ac-bordeaux.fr", [["district", d]]);
    await makeUser(t.db, "ien-e@ac-bordeaux.fr", [["district", e]]);
    await makeUser(t.db, "dasen@ac-bordeaux.fr", [["department", "department:33"]]);
    for (const uai of [a1, a2, b1])
      await makeUser(t.db, `principal-${uai}@college.fr`, [["school-head", uai]]);
    form = (await shippedTemplates()).find((x) => x.code === "equipment")?.form as FormDefinition;
    dane = await signIn(t.app, "dane@ac-bordeaux.fr");
    districtD = await signIn(t.app, "ien-d@ac-bordeaux.fr");
    districtE = await signIn(t.app, "ien-e@ac-bordeaux.fr");
    dasen = await signIn(t.app, "dasen@ac-bordeaux.fr");
    for (const uai of [a1, a2, b1]) heads.set(uai, await signIn(t.app, `principal-${uai}@college.fr`));
    const created = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2025-2026",
        target: { territory: "department:33", uais: [a1, a2, b1] },
        approvalLevels: ["district", "department"],
        feed: "approved",
      },
    });
    expect(created.statusCode).toBe(201);
    campaignId = created.json().id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const url = (uai: string, tail = "") =>
    `/api/v1/collection/campaigns/${campaignId}/responses/${uai}${tail}`;
  const step = (c: Client, uai: string, action: string, payload: object = {}) =>
    c.request({ method: "POST", url: url(uai, `/${action}`), payload });
  const node = (c: Client, level: string, territory: string, action: string) =>
    c.request({
      method: "POST",
      url: `/api/v1/collection/campaigns/${campaignId}/approvals`,
      payload: { level, territory, action },
    });
  const head = (uai: string) => heads.get(uai) as Client;
  async function submit(uai: string) {
    const rev = revisions.get(uai) ?? 0;
    const res = await head(uai).request({
      method: "POST",
      url: url(uai, "/submit"),
      payload: { answers: validAnswers(form), revision: rev },
    });
    expect(res.statusCode, res.body).toBe(200);
    revisions.set(uai, res.json().revision);
  }
  async function valuesOf(uai: string) {
    const r = await t.db
      .selectFrom("collection_response")
      .select(["batch_id", "school_id", "state"])
      .where("campaign_id", "=", campaignId)
      .where("uai", "=", uai)
      .executeTakeFirstOrThrow();
    const n = await t.db
      .selectFrom("data_value")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("school_id", "=", r.school_id)
      .where("period", "=", "2025-2026")
      .where("source", "=", "form")
      .executeTakeFirstOrThrow();
    return { batch: r.batch_id, state: r.state, values: Number(n.n) };
  }

  it("does not feed the observatory on submission; refuses a district user outside the school (403)", async () => {
    for (const uai of [a1, a2, b1]) await submit(uai);
    expect(await valuesOf(a1)).toMatchObject({ batch: null, state: "submitted", values: 0 });
    const outside = await step(districtE, a1, "approve");
    expect(outside.statusCode).toBe(403);
    expect(outside.json().message).toMatch(
      new RegExp(`Validation refusée : le district ${d} est hors de votre périmètre`),
    );
    // A school's head holds no collection.approve (route rule).
    expect((await step(head(a1), a1, "approve")).statusCode).toBe(403);
  });

  it("refuses the district's approval before every school under it is approved, naming them", async () => {
    const early = await node(districtD, "district", d, "approve");
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toMatch(/2 établissements sur 2 ne sont pas encore validés/);
    expect(early.json().message).toContain(a1);
    expect(early.json().details.pending).toEqual([a1, a2]);
  });

  it("approves a response: locked for the school, its values in the observatory", async () => {
    const ok = await step(districtD, a1, "approve");
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ uai: a1, state: "approved", valuesRemoved: 0 });
    expect(ok.json().valuesWritten).toBeGreaterThan(10);
    const fed = await valuesOf(a1);
    expect(fed.batch).not.toBeNull();
    expect(fed.values).toBe(ok.json().valuesWritten);
    const save = await head(a1).request({
      method: "PUT",
      url: url(a1),
      payload: { answers: validAnswers(form), revision: revisions.get(a1) },
    });
    expect(save.statusCode).toBe(409);
    expect(save.json().error).toBe("response_locked");
    expect((await step(districtD, a1, "approve")).json().message).toMatch(/déjà validées/);
  });

  it("returns an approved response with a comment: its values leave the observatory, the school sees why and corrects", async () => {
    const noComment = await step(districtD, a1, "return", {});
    expect(noComment.statusCode).toBe(400);
    const returned = await step(districtD, a1, "return", {
      comment: "Le nombre d'ordinateurs paraît faible.",
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({
      state: "returned",
      returnComment: "Le nombre d'ordinateurs paraît faible.",
    });
    expect(returned.json().valuesRemoved).toBeGreaterThan(10);
    expect(await valuesOf(a1)).toMatchObject({ batch: null, state: "returned", values: 0 });
    const view = await head(a1).request({ method: "GET", url: url(a1) });
    expect(view.json()).toMatchObject({
      state: "returned",
      editable: true,
      returnComment: "Le nombre d'ordinateurs paraît faible.",
    });
    await submit(a1);
    expect((await step(districtD, a1, "approve")).statusCode).toBe(200);
    expect((await valuesOf(a1)).values).toBeGreaterThan(10);
  });

  it("unapproves a response back to submitted (its values leave), then approves the district once every school is", async () => {
    const undone = await step(districtD, a1, "unapprove");
    expect(undone.statusCode).toBe(200);
    expect(undone.json().state).toBe("submitted");
    expect((await valuesOf(a1)).values).toBe(0);
    for (const uai of [a1, a2]) expect((await step(districtD, uai, "approve")).statusCode).toBe(200);
    const approved = await node(districtD, "district", `district:${d}`, "approve");
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ level: "district", code: d, state: "approved" });
    const under = await step(districtD, a1, "unapprove");
    expect(under.statusCode).toBe(409);
    expect(under.json().message).toMatch(/a déjà validé ses établissements : annulez d'abord sa validation/);
    expect((await step(districtD, a2, "return", { comment: "x" })).statusCode).toBe(409);
  });

  it("refuses a level the campaign has not (400), an acceptance by the district itself (403)", async () => {
    const academy = await node(dane, "academy", "04", "approve");
    expect(academy.statusCode).toBe(400);
    expect(academy.json().message).toMatch(/ne se valide pas au niveau de l'académie/);
    const self = await node(districtD, "district", d, "accept");
    expect(self.statusCode).toBe(403);
    expect(self.json().message).toMatch(/le département 33 est hors de votre périmètre/);
  });

  it("the département accepts the district (its responses accepted), approves only once every district is accepted", async () => {
    const accepted = await node(dasen, "district", d, "accept");
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ state: "accepted", responsesChanged: 2 });
    expect((await valuesOf(a2)).state).toBe("accepted");
    expect((await node(districtD, "district", d, "unapprove")).statusCode).toBe(409);
    const early = await node(dasen, "department", "33", "approve");
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toMatch(/1 territoire du district sur 2 non accepté/);
    expect(early.json().details.pending).toEqual([e]);
    expect((await step(districtE, b1, "approve")).statusCode).toBe(200);
    expect((await node(districtE, "district", e, "approve")).statusCode).toBe(200);
    expect((await node(dasen, "district", e, "accept")).statusCode).toBe(200);
    const top = await node(dasen, "department", "33", "approve");
    expect(top.statusCode, top.body).toBe(200);
    expect((await node(dasen, "district", d, "unaccept")).json().message).toMatch(/a déjà validé/);
  });

  it("shows each territory and school with what the caller may do", async () => {
    const res = await dasen.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${campaignId}/approvals?territory=department:33`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const overview = res.json();
    expect(overview.approvalLevels).toEqual(["district", "department"]);
    const dep = overview.nodes.find((n: { level: string }) => n.level === "department");
    expect(dep).toMatchObject({
      code: "33",
      state: "approved",
      schools: 3,
      approvedSchools: 3,
      actions: ["unapprove"],
    });
    const dd = overview.nodes.find((n: { code: string }) => n.code === d);
    expect(dd).toMatchObject({ state: "accepted", actions: [] });
    expect(overview.schools.map((s: { uai: string }) => s.uai).sort()).toEqual([a1, a2, b1].sort());
    expect(overview.schools.every((s: { actions: string[] }) => s.actions.length === 0)).toBe(true);
    const district = await districtE.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${campaignId}/approvals?territory=department:33`,
    });
    expect(district.statusCode).toBe(403);
  });

  it("undoes step by step from the top: département, acceptance, district; then the school may be returned", async () => {
    expect((await node(dasen, "department", "33", "unapprove")).statusCode).toBe(200);
    const unaccepted = await node(dasen, "district", d, "unaccept");
    expect(unaccepted.json()).toMatchObject({ state: "approved", responsesChanged: 2 });
    expect((await valuesOf(a1)).state).toBe("approved");
    expect((await node(districtD, "district", d, "unapprove")).json()).toMatchObject({ state: null });
    const overview = (
      await districtD.request({
        method: "GET",
        url: `/api/v1/collection/campaigns/${campaignId}/approvals?territory=district:${d}`,
      })
    ).json();
    expect(overview.schools.find((s: { uai: string }) => s.uai === a1).actions).toEqual([
      "unapprove",
      "return",
    ]);
    expect(overview.nodes.find((n: { code: string }) => n.code === d).actions).toEqual(["approve"]);
  });

  it("writes every step in the audit log with the campaign, level and territory", async () => {
    const events = await t.db
      .selectFrom("audit_event")
      .select(["action", "summary", "territory_code"])
      .where("action", "like", "collection.%")
      .execute();
    const actions = events.map((x) => x.action);
    for (const a of [
      "collection.response.approved",
      "collection.response.returned",
      "collection.response.unapproved",
      "collection.approval.approved",
      "collection.approval.accepted",
      "collection.approval.unaccepted",
      "collection.approval.unapproved",
    ])
      expect(actions, a).toContain(a);
    const accept = events.find((x) => x.action === "collection.approval.accepted");
    const summary = typeof accept?.summary === "string" ? JSON.parse(accept.summary) : accept?.summary;
    expect(summary).toMatchObject({ campaign: campaignId, level: "district", responses: 2 });
  });

  it("two approvers at once: one approval, one refusal, the values written once", async () => {
    const created = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2025-2026",
        title: "Deux validations simultanées",
        target: { territory: "department:33", uais: [a2] },
        approvalLevels: ["district"],
        feed: "approved",
      },
    });
    const id = created.json().id;
    const base = `/api/v1/collection/campaigns/${id}/responses/${a2}`;
    const sent = await head(a2).request({
      method: "POST",
      url: `${base}/submit`,
      payload: { answers: validAnswers(form), revision: 0 },
    });
    expect(sent.statusCode).toBe(200);
    const [x, y] = await Promise.all([
      districtD.request({ method: "POST", url: `${base}/approve`, payload: {} }),
      dasen.request({ method: "POST", url: `${base}/approve`, payload: {} }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const batches = await t.db
      .selectFrom("import_batch")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("kind", "=", `collection:${id}`)
      .executeTakeFirstOrThrow();
    expect(Number(batches.n)).toBe(1);
  });

  it("refuses every approval step in a campaign without approval (400)", async () => {
    const created = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2025-2026",
        title: "Sans validation",
        target: { territory: "department:33", uais: [a1] },
        approvalLevels: [],
      },
    });
    const res = await districtD.request({
      method: "POST",
      url: `/api/v1/collection/campaigns/${created.json().id}/responses/${a1}/approve`,
      payload: {},
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/ne demande pas de validation/);
  });

  it("grants a lock exception: after the expiry days the school may fill in until the date, only from above", async () => {
    const created = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        period: "2024-2025",
        target: { territory: "department:33", uais: [a1, b1] },
        opensOn: "2025-01-06",
        closesOn: "2025-02-07",
        expiryDays: 10,
        approvalLevels: ["district"],
      },
    });
    const id = created.json().id;
    const exceptionUrl = (uai: string) =>
      `/api/v1/collection/campaigns/${id}/responses/${uai}/lock-exception`;
    const save = () =>
      head(a1).request({
        method: "PUT",
        url: `/api/v1/collection/campaigns/${id}/responses/${a1}`,
        payload: { answers: {}, revision: 0 },
      });
    expect((await save()).statusCode).toBe(409);
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(
      (await districtE.request({ method: "POST", url: exceptionUrl(a1), payload: { until } })).statusCode,
    ).toBe(403);
    expect(
      (await head(a1).request({ method: "POST", url: exceptionUrl(a1), payload: { until } })).statusCode,
    ).toBe(403);
    const past = await districtD.request({
      method: "POST",
      url: exceptionUrl(a1),
      payload: { until: "2025-03-01" },
    });
    expect(past.statusCode).toBe(400);
    const granted = await districtD.request({ method: "POST", url: exceptionUrl(a1), payload: { until } });
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json()).toEqual({ uai: a1, lockExceptionUntil: until });
    expect((await save()).statusCode).toBe(200);
    // The other school keeps its lock.
    const other = await head(b1).request({
      method: "PUT",
      url: `/api/v1/collection/campaigns/${id}/responses/${b1}`,
      payload: { answers: {}, revision: 0 },
    });
    expect(other.statusCode).toBe(409);
    const removed = await districtD.request({
      method: "POST",
      url: exceptionUrl(a1),
      payload: { until: null },
    });
    expect(removed.json().lockExceptionUntil).toBeNull();
    expect((await save()).statusCode).toBe(409);
  });
});
