import { readFileSync } from "node:fs";
import { CsvTokenizer } from "../../platform/index.ts";
import { cleanCell } from "../framework/cells.ts";
import { matchHeader as frameworkMatch } from "../framework/headers.ts";
import type {
  MatchedHeader,
  Profile,
  ProfileContext,
  ProfileResult,
  RowOutcome,
} from "../framework/types.ts";

/**
 * For the Pix profiles' unit tests only: reads a small CSV as the framework hands it to a
 * profile (BOM dropped, `;`, cells cleaned by the framework's `cleanCell`: trimmed, formula guard
 * removed, `NA` as missing), matches the header with the framework's `matchHeader`, and runs a
 * profile over the rows, synchronously. `pix-files.test.ts` reads the same files through the
 * framework's whole reader.
 */

export interface ParsedCsv {
  readonly labels: readonly string[];
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

export function parseCsv(text: string): ParsedCsv {
  const records: { line: number; cells: string[] }[] = [];
  const tokenizer = new CsvTokenizer(";", (r) =>
    records.push({ line: r.line, cells: r.fields.map(cleanCell) }),
  );
  tokenizer.push(text.replace(/^\uFEFF/, ""));
  tokenizer.end();
  const [head, ...rows] = records;
  return { labels: head?.cells ?? [], rows };
}

export function readFixture(name: string): string {
  return readFileSync(new URL(`../../../../tests/fixtures/imports/${name}`, import.meta.url), "utf8");
}

/** The header as the framework matches it (framework/headers.ts). */
export function matchHeader(profile: Profile, labels: readonly string[]): MatchedHeader {
  return frameworkMatch(profile, labels).header;
}

export const TODAY = "2026-12-01";
export const COLLEGE = { id: "s1", uai: "0860001A", academyCode: "13", type: "college" } as const;
export const LYCEE = { id: "s2", uai: "0860002B", academyCode: "13", type: "lycee_gt" } as const;

export function contextFor(overrides: Partial<ProfileContext> = {}): ProfileContext {
  return { school: COLLEGE, period: null, today: TODAY, ...overrides };
}

export interface Run {
  readonly header: MatchedHeader;
  readonly headerIssue: string | null;
  readonly outcomes: readonly RowOutcome[];
  readonly result: ProfileResult;
}

/** Runs a profile over parsed rows, as the framework does (header check, start, each row, finish). */
export function runProfile<S>(
  profile: Profile<S>,
  csv: ParsedCsv,
  context: ProfileContext = contextFor(),
): Run {
  const header = matchHeader(profile as Profile, csv.labels);
  const headerIssue = profile.checkHeader?.(header) ?? null;
  const state = profile.start(context, header);
  const outcomes = csv.rows.map((r) => profile.row(state, r));
  return { header, headerIssue, outcomes, result: profile.finish(state) };
}

/** The values of a result as `element|breakdown → value` (breakdown keys sorted), for readable assertions. */
export function valueMap(result: ProfileResult): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of result.values) {
    const d = Object.keys(v.disaggregation)
      .sort()
      .map((k) => `${k}=${v.disaggregation[k]}`)
      .join(",");
    out.set(`${v.period}|${v.dataElement}|${d}`, v.value);
  }
  return out;
}

export const rejections = (outcomes: readonly RowOutcome[]) =>
  outcomes.flatMap((o) => (o.kind === "rejected" ? o.issues : []));
