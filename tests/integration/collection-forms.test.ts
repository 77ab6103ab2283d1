import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FormDefinition } from "../../src/contracts/collection-form.ts";
import { getCatalogue, readSchoolValues } from "../../src/server/indicators/index.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";

/**
 * Issue 11, point 1 (« a DANE builds a form in minutes ») over HTTP: a DANE defines a data
 * element of her own, saves a form on it (a bad rule, a bad bound, a template's code refused in
 * French naming the item), saves it again unchanged (no version), launches a campaign from it,
 * saves a second version while the campaign is open (the campaign keeps the first), and a
 * school's submitted answer reaches the observatory on her element. And the refusals: another
 * académie's DANE cannot save the form, a code of the catalogue cannot be defined again.
 */

type Client = Awaited<ReturnType<typeof signIn>>;

function robotForm(extra: Partial<FormDefinition> = {}): FormDefinition {
  return {
    code: "robotique",
    title: "Robotique éducative",
    sections: [
      {
        code: "kits",
        title: "Kits de robotique",
        help: "Comptez les kits complets.",
        fields: [
          {
            code: "robot_kits",
            label: "Kits de robotique",
            type: "integer",
            unit: "kits",
            min: 0,
            max: 500,
            required: true,
            allowUnknown: false,
            dataElement: "robot_kits_local",
            disaggregation: {},
          },
          {
            code: "robot_kits_used",
            label: "Kits utilisés en classe",
            type: "integer",
            min: 0,
            required: false,
            allowUnknown: true,
            disaggregation: {},
          },
        ],
        grids: [],
      },
    ],
    rules: [
      {
        code: "used_le_kits",
        left: "robot_kits_used",
        operator: "le",
        right: "robot_kits",
        importance: "error",
        missing: "skip_if_any_missing",
        message: "Les kits utilisés ne peuvent dépasser les kits.",
      },
    ],
    ...extra,
  };
}

