import { CsvTokenizer } from "../../platform/index.ts";
import type {
  MatchedHeader,
  Profile,
  ProfileContext,
  ProfileResult,
  ProfileValue,
  RowIssue,
} from "../framework/types.ts";

/**
 * Test support for the open-data profiles: a header matcher and a row loop as small as the
 * contract allows (labels compared without accents, case, apostrophe kind, `_` or repeated
 * spaces), so that the profiles are tested on whole CSV texts before and apart from the
 * framework's runner. Not used by the application.
 */

export function normalizeLabel(label: string): string {
  return label
    .replace(/^\uFEFF/, "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[_\s]+/g, " ")
    .trim();
}

export function matchHeader(
  profile: Profile,
  labels: readonly string[],
): MatchedHeader | { missing: string[] } {
  const normalized = labels.map(normalizeLabel);
  const columns = new Map<string, number>();
  const missing: string[] = [];
  for (const spec of profile.columns) {
    const wanted = new Set(spec.labels.map(normalizeLabel));
    const index = normalized.findIndex((l) => wanted.has(l));
    if (index >= 0) columns.set(spec.key, index);
    else if (spec.required) missing.push(spec.labels[0] ?? spec.key);
  }
  if (missing.length > 0) return { missing };
  const families = new Map<string, Map<string, number>>();
  for (const family of profile.families ?? []) {
    const items = new Map<string, number>();
    labels.forEach((label, index) => {
      const m = family.pattern.exec(label.replace(/^\uFEFF/, "").trim());
      if (m?.[1] !== undefined && !items.has(m[1])) items.set(m[1], index);
    });
    families.set(family.key, items);
  }
  return { columns, families, labels: labels.map((l) => l.replace(/^\uFEFF/, "").trim()) };
}

export interface ProfileRun {
  readonly read: number;
  readonly accepted: number;
  readonly rejected: readonly RowIssue[];
  readonly rejectedRows: number;
  readonly duplicates: readonly RowIssue[];
  readonly values: readonly ProfileValue[];
  readonly result: ProfileResult;
}

export const TEST_CONTEXT: ProfileContext = { school: null, period: null, today: "2026-12-01" };

/** Runs a profile over a CSV text (header on the first line); throws when the header does not match. */
export function runProfile(
  profile: Profile,
  text: string,
  context: ProfileContext = TEST_CONTEXT,
  separator = ";",
): ProfileRun {
  const records: { line: number; fields: string[] }[] = [];
  const tokenizer = new CsvTokenizer(separator, (r) => records.push({ line: r.line, fields: r.fields }));
  tokenizer.push(text);
  tokenizer.end();
  const [head, ...rows] = records;
  if (!head) throw new Error("fichier vide");
  const header = matchHeader(profile, head.fields);
  if ("missing" in header) throw new Error(`colonnes absentes : ${header.missing.join(", ")}`);
  const refused = profile.checkHeader?.(header);
  if (refused) throw new Error(refused);
  const state = profile.start(context, header);
  const rejected: RowIssue[] = [];
  const duplicates: RowIssue[] = [];
  const values: ProfileValue[] = [];
  let accepted = 0;
  let rejectedRows = 0;
  for (const r of rows) {
    const outcome = profile.row(state, { line: r.line, cells: r.fields.map((c) => c.trim()) });
    if (outcome.kind === "accepted") {
      accepted++;
      values.push(...(outcome.values ?? []));
    } else if (outcome.kind === "rejected") {
      rejectedRows++;
      rejected.push(...outcome.issues);
    } else if (outcome.kind === "duplicate") duplicates.push(outcome.issue);
  }
  const result = profile.finish(state);
  return {
    read: rows.length,
    accepted,
    rejected,
    rejectedRows,
    duplicates,
    values: [...values, ...result.values],
    result,
  };
}

/** Values as `element|period|breakdown` → value, per UAI, for comparisons that ignore order. */
export function valueTable(values: readonly ProfileValue[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    const d = Object.entries(v.disaggregation)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, o]) => `${k}=${o}`)
      .join(",");
    out.set(`${v.uai}|${v.dataElement}|${v.period}|${d}`, v.value);
  }
  return out;
}
