import type { ImportMapping } from "../../../contracts/import-mapping.ts";
import { codeCell, decimalCell } from "../../platform/index.ts";
import type {
  ColumnSpec,
  MatchedHeader,
  Profile,
  ProfileContext,
  ProfileResult,
  ProfileRow,
  ProfileValue,
  RowIssue,
  RowOutcome,
} from "../framework/types.ts";
import { genericProfileCode } from "../framework/types.ts";

/**
 * The generic profile (issue 10, item 8): any CSV or XLSX file, read through a mapping profile
 * saved by its author (contracts/import-mapping.ts). One row gives one value per mapped column
 * (a missing cell gives none). The value's type and bounds and the period's syntax are checked
 * row by row with the catalogue's own rules, injected so that the profile stays pure.
 */

export interface GenericRules {
  /** The French reason why `value` is not a valid value of `dataElement`, or null. */
  checkValue(dataElement: string, value: number): string | null;
  /** The French reason why `period` is not a period of the observatory, or null. */
  checkPeriod(period: string): string | null;
}

const UAI_KEY = "uai";
const PERIOD_KEY = "period";
const BREAKDOWN_KEY = "breakdown";
const valueKey = (i: number) => `value:${i}`;

interface GenericState {
  readonly header: MatchedHeader;
  readonly context: ProfileContext;
  /** (UAI, period, breakdown option) → first line: a second row for the same key is a duplicate. */
  readonly seen: Map<string, number>;
  rows: number;
  values: number;
  readonly schools: Set<string>;
}

function specs(mapping: ImportMapping): ColumnSpec[] {
  const list: ColumnSpec[] = [{ key: UAI_KEY, labels: [mapping.uaiColumn], required: true }];
  if ("column" in mapping.period)
    list.push({ key: PERIOD_KEY, labels: [mapping.period.column], required: true });
  if (mapping.breakdown)
    list.push({ key: BREAKDOWN_KEY, labels: [mapping.breakdown.column], required: true });
  mapping.columns.forEach((c, i) => {
    list.push({ key: valueKey(i), labels: [c.column], required: true });
  });
  return list;
}

/** The label a message names for a column key: as written in the file's header. */
function columnLabel(header: MatchedHeader, key: string): string | null {
  const index = header.columns.get(key);
  return index === undefined ? null : (header.labels[index] ?? null);
}

function cell(row: ProfileRow, header: MatchedHeader, key: string): string | undefined {
  const index = header.columns.get(key);
  return index === undefined ? undefined : row.cells[index];
}

/** A number as people type it in a spreadsheet: decimal comma, spaces between thousands. */
function numberCell(raw: string | undefined): number | null | "invalid" {
  return decimalCell(raw?.replace(/[\s\u00a0\u202f]/g, ""));
}

export function buildGenericProfile(mapping: ImportMapping, rules: GenericRules): Profile<GenericState> {
  return {
    code: genericProfileCode(mapping.name),
    label: `Fichier quelconque — correspondance « ${mapping.name} »`,
    columns: specs(mapping),
    needsSchool: false,
    start: (context, header) => ({
      header,
      context,
      seen: new Map(),
      rows: 0,
      values: 0,
      schools: new Set(),
    }),
    row: (state, row) => readRow(mapping, rules, state, row),
    finish: (state): ProfileResult => ({
      values: [],
      summary: { rows: state.rows, values: state.values, schools: state.schools.size },
    }),
  };
}

function rowPeriod(
  mapping: ImportMapping,
  rules: GenericRules,
  state: GenericState,
  row: ProfileRow,
): { period: string } | { issue: RowIssue } {
  const column = columnLabel(state.header, PERIOD_KEY);
  const period =
    "fixed" in mapping.period ? mapping.period.fixed : (codeCell(cell(row, state.header, PERIOD_KEY)) ?? "");
  if (period === "") return { issue: { line: row.line, column, reason: "période absente" } };
  const reason = rules.checkPeriod(period);
  if (reason) return { issue: { line: row.line, column, reason } };
  if (state.context.period !== null && state.context.period !== period)
    return {
      issue: {
        line: row.line,
        column,
        reason: `période ${period} hors de la période demandée (${state.context.period})`,
      },
    };
  return { period };
}

