import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignTemplate } from "../../src/contracts/collection.ts";
import {
  type Answer,
  type Answers,
  expandForm,
  type FormDefinition,
} from "../../src/contracts/collection-model.ts";
import { validateResponse } from "../../src/contracts/collection-rules.ts";
import { createCampaign, shippedTemplates } from "../../src/server/collection/index.ts";
import { CLI_ACTOR } from "../../src/server/platform/index.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";

/**
 * Issue 11, item 2: « the same rules run in the browser as the respondent types and on the server
 * at submission », tested to agree. Random answers to the equipment form (within each field's
 * type and bounds, some missing or « je ne sais pas »): the findings the server returns for a
 * save are exactly those the browser computes with the shared engine; and a submission is
 * refused by the server exactly when the browser finds a blocking error.
 */

function answerArb(
  field: ReturnType<typeof expandForm>[number],
  missingWeight: number,
): fc.Arbitrary<Answer | undefined> {
  const missing = fc.constantFrom<Answer | undefined>(undefined, { value: null, unknown: false });
  const unknown = field.allowUnknown ? [fc.constant<Answer>({ value: null, unknown: true })] : [];
  let value: fc.Arbitrary<Answer["value"]>;
  if (field.type === "yes_no") value = fc.boolean();
  else if (field.type === "option") value = fc.constantFrom(...(field.options ?? []).map((o) => o.code));
  else if (field.type === "text") value = fc.constantFrom("RAS", "Fibre depuis 2024");
  else {
    const min = field.min ?? 0;
    // Small numbers so that the rules' comparisons go both ways.
    const max = Math.min(field.max ?? 100, min + 60);
    value =
      field.type === "integer"
        ? fc.integer({ min, max })
        : fc.integer({ min: min * 2, max: max * 2 }).map((n) => n / 2);
  }
  if (missingWeight === 0) return value.map((v): Answer => ({ value: v, unknown: false }));
  return fc.oneof(
    { weight: missingWeight, arbitrary: missing },
    ...unknown.map((arbitrary) => ({ weight: missingWeight, arbitrary })),
    { weight: 6, arbitrary: value.map((v): Answer => ({ value: v, unknown: false })) },
  );
}

/** `missingWeight` 0: every field answered (only the rules can block a submission). */
function answersArb(form: FormDefinition, missingWeight = 1): fc.Arbitrary<Answers> {
  const fields = expandForm(form);
  return fc.tuple(...fields.map((f) => answerArb(f, missingWeight))).map((list) => {
    const out: Answers = {};
    list.forEach((a, i) => {
      if (a) out[(fields[i] as { code: string }).code] = a;
    });
    return out;
  });
}

/** A valid answer set (zeros, yes, 80 % Wi-Fi…), with a few fields drawn at random: rules go both ways. */
function nearlyValidArb(form: FormDefinition): fc.Arbitrary<Answers> {
  const fields = expandForm(form);
  const base: Answers = {};
  for (const f of fields) {
    const value =
      f.type === "yes_no"
        ? true
        : f.type === "option"
          ? (f.options?.[0]?.code ?? null)
          : f.type === "text"
            ? "RAS"
            : 0;
    base[f.code] = { value, unknown: false };
  }
  base.wifi_coverage = { value: 80, unknown: false };
  base.internet_bandwidth = { value: 100, unknown: false };
  base.pupils = { value: 50, unknown: false };
  return fc.subarray(fields, { minLength: 0, maxLength: 3 }).chain((picked) =>
    fc.tuple(...picked.map((f) => answerArb(f, 0))).map((values) => {
      const out = { ...base };
      picked.forEach((f, i) => {
        out[f.code] = values[i] as Answer;
      });
      return out;
    }),
  );
}

describe(`collection rules on ${testEngine}: the server and the browser agree`, () => {
  let t: IdentityTestApp;
  let form: FormDefinition;
  let url: string;
  let uai: string;
  let head: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    const school = await t.db
      .selectFrom("school")
      .select("uai")
      .where("academy_code", "=", "04")
      .where("type", "=", "college")
      .where("status", "=", "open")
      .orderBy("uai")
      .executeTakeFirstOrThrow();
    const equipment = (await shippedTemplates()).find((x) => x.code === "equipment") as CampaignTemplate;
    form = equipment.form;
    const campaign = await createCampaign(
      t.db,
      [equipment],
      { template: "equipment", period: "2025-2026", target: { territory: "academy:04", uais: [school.uai] } },
      "cli",
      CLI_ACTOR,
    );
    await makeUser(t.db, "accord@college.fr", [["school-head", school.uai]]);
    head = await signIn(t.app, "accord@college.fr");
    uai = school.uai;
    url = `/api/v1/collection/campaigns/${campaign.id}/responses/${school.uai}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("returns for each save exactly the findings the browser computes", async () => {
    let revision = 0;
    await fc.assert(
      fc.asyncProperty(answersArb(form), async (answers) => {
        const res = await head.request({ method: "PUT", url, payload: { answers, revision } });
        expect(res.statusCode, res.body).toBe(200);
        revision = res.json().revision;
        const browser = validateResponse(form, answers, {}, { submission: false });
        const server = (res.json().issues as { rule: string | null }[]).filter(
          (i) => !i.rule?.startsWith("outlier:"),
        );
        expect(server).toEqual([...browser.errors, ...browser.warnings]);
      }),
      { numRuns: 25 },
    );
  });

  it("refuses a submission exactly when the browser finds a blocking error", async () => {
    let refused = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(nearlyValidArb(form), async (answers) => {
        const { revision } = (await head.request({ method: "GET", url })).json() as { revision: number };
        const blocking = validateResponse(form, answers, {}, { submission: true }).errors.length > 0;
        const res = await head.request({
          method: "POST",
          url: `${url}/submit`,
          payload: { answers, revision },
        });
        expect(res.statusCode, res.body).toBe(blocking ? 422 : 200);
        if (res.statusCode === 422) refused++;
        else {
          accepted++;
          // Back to a draft for the next case (a submitted response is read-only).
          await t.db
            .updateTable("collection_response")
            .set({ state: "draft" })
            .where("uai", "=", uai)
            .execute();
        }
      }),
      { numRuns: 30 },
    );
    // Both outcomes met (a property that only ever saw refusals would prove little).
    expect(refused).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
  });
});
