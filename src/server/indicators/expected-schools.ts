import type { Kysely } from "kysely";
import type { Database } from "../platform/index.ts";
import { requestRollup } from "./store.ts";

/**
 * The schools expected to give some data elements for a period, declared by the module that asks
 * them (a collection campaign's target, issue 11 item 8). The roll-up then measures the coverage
 * of the indicators on those elements against these schools instead of every open school; the
 * affected aggregates are refreshed through the usual roll-up requests.
 */

export interface ExpectedSchoolsInput {
  /** Who expects them (`collection:<campaign id>`): its rows are replaced as a whole. */
  readonly source: string;
  readonly dataElements: readonly string[];
  readonly period: string;
  readonly schools: readonly { readonly id: string; readonly academyCode: string }[];
}

const SLICE = 5000;

/** Replaces the source's expected schools, in the caller's transaction, and requests the roll-up. */
export async function setExpectedSchools(db: Kysely<Database>, input: ExpectedSchoolsInput): Promise<void> {
  const before = await db
    .selectFrom("expected_school")
    .select("academy_code")
    .distinct()
    .where("source", "=", input.source)
    .execute();
  await db.deleteFrom("expected_school").where("source", "=", input.source).execute();
  const rows = input.dataElements.flatMap((element) =>
    input.schools.map((s) => ({
      source: input.source,
      data_element_code: element,
      period: input.period,
      school_id: s.id,
      academy_code: s.academyCode,
    })),
  );
  for (let i = 0; i < rows.length; i += SLICE)
    await db
      .insertInto("expected_school")
      .values(rows.slice(i, i + SLICE))
      .execute();
  const academies = new Set([
    ...before.map((r) => r.academy_code),
    ...input.schools.map((s) => s.academyCode),
  ]);
  await requestRollup(
    db,
    new Map([...academies].map((a) => [a, { elements: input.dataElements, periods: [input.period] }])),
  );
}

/** An académie's expected schools, by `element|period` (the union of every source's). */
export async function expectedSchoolsOf(
  db: Kysely<Database>,
  academyCode: string,
): Promise<Map<string, Set<string>>> {
  const rows = await db
    .selectFrom("expected_school")
    .select(["data_element_code", "period", "school_id"])
    .where("academy_code", "=", academyCode)
    .execute();
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    const key = `${r.data_element_code}|${r.period}`;
    const set = out.get(key) ?? new Set<string>();
    set.add(String(r.school_id));
    out.set(key, set);
  }
  return out;
}
