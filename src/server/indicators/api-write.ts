import type { Kysely } from "kysely";
import { z } from "zod";
import { can, type PermissionTarget, type Principal } from "../identity/index.ts";
import type { Database } from "../platform/index.ts";
import { findSchoolAncestries, findSchoolIds } from "../territories/index.ts";
import { ensureDataElements, parseDisaggregationKey } from "./catalogue.ts";
import { checkValue, valueRule } from "./domain/bounds.ts";
import { parsePeriod } from "./domain/periods.ts";
import { type HeldWrite, type SchoolValueInput, writeSchoolValues } from "./store.ts";

/**
 * Values written through the API (`source = api`): every line is checked first (school, element,
 * period, disaggregation, the value against its element's type and bounds, the writer's scope);
 * one error and nothing is stored. A value far beyond its peers is stored held (store.ts).
 */

export const dataValuesBody = z.object({
  values: z
    .array(
      z.object({
        uai: z.string().max(16),
        dataElement: z.string().max(80),
        period: z.string().max(20),
        disaggregation: z.string().max(200).default(""),
        value: z.number(),
      }),
    )
    .min(1)
    .max(20_000),
});

export interface LineError {
  line: number;
  column: string;
  reason: string;
}

export type WriteResult =
  | { ok: true; written: number; academies: string[]; held: HeldWrite[] }
  | { ok: false; errors: LineError[]; forbidden?: PermissionTarget };

export async function writeApiValues(
  db: Kysely<Database>,
  principal: Principal | null,
  values: z.output<typeof dataValuesBody>["values"],
): Promise<WriteResult> {
  const catalogue = await ensureDataElements(db);
  const schools = new Map(
    (await findSchoolAncestries(db, [...new Set(values.map((v) => v.uai.toUpperCase()))])).map((s) => [
      s.uai,
      s,
    ]),
  );
  const ids = new Map([...(await findSchoolIds(db, schools.keys()))].map(([uai, s]) => [uai, s.id]));
  const errors: LineError[] = [];
  const rows: SchoolValueInput[] = [];
  for (const [i, v] of values.entries()) {
    const line = i + 1;
    const school = schools.get(v.uai.toUpperCase());
    if (!school) {
      errors.push({ line, column: "uai", reason: `établissement inconnu : « ${v.uai} »` });
      continue;
    }
    const target: PermissionTarget = { kind: "school", school };
    if (!can(principal, "indicators.write", target)) return { ok: false, errors: [], forbidden: target };
    const element = catalogue.elements.get(v.dataElement);
    if (!element) {
      errors.push({
        line,
        column: "dataElement",
        reason: `élément de donnée inconnu : « ${v.dataElement} »`,
      });
      continue;
    }
    if (element.collectedAt !== "school") {
      errors.push({
        line,
        column: "dataElement",
        reason: `« ${v.dataElement} » se saisit au niveau ${element.collectedAt}, pas par établissement`,
      });
      continue;
    }
    const period = parsePeriod(v.period);
    if (!period.ok) {
      errors.push({ line, column: "period", reason: period.reason });
      continue;
    }
    const dis = parseDisaggregationKey(v.disaggregation);
    const bad = Object.keys(dis).find((k) => !element.disaggregations.includes(k));
    if (bad) {
      errors.push({
        line,
        column: "disaggregation",
        reason: `ventilation « ${bad} » non prévue pour « ${v.dataElement} »`,
      });
      continue;
    }
    const check = checkValue(v.dataElement, valueRule(element), v.value);
    if (!check.ok) {
      errors.push({ line, column: "value", reason: check.reason });
      continue;
    }
    rows.push({
      schoolId: ids.get(school.uai) as string,
      academyCode: school.academyCode,
      dataElement: v.dataElement,
      period: period.period.id,
      disaggregation: dis,
      value: v.value,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const result = await writeSchoolValues(db, rows, { source: "api" });
  return { ok: true, ...result };
}