describe(`collection forms saved by a DANE on ${testEngine}: local data elements, versions, campaigns`, () => {
  let t: IdentityTestApp;
  let dane: Client;
  let uai: string;
  let schoolId: string;
  let campaignId: string;

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    const college = await t.db
      .selectFrom("school")
      .select(["id", "uai"])
      .where("academy_code", "=", "04")
      .where("type", "=", "college")
      .where("status", "=", "open")
      .orderBy("uai")
      .executeTakeFirstOrThrow();
    uai = college.uai;
    schoolId = String(college.id);
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "academy:04"]]);
    await makeUser(t.db, "dane@ac-poitiers.fr", [["academy-steering", "academy:13"]]);
    await makeUser(t.db, "principal@college.fr", [["school-head", uai]]);
    dane = await signIn(t.app, "dane@ac-bordeaux.fr");
  });
  afterAll(async () => {
    await t?.close();
  });

  const save = (c: Client, definition: unknown, code = "robotique", territory?: string) =>
    c.request({
      method: "PUT",
      url: `/api/v1/collection/forms/${code}`,
      payload: { definition, ...(territory ? { territory } : {}) },
    });

  it("defines a data element of her own, refuses a catalogue code and bad bounds in French", async () => {
    const res = await dane.request({
      method: "POST",
      url: "/api/v1/collection/data-elements",
      payload: {
        code: "robot_kits_local",
        name: "Kits de robotique",
        valueType: "integer",
        unit: "kits",
        max: 500,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: "robot_kits_local", origin: "local", unit: "kits", max: 500 });
    expect((await getCatalogue()).elements.get("robot_kits_local")?.collectedAt).toBe("school");

    const again = await dane.request({
      method: "POST",
      url: "/api/v1/collection/data-elements",
      payload: { code: "robot_kits_local", name: "Autre", valueType: "number" },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(
      /« robot_kits_local » est déjà celui de l'élément de donnée « Kits de robotique »/,
    );
    const catalogue = await dane.request({
      method: "POST",
      url: "/api/v1/collection/data-elements",
      payload: { code: "computers", name: "Ordinateurs", valueType: "integer" },
    });
    expect(catalogue.statusCode).toBe(409);
    expect(catalogue.json().message).toMatch(/déjà celui d'un élément du catalogue/);
    const bounds = await dane.request({
      method: "POST",
      url: "/api/v1/collection/data-elements",
      payload: { code: "wifi_local", name: "Wi-Fi", valueType: "percentage", min: 10, max: 140 },
    });
    expect(bounds.statusCode).toBe(400);
    expect(bounds.json().message).toMatch(/« Wi-Fi » : un pourcentage va de 0 à 100 \(maximum 140\)/);

    const list = await dane.request({ method: "GET", url: "/api/v1/collection/data-elements" });
    const items = list.json().items as { code: string; origin: string }[];
    expect(items.find((e) => e.code === "robot_kits_local")?.origin).toBe("local");
    expect(items.find((e) => e.code === "computers")?.origin).toBe("catalogue");
    // Only school-level elements: a form field cannot feed a value delivered by académie.
    expect(items.some((e) => e.code === "digital_referents")).toBe(false);
  });

  it("refuses a bad rule, a bad bound, a template's code and an unknown element, naming the item", async () => {
    const unknownField = robotForm({
      rules: [{ ...(robotForm().rules[0] as FormDefinition["rules"][number]), right: "robots + 1" }],
    });
    const rule = await save(dane, unknownField);
    expect(rule.statusCode).toBe(400);
    expect(rule.json().error).toBe("invalid_form");
    expect(rule.json().details.issues).toEqual([
      { path: "rules[0].right", message: "règle « used_le_kits » : champ inconnu « robots »" },
    ]);
    const syntax = await save(
      dane,
      robotForm({
        rules: [{ ...(robotForm().rules[0] as FormDefinition["rules"][number]), left: "robot_kits_used +" }],
      }),
    );
    expect(syntax.json().details.issues[0].path).toBe("rules[0].left");
    expect(syntax.json().details.issues[0].message).toMatch(/^règle « used_le_kits » : /);

    const bad = robotForm() as unknown as { sections: { fields: Record<string, unknown>[] }[] };
    (bad.sections[0]?.fields[1] as Record<string, unknown>).min = "zéro";
    const bound = await save(dane, bad);
    expect(bound.statusCode).toBe(400);
    expect(bound.json().details.issues).toEqual([
      {
        path: "sections[0].fields[1].min",
        message:
          "section « Kits de robotique », champ « Kits utilisés en classe », minimum : doit être un nombre",
      },
    ]);
    const element = robotForm();
    (element.sections[0]?.fields[0] as { dataElement?: string }).dataElement = "robots_inconnus";
    const unknown = await save(dane, element);
    expect(unknown.json().details.issues[0]).toMatchObject({ path: "sections[0].fields[0].dataElement" });
    expect(unknown.json().details.issues[0].message).toMatch(
      /section « Kits de robotique » — « Kits de robotique » : élément de donnée inconnu « robots_inconnus »/,
    );
    const template = await save(dane, { ...robotForm(), code: "equipment" }, "equipment");
    expect(template.json().details.issues[0].message).toMatch(/est celui du modèle livré/);
    const mismatch = await save(dane, robotForm(), "autre_code");
    expect(mismatch.json().details.issues[0]).toMatchObject({ path: "code" });
    // Nothing was stored by the refusals.
    expect((await dane.request({ method: "GET", url: "/api/v1/collection/forms" })).json().items).toEqual([]);
  });

  it("saves a version, makes none for the same definition, and lists it with the templates", async () => {
    const first = await save(dane, robotForm());
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      code: "robotique",
      version: 1,
      versions: 1,
      created: true,
      territory: "academy:04",
      editable: true,
    });
    const same = await save(dane, robotForm());
    expect(same.json()).toMatchObject({ version: 1, created: false });
    const audits = await t.db
      .selectFrom("audit_event")
      .select("summary")
      .where("action", "=", "collection.form.saved")
      .execute();
    expect(audits).toHaveLength(1);
    const list = (await dane.request({ method: "GET", url: "/api/v1/collection/forms" })).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      code: "robotique",
      fields: 2,
      rules: 1,
      savedBy: "dane@ac-bordeaux.fr",
    });
    expect(list.templates.map((x: { code: string }) => x.code)).toEqual([
      "digital-actions",
      "ent-activation",
      "equipment",
    ]);
  });

  it("lets another académie's DANE read the form but not save it", async () => {
    const poitiers = await signIn(t.app, "dane@ac-poitiers.fr");
    const read = await poitiers.request({ method: "GET", url: "/api/v1/collection/forms/robotique" });
    expect(read.statusCode).toBe(200);
    expect(read.json().editable).toBe(false);
    const refused = await save(poitiers, robotForm({ title: "Robotique (Poitiers)" }));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/appartient à .*Bordeaux/);
    const outside = await save(dane, { ...robotForm(), code: "ailleurs" }, "ailleurs", "academy:13");
    expect(outside.statusCode).toBe(403);
  });

  it("launches a campaign from the saved form; a new version leaves the open campaign on its own", async () => {
    const both = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: {
        template: "equipment",
        form: "robotique",
        period: "2025-2026",
        target: { territory: "academy:04" },
      },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toMatch(/pas les deux/);
    const res = await dane.request({
      method: "POST",
      url: "/api/v1/collection/campaigns",
      payload: { form: "robotique", period: "2025-2026", target: { territory: "academy:04", uais: [uai] } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      template: "robotique",
      formVersion: 1,
      expected: 1,
      feed: "submitted",
    });
    campaignId = res.json().id;

    const v2 = robotForm();
    v2.sections[0]?.fields.push({
      code: "robot_trainings",
      label: "Formations suivies",
      type: "integer",
      min: 0,
      required: false,
      allowUnknown: false,
      disaggregation: {},
    });
    const second = await save(dane, v2);
    expect(second.json()).toMatchObject({
      version: 2,
      versions: 2,
      created: true,
      activeCampaigns: 1,
      activeCampaignsOnOlderVersion: 1,
    });
    const head = await signIn(t.app, "principal@college.fr");
    const view = await head.request({
      method: "GET",
      url: `/api/v1/collection/campaigns/${campaignId}/responses/${uai}`,
    });
    expect(view.json().campaign.formVersion).toBe(1);
    expect(view.json().form.sections[0].fields.map((f: { code: string }) => f.code)).toEqual([
      "robot_kits",
      "robot_kits_used",
    ]);
    const older = await dane.request({ method: "GET", url: "/api/v1/collection/forms/robotique?version=1" });
    expect(older.json().definition.sections[0].fields).toHaveLength(2);
    const missing = await dane.request({
      method: "GET",
      url: "/api/v1/collection/forms/robotique?version=9",
    });
    expect(missing.statusCode).toBe(404);
  });

  it("feeds the school's submitted answer on the local element into the observatory", async () => {
    const head = await signIn(t.app, "principal@college.fr");
    const url = `/api/v1/collection/campaigns/${campaignId}/responses/${uai}`;
    const answers = {
      robot_kits: { value: 12, unknown: false },
      robot_kits_used: { value: 20, unknown: false },
    };
    const blocked = await head.request({
      method: "POST",
      url: `${url}/submit`,
      payload: { answers, revision: 0 },
    });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().details.issues[0].message).toBe("Les kits utilisés ne peuvent dépasser les kits.");
    answers.robot_kits_used.value = 8;
    const ok = await head.request({
      method: "POST",
      url: `${url}/submit`,
      payload: { answers, revision: 0 },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ fed: true, valuesWritten: 1 });
    const values = await readSchoolValues(t.db, schoolId, ["robot_kits_local"], ["2025-2026"]);
    expect(values).toEqual([
      { dataElement: "robot_kits_local", period: "2025-2026", disaggregation: "", value: 12 },
    ]);
  });
});
