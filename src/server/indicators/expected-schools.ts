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

async function academiesOf(db: Kysely<Database>, source: string): Promise<string[]> {
  const rows = await db
    .selectFrom("expected_school")
    .select("academy_code")
    .distinct()
    .where("source", "=", source)
    .execute();
  return rows.map((r) => r.academy_code);
}

/** Replaces the source's expected schools, in the caller's transaction, and requests the roll-up. */
export async function setExpectedSchools(db: Kysely<Database>, input: ExpectedSchoolsInput): Promise<void> {
  const before = await academiesOf(db, input.source);
  await db.deleteFrom("expected_source").where("source", "=", input.source).execute();
  await db
    .insertInto("expected_source")
    .values({ source: input.source, period: input.period, data_element_codes: [...input.dataElements] })
    .execute();
  const rows = input.schools.map((s) => ({
    source: input.source,
    school_id: s.id,
    academy_code: s.academyCode,
  }));
  for (let i = 0; i < rows.length; i += SLICE)
    await db
      .insertInto("expected_school")
      .values(rows.slice(i, i + SLICE))
      .execute();
  const academies = new Set([...before, ...input.schools.map((s) => s.academyCode)]);
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
    .innerJoin("expected_source", "expected_source.source", "expected_school.source")
    .select([
      "expected_school.source",
      "expected_school.school_id",
      "expected_source.period",
      "expected_source.data_element_codes",
    ])
    .where("expected_school.academy_code", "=", academyCode)
    .execute();
  const bySource = new Map<string, { keys: string[]; schools: string[] }>();
  for (const r of rows) {
    const entry = bySource.get(r.source) ?? {
      keys: r.data_element_codes.map((e) => `${e}|${r.period}`),
      schools: [],
    };
    entry.schools.push(String(r.school_id));
    bySource.set(r.source, entry);
  }
  const out = new Map<string, Set<string>>();
  for (const { keys, schools } of bySource.values())
    for (const key of keys) {
      const set = out.get(key) ?? new Set<string>();
      for (const id of schools) set.add(id);
      out.set(key, set);
    }
  return out;
}
