import { codeCell, decimalCell } from "../../platform/index.ts";
import { checkUai } from "../../territories/index.ts";
import type {
  ColumnFamily,
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

/**
 * What the open-data profiles (ips, enrolments, ivac, dnb) share: one row is one school and one
 * period (« Rentrée scolaire » or « Session »), read into a few values at once; a second row for
 * the same school and period is a duplicate (the first one wins); a row with a bad cell is
 * rejected whole, so that a school never gets half of its figures. These files carry no
 * personal data: only counts, rates and indices per school.
 */

export const UAI_KEY = "uai";
export const PERIOD_KEY = "period";

/** Cells the ministry's files write for « no figure » besides the platform's (`NA`, `None`…). */
const NOT_PUBLISHED = new Set(["ND", "NS", "NC", "-", "s", "S", "SE"]);

/** The UAI column under the names the national and académie versions give it. */
export function uaiColumn(extra: readonly string[] = []): ColumnSpec {
  return {
    key: UAI_KEY,
    labels: [
      "UAI",
      "Numéro UAI",
      "numero_uai",
      "Code UAI",
      "uai_etablissement",
      "Identifiant de l'établissement",
      "Identifiant_de_l_etablissement",
      ...extra,
    ],
    required: true,
  };
}

export type PeriodKind = "rentree" | "session";

/** The period column: « Rentrée scolaire » (school years) or « Session » (an exam's June). */
export function periodColumn(kind: PeriodKind): ColumnSpec {
  const labels =
    kind === "rentree"
      ? [
          "Rentrée scolaire",
          "rentree_scolaire",
          "Année scolaire",
          "Annee_scolaire",
          "annee_scolaire",
          "Rentrée",
        ]
      : ["Session", "session", "Année de session", "Annee"];
  // Not required: `--period` may stand for a file that names none.
  return { key: PERIOD_KEY, labels, required: false };
}

const SCHOOL_YEAR = /^(\d{4})\s*[-/]\s*(\d{4})$/;
const YEAR = /^\d{4}$/;

/**
 * The school year (`2022-2023`, the observatory's syntax) of a « Rentrée scolaire » cell (`2022`,
 * `2022-2023`, `2022/2023`) or of a « Session » cell (`2023`: the DNB of June 2023 closes the
 * school year 2022-2023). A year that has not started yet (`today`) is refused.
 */
export function schoolYearOf(
  raw: string,
  kind: PeriodKind,
  today: string,
): { period: string } | { reason: string } {
  const value = raw.trim();
  let start: number;
  const pair = SCHOOL_YEAR.exec(value);
  if (pair) {
    start = Number(pair[1]);
    if (Number(pair[2]) !== start + 1)
      return {
        reason: `année scolaire « ${value.slice(0, 20)} » invalide : la seconde année doit suivre la première`,
      };
  } else if (YEAR.test(value)) {
    start = kind === "rentree" ? Number(value) : Number(value) - 1;
  } else {
    const what = kind === "rentree" ? "une rentrée (2022 ou 2022-2023)" : "une session (2023)";
    return { reason: `« ${value.slice(0, 80)} » n'est pas ${what}` };
  }
  if (start < 1990) return { reason: `année ${start} trop ancienne (au plus tôt 1990)` };
  // A rentrée starts on 1 September; a session's results are published from June.
  const known = kind === "rentree" ? `${start}-09-01` : `${start + 1}-06-01`;
  if (known > today) {
    const said = kind === "rentree" ? `rentrée ${start}` : `session ${start + 1}`;
    return { reason: `${said} dans le futur (aujourd'hui : ${today})` };
  }
  return { period: `${start}-${start + 1}` };
}

/** Reads the cells of one row by column key, collecting the reasons of the bad ones. */
export class RowCells {
  readonly issues: RowIssue[] = [];

  constructor(
    readonly header: MatchedHeader,
    private readonly row: ProfileRow,
  ) {}

  /** A column key, or `#<index>` for a column of a family (the index its match gave). */
  private indexOf(key: string): number | undefined {
    return key.startsWith("#") ? Number(key.slice(1)) : this.header.columns.get(key);
  }

  has(key: string): boolean {
    return this.indexOf(key) !== undefined;
  }

  label(key: string): string | null {
    const index = this.indexOf(key);
    return index === undefined ? null : (this.header.labels[index] ?? null);
  }

  raw(key: string): string | undefined {
    const index = this.indexOf(key);
    return index === undefined ? undefined : this.row.cells[index];
  }

  /** The trimmed text of a cell; null when absent or « not published » (`None`, `ND`…). */
  text(key: string): string | null {
    const value = codeCell(this.raw(key));
    return value === null || NOT_PUBLISHED.has(value) ? null : value;
  }

  reject(key: string | null, reason: string): void {
    this.issues.push({ line: this.row.line, column: key === null ? null : this.label(key), reason });
  }

  /** A number within bounds (decimal comma, spaces between thousands); null when missing. */
  number(key: string, bounds: { min: number; max: number; integer?: boolean; what: string }): number | null {
    const text = this.text(key);
    if (text === null) return null;
    const n = decimalCell(text.replace(/[\s\u00a0\u202f]/g, ""));
    if (n === null) return null;
    if (n === "invalid") {
      this.reject(key, `« ${text.slice(0, 80)} » n'est pas un nombre (${bounds.what})`);
      return null;
    }
    if (bounds.integer && !Number.isInteger(n)) {
      this.reject(key, `${text.slice(0, 80)} n'est pas un entier (${bounds.what})`);
      return null;
    }
    if (n < bounds.min || n > bounds.max) {
      this.reject(key, `${text.slice(0, 80)} hors des bornes ${bounds.min} à ${bounds.max} (${bounds.what})`);
      return null;
    }
    return n;
  }

  /** A count of people (0 to 100 000 in one school). */
  count(key: string, what: string): number | null {
    return this.number(key, { min: 0, max: 100_000, integer: true, what });
  }

  /** A percentage published by the ministry (0 to 100). */
  percentage(key: string, what: string): number | null {
    return this.number(key, { min: 0, max: 100, what });
  }
}

/** One value of a row, before the profile adds the school and the period. */
export interface RowValue {
  readonly dataElement: string;
  readonly disaggregation?: Readonly<Record<string, string>>;
  readonly value: number;
}

/** What a profile makes of one row's cells. */
export interface RowReading {
  readonly values: readonly RowValue[];
  /** Figures added up into the report's summary (pupils, candidates…). */
  readonly tally?: Readonly<Record<string, number>>;
}

export interface OpenDataSpec {
  readonly code: string;
  readonly label: string;
  readonly periodKind: PeriodKind;
  /** Every column but the UAI and the period ones. */
  readonly columns: readonly ColumnSpec[];
  readonly families?: readonly ColumnFamily[];
  readonly uaiLabels?: readonly string[];
  checkHeader?(header: MatchedHeader): string | null;
  /** The row's values (an issue in `cells` rejects the row); called for a row with a UAI and a period. */
  read(cells: RowCells): RowReading;
  /** The summary's own figures from the tallies (a mean from a sum and a count…); the tallies by default. */
  summarize?(tally: Readonly<Record<string, number>>): Record<string, number>;
}

interface OpenDataState {
  readonly context: ProfileContext;
  readonly header: MatchedHeader;
  /** `UAI|period` → first line. */
  readonly seen: Map<string, number>;
  readonly schools: Set<string>;
  readonly periods: Set<string>;
  readonly tally: Record<string, number>;
  rows: number;
  values: number;
}

/** Builds a profile from its spec: the row loop, the UAI, the period and the duplicates are shared. */
export function openDataProfile(spec: OpenDataSpec): Profile<OpenDataState> {
  const columns = [uaiColumn(spec.uaiLabels), periodColumn(spec.periodKind), ...spec.columns];
  return {
    code: spec.code,
    label: spec.label,
    columns,
    needsSchool: false,
    ...(spec.families ? { families: spec.families } : {}),
    ...(spec.checkHeader ? { checkHeader: spec.checkHeader } : {}),
    start: (context, header) => ({
      context,
      header,
      seen: new Map(),
      schools: new Set(),
      periods: new Set(),
      tally: {},
      rows: 0,
      values: 0,
    }),
    row: (state, row) => readRow(spec, state, row),
    finish: (state): ProfileResult => ({
      values: [],
      summary: {
        rows: state.rows,
        schools: state.schools.size,
        periods: state.periods.size,
        values: state.values,
        ...(spec.summarize ? spec.summarize(state.tally) : state.tally),
      },
    }),
  };
}

function rowPeriod(spec: OpenDataSpec, state: OpenDataState, cells: RowCells): string | null {
  const asked = state.context.period;
  const text = cells.text(PERIOD_KEY);
  if (text === null) {
    if (asked !== null) return asked;
    cells.reject(
      cells.has(PERIOD_KEY) ? PERIOD_KEY : null,
      cells.has(PERIOD_KEY)
        ? "période absente"
        : `période absente : le fichier n'a pas de colonne « ${spec.periodKind === "rentree" ? "Rentrée scolaire" : "Session"} » ; indiquer --period`,
    );
    return null;
  }
  const read = schoolYearOf(text, spec.periodKind, state.context.today);
  if ("reason" in read) {
    cells.reject(PERIOD_KEY, read.reason);
    return null;
  }
  if (asked !== null && asked !== read.period) {
    cells.reject(PERIOD_KEY, `période ${read.period} hors de la période demandée (${asked})`);
    return null;
  }
  return read.period;
}

function readRow(spec: OpenDataSpec, state: OpenDataState, row: ProfileRow): RowOutcome {
  if (row.cells.every((c) => codeCell(c) === null)) return { kind: "empty" };
  const cells = new RowCells(state.header, row);
  const uaiText = cells.text(UAI_KEY);
  const uai = checkUai(uaiText);
  if (!uai.ok)
    return {
      kind: "rejected",
      issues: [{ line: row.line, column: cells.label(UAI_KEY), reason: uai.reason }],
    };
  const period = rowPeriod(spec, state, cells);
  if (period === null) return { kind: "rejected", issues: cells.issues };
  const reading = spec.read(cells);
  if (cells.issues.length > 0) return { kind: "rejected", issues: cells.issues };
  if (reading.values.length === 0) {
    cells.reject(null, "aucune valeur publiée pour cet établissement (cellules vides ou non diffusées)");
    return { kind: "rejected", issues: cells.issues };
  }
  const key = `${uai.uai}|${period}`;
  const first = state.seen.get(key);
  if (first !== undefined)
    return {
      kind: "duplicate",
      issue: {
        line: row.line,
        column: cells.label(UAI_KEY),
        reason: `doublon de la ligne ${first} (même UAI, même période)`,
      },
    };
  state.seen.set(key, row.line);
  state.rows++;
  state.schools.add(uai.uai);
  state.periods.add(period);
  state.values += reading.values.length;
  for (const [k, v] of Object.entries(reading.tally ?? {})) state.tally[k] = (state.tally[k] ?? 0) + v;
  const values: ProfileValue[] = reading.values.map((v) => ({
    uai: uai.uai,
    dataElement: v.dataElement,
    period,
    disaggregation: v.disaggregation ?? {},
    value: v.value,
  }));
  return { kind: "accepted", values };
}

/** Pushes a value when present. */
export function push(
  out: RowValue[],
  dataElement: string,
  value: number | null,
  disaggregation?: Readonly<Record<string, string>>,
): void {
  if (value === null) return;
  out.push(disaggregation ? { dataElement, disaggregation, value } : { dataElement, value });
}