function rowBreakdown(
  mapping: ImportMapping,
  state: GenericState,
  row: ProfileRow,
): { options: Record<string, string> } | { issue: RowIssue } {
  if (!mapping.breakdown) return { options: {} };
  const raw = codeCell(cell(row, state.header, BREAKDOWN_KEY));
  const column = columnLabel(state.header, BREAKDOWN_KEY);
  if (raw === null) return { options: {} };
  const wanted = raw.toLowerCase();
  const match = Object.entries(mapping.breakdown.options).find(([k]) => k.toLowerCase() === wanted);
  if (!match)
    return {
      issue: {
        line: row.line,
        column,
        reason: `« ${raw.slice(0, 80)} » n'a pas de correspondance dans la ventilation ${mapping.breakdown.disaggregation}`,
      },
    };
  return { options: { [mapping.breakdown.disaggregation]: match[1] } };
}

function readRow(
  mapping: ImportMapping,
  rules: GenericRules,
  state: GenericState,
  row: ProfileRow,
): RowOutcome {
  const uai = codeCell(cell(row, state.header, UAI_KEY))?.toUpperCase() ?? null;
  const mappedCells = mapping.columns.map((_, i) => cell(row, state.header, valueKey(i)));
  if (uai === null && mappedCells.every((c) => codeCell(c) === null)) return { kind: "empty" };
  if (uai === null)
    return {
      kind: "rejected",
      issues: [{ line: row.line, column: columnLabel(state.header, UAI_KEY), reason: "UAI absent" }],
    };
  const period = rowPeriod(mapping, rules, state, row);
  if ("issue" in period) return { kind: "rejected", issues: [period.issue] };
  const breakdown = rowBreakdown(mapping, state, row);
  if ("issue" in breakdown) return { kind: "rejected", issues: [breakdown.issue] };
  const { values, issues } = rowValues(mapping, rules, state, row, {
    uai,
    period: period.period,
    breakdown: breakdown.options,
  });
  if (issues.length > 0) return { kind: "rejected", issues };
  const key = `${uai}|${period.period}|${JSON.stringify(breakdown.options)}`;
  const first = state.seen.get(key);
  if (first !== undefined)
    return {
      kind: "duplicate",
      issue: {
        line: row.line,
        column: columnLabel(state.header, UAI_KEY),
        reason: `doublon de la ligne ${first} (même UAI, période et ventilation)`,
      },
    };
  state.seen.set(key, row.line);
  state.rows++;
  state.values += values.length;
  state.schools.add(uai);
  return { kind: "accepted", values };
}

function rowValues(
  mapping: ImportMapping,
  rules: GenericRules,
  state: GenericState,
  row: ProfileRow,
  at: { uai: string; period: string; breakdown: Record<string, string> },
): { values: ProfileValue[]; issues: RowIssue[] } {
  const values: ProfileValue[] = [];
  const issues: RowIssue[] = [];
  mapping.columns.forEach((c, i) => {
    const raw = cell(row, state.header, valueKey(i));
    const column = columnLabel(state.header, valueKey(i));
    const n = numberCell(raw);
    if (n === null) return;
    if (n === "invalid") {
      issues.push({
        line: row.line,
        column,
        reason: `« ${(raw ?? "").trim().slice(0, 80)} » n'est pas un nombre`,
      });
      return;
    }
    const reason = rules.checkValue(c.dataElement, n);
    if (reason) {
      issues.push({ line: row.line, column, reason });
      return;
    }
    values.push({
      uai: at.uai,
      dataElement: c.dataElement,
      period: at.period,
      disaggregation: { ...c.disaggregation, ...at.breakdown },
      value: n,
    });
  });
  return { values, issues };
}
