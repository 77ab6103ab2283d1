import type {
  CellStatusDto,
  IndicatorCatalogueItem,
  IndicatorCell,
  IndicatorSummary,
  NodeLevel,
} from "../../contracts/indicators.ts";
import {
  LEVEL_LABELS,
  NATION_KEY,
  NODE_LEVELS,
  nodeKey,
  parseNodeKey,
} from "../../contracts/territory-tree.ts";

/*
 * Pure helpers of the indicator pages: formatting, verdicts, sorting, colour classes and URL
 * state. Only types come from the contracts (zod stays out of the browser, see ADR 0004).
 */

/**
 * The tree's levels, keys and labels are the contracts' own (`territory-tree.ts`, Zod-free):
 * re-exported here for the indicator pages, never copied.
 */
export { NODE_LEVELS, nodeKey, parseNodeKey } from "../../contracts/territory-tree.ts";

/** « Académie » before a name… (the contracts' one table of level labels). */
export const NODE_LEVEL_LABELS: Record<NodeLevel, string> = labelsBy("title");

/** Plural titles of the children of a node: « Académies » under a région académique… */
export const CHILD_LEVEL_PLURALS: Record<NodeLevel, string> = labelsBy("plural");

function labelsBy(form: "title" | "plural"): Record<NodeLevel, string> {
  return Object.fromEntries(NODE_LEVELS.map((level) => [level, LEVEL_LABELS[level][form]])) as Record<
    NodeLevel,
    string
  >;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const NBSP = "\u00a0";
const decimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

/** A number in French (« 1 234,5 »), one decimal at most. */
export function formatNumber(value: number): string {
  return decimal.format(value);
}

/** « 42,5 % », « 12 établissements », « 3,2 pour 100 élèves ». */
export function formatValue(value: number, unit: string): string {
  const text = Number.isInteger(value) ? integer.format(value) : decimal.format(value);
  if (unit === "") return text;
  return `${text}${NBSP}${unit}`;
}

/** A difference with its sign: « +2,5 points », « −1 établissement ». */
export function formatDifference(difference: number, unit: string): string {
  const sign = difference > 0 ? "+" : difference < 0 ? "\u2212" : "";
  const magnitude = formatNumber(Math.abs(difference));
  const suffix = unit === "%" ? (Math.abs(difference) < 2 ? " point" : " points") : unit ? ` ${unit}` : "";
  return `${sign}${magnitude}${suffix.replace(" ", NBSP)}`;
}

/** « 12 établissements sur 15, 80 % »; null when the expected schools are unknown. */
export function formatCoverage(
  cell: Pick<IndicatorCell, "schoolsReporting" | "schoolsExpected" | "coverage">,
): string {
  const { schoolsReporting: reporting, schoolsExpected: expected } = cell;
  if (reporting === null && expected !== null) {
    return `${integer.format(expected)} ${expected < 2 ? "établissement attendu" : "établissements attendus"}, couverture masquée`;
  }
  if (reporting === null || expected === null) return "couverture inconnue";
  const share = cell.coverage ?? (expected > 0 ? reporting / expected : null);
  const noun = reporting < 2 ? "établissement" : "établissements";
  const ratio = `${integer.format(reporting)} ${noun} sur ${integer.format(expected)}`;
  return share === null ? ratio : `${ratio}, ${percent.format(share * 100)}${NBSP}%`;
}

/** « 188 sur 207 (91 %) », for narrow tables. */
export function formatCoverageShort(
  cell: Pick<IndicatorCell, "schoolsReporting" | "schoolsExpected" | "coverage">,
): string {
  const { schoolsReporting: reporting, schoolsExpected: expected } = cell;
  if (reporting === null || expected === null) return formatCoverage(cell);
  const share = cell.coverage ?? (expected > 0 ? reporting / expected : null);
  const ratio = `${integer.format(reporting)} sur ${integer.format(expected)}`;
  return share === null ? ratio : `${ratio} (${percent.format(share * 100)}${NBSP}%)`;
}

/** The coverage share alone, « 80 % », for narrow table cells; « — » when unknown. */
export function formatCoverageShare(coverage: number | null): string {
  return coverage === null ? "—" : `${percent.format(coverage * 100)}${NBSP}%`;
}

export function isSuppressed(status: CellStatusDto): boolean {
  return status !== "published";
}

/** The reason of a suppressed cell, without the « secret statistique : » prefix. */
export function suppressionReason(cell: Pick<IndicatorCell, "status" | "statusLabel">): string {
  if (!isSuppressed(cell.status)) return "";
  return cell.statusLabel.replace(/^secret statistique\s*:\s*/i, "");
}

/** What a cell shows: its value, « secret statistique » or « pas de donnée ». */
export type CellDisplay =
  | { kind: "value"; text: string; value: number; restricted: boolean }
  | { kind: "secret"; text: "secret statistique"; reason: string }
  | { kind: "missing"; text: "pas de donnée" };

export function cellDisplay(cell: IndicatorCell, unit: string): CellDisplay {
  if (cell.value !== null && (!isSuppressed(cell.status) || cell.restricted)) {
    return {
      kind: "value",
      text: formatValue(cell.value, unit),
      value: cell.value,
      restricted: cell.restricted && isSuppressed(cell.status),
    };
  }
  if (isSuppressed(cell.status)) {
    return { kind: "secret", text: "secret statistique", reason: suppressionReason(cell) };
  }
  return { kind: "missing", text: "pas de donnée" };
}

/** The value a cell shows, or null (suppressed for this viewer, or missing). */
export function shownValue(cell: IndicatorCell): number | null {
  if (cell.value === null) return null;
  return !isSuppressed(cell.status) || cell.restricted ? cell.value : null;
}

// ---------------------------------------------------------------------------------------------
// Comparisons

export type Verdict = "better" | "worse" | "equal";

/** better / worse / equal by the indicator's direction; null for a target or a missing value. */
export function verdictOf(
  direction: IndicatorSummary["direction"],
  value: number | null,
  reference: number | null,
): Verdict | null {
  if (value === null || reference === null || direction === "target") return null;
  const difference = value - reference;
  if (Math.abs(difference) < 1e-9) return "equal";
  const higherIsBetter = direction === "higher_is_better";
  return difference > 0 === higherIsBetter ? "better" : "worse";
}

export const VERDICT_TEXT: Record<Verdict, string> = {
  better: "mieux",
  worse: "moins bien",
  equal: "égal",
};

/** « mieux que la France », « moins bien que l'année précédente », « égal à l'académie »… */
export function verdictSentence(verdict: Verdict | null, against: string): string {
  if (verdict === null) return `sans appréciation par rapport à ${against}`;
  if (verdict === "equal") return `égal à ${against}`;
  return `${VERDICT_TEXT[verdict]} que ${against}`;
}

/** « la France », « l'académie de Bordeaux », « la région académique Nouvelle-Aquitaine »… */
export function nodePhrase(node: { level: NodeLevel; name: string }): string {
  switch (node.level) {
    case "nation":
      return "la France";
    case "academicRegion":
      return `la région académique ${node.name}`;
    case "academy":
      return `l'académie ${/^[AEIOUYÉÈÂÎ]/i.test(node.name) ? "d'" : "de "}${node.name}`;
    case "department":
      return `le département ${node.name}`;
    case "district":
      return `le territoire ${node.name}`;
    case "school":
      return `l'établissement ${node.name}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Sorting

export type SortKey = "name" | "value" | "coverage";
export type SortDirection = "ascending" | "descending";

const collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });

/**
 * The children sorted by name, shown value or coverage. Cells without a number (suppressed,
 * missing) always come last, whatever the direction; ties keep the name order.
 */
export function sortCells(
  cells: readonly IndicatorCell[],
  key: SortKey,
  direction: SortDirection,
): IndicatorCell[] {
  const factor = direction === "ascending" ? 1 : -1;
  const byName = (a: IndicatorCell, b: IndicatorCell) => collator.compare(a.node.name, b.node.name);
  const number = (cell: IndicatorCell) => (key === "value" ? shownValue(cell) : cell.coverage);
  return [...cells].sort((a, b) => {
    if (key === "name") return factor * byName(a, b);
    const x = number(a);
    const y = number(b);
    if (x === null && y === null) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return x === y ? byName(a, b) : factor * (x - y);
  });
}

// ---------------------------------------------------------------------------------------------
// Colour classes of the map (with a pattern each, so that colour is never the only signal)

export interface ColourClass {
  index: number;
  min: number;
  max: number;
}

/**
 * Up to `count` classes of equal numbers of values (quantiles), with readable bounds. Fewer
 * classes when there are fewer distinct values.
 */
export function colourClasses(values: readonly number[], count = 4): ColourClass[] {
  const sorted = [...new Set(values.filter((v) => Number.isFinite(v)))].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const k = Math.max(1, Math.min(count, sorted.length));
  const classes: ColourClass[] = [];
  for (let index = 0; index < k; index++) {
    const from = Math.floor((index * sorted.length) / k);
    const to = Math.floor(((index + 1) * sorted.length) / k) - 1;
    classes.push({ index, min: sorted[from] as number, max: sorted[to] as number });
  }
  return classes;
}

/** The class of a value: the last class whose minimum it reaches; null for no value. */
export function classOf(value: number | null, classes: readonly ColourClass[]): number | null {
  if (value === null || classes.length === 0) return null;
  let found = 0;
  for (const c of classes) if (value >= c.min) found = c.index;
  return found;
}

/** « de 12 % à 25 % », « 40 % » when a class holds one value. */
export function classLabel(c: ColourClass, unit: string): string {
  return c.min === c.max
    ? formatValue(c.min, unit)
    : `de ${formatValue(c.min, unit)} à ${formatValue(c.max, unit)}`;
}

// ---------------------------------------------------------------------------------------------
// URL state of the indicator page

export interface IndicatorPageParams {
  /** `niveau:code`, the nation by default. */
  territory: string;
  /** The server picks the newest period when absent. */
  period: string | undefined;
  group: string;
}

export function parseIndicatorParams(search: URLSearchParams): IndicatorPageParams {
  const raw = (search.get("territoire") ?? "").trim();
  const node = raw ? parseNodeKey(raw) : null;
  const period = (search.get("periode") ?? "").trim();
  return {
    territory: node ? nodeKey(node) : NATION_KEY,
    period: period && period.length <= 20 ? period : undefined,
    group: (search.get("groupe") ?? "").trim().slice(0, 60),
  };
}

/** `?territoire=…&periode=…&groupe=…`; the nation and the empty group are left out. */
export function indicatorSearch(params: Partial<IndicatorPageParams>): string {
  const search = new URLSearchParams();
  if (params.territory && params.territory !== NATION_KEY) search.set("territoire", params.territory);
  if (params.period) search.set("periode", params.period);
  if (params.group) search.set("groupe", params.group);
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function indicatorPath(code: string, params: Partial<IndicatorPageParams> = {}): string {
  return `/indicateurs/${encodeURIComponent(code)}${indicatorSearch(params)}`;
}

/** The query of the values, dashboard and export endpoints. */
export function apiQuery(params: IndicatorPageParams, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams({ territory: params.territory });
  if (params.period) search.set("period", params.period);
  if (params.group) search.set("group", params.group);
  for (const [key, value] of Object.entries(extra)) search.set(key, value);
  return search.toString();
}

export function exportUrl(code: string, format: "csv" | "xlsx", params: IndicatorPageParams): string {
  return `/api/v1/indicators/${encodeURIComponent(code)}/values.${format}?${apiQuery(params, { children: "true" })}`;
}

export function schemaUrl(code: string): string {
  return `/api/v1/indicators/${encodeURIComponent(code)}/values.schema.json`;
}

export type PeriodKind = "schoolYear" | "year" | "month" | "week" | "day" | "other";

export function periodKind(period: string): PeriodKind {
  if (/^\d{4}-\d{4}$/.test(period)) return "schoolYear";
  if (/^\d{4}$/.test(period)) return "year";
  if (/^\d{4}-\d{2}$/.test(period)) return "month";
  if (/^\d{4}-W\d{2}$/.test(period)) return "week";
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return "day";
  return "other";
}

/** The cells of a series whose period is of the same kind as `period` (school years with school years…). */
export function sameKindSeries<T extends { period: string }>(series: readonly T[], period: string): T[] {
  const kind = periodKind(period);
  return series.filter((cell) => periodKind(cell.period) === kind);
}

/** « année scolaire 2024-2025 », « année 2025 », « mars 2025 »… */
export function periodLabel(period: string): string {
  if (/^\d{4}-\d{4}$/.test(period)) return `année scolaire ${period}`;
  if (/^\d{4}$/.test(period)) return `année ${period}`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const date = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
    return new Intl.DateTimeFormat("fr-FR", { month: "long", year: "numeric", timeZone: "UTC" }).format(date);
  }
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) return `semaine ${Number(week[2])} de ${week[1]}`;
  return period;
}

// ---------------------------------------------------------------------------------------------
// Trend chart and catalogue search

/** A « nice » upper bound for the vertical axis: 1, 2, 2.5 or 5 × 10^n above the maximum. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** The points of a line that carry their value: all up to 6, else first, last, lowest and highest. */
export function labelledPoints(values: readonly (number | null)[]): Set<number> {
  const shown = values.flatMap((v, i) => (v === null ? [] : [i]));
  if (shown.length <= 6) return new Set(shown);
  const byValue = [...shown].sort((a, b) => (values[a] as number) - (values[b] as number));
  return new Set([shown[0], shown[shown.length - 1], byValue[0], byValue[byValue.length - 1]] as number[]);
}

/** One sentence for screen readers: first and last published values, highest and lowest. */
export function trendSummary(series: readonly IndicatorCell[], unit: string): string {
  const points = series
    .map((cell) => ({ period: cell.period, value: shownValue(cell) }))
    .filter((p): p is { period: string; value: number } => p.value !== null);
  if (points.length === 0) return "Aucune valeur publiée sur la période.";
  const first = points[0] as { period: string; value: number };
  const last = points[points.length - 1] as { period: string; value: number };
  if (points.length === 1)
    return `Une seule valeur publiée : ${formatValue(first.value, unit)} (${first.period}).`;
  const trend = last.value > first.value ? "en hausse" : last.value < first.value ? "en baisse" : "stable";
  return `De ${first.period} à ${last.period}, la valeur passe de ${formatValue(first.value, unit)} à ${formatValue(last.value, unit)} (${trend}), sur ${points.length} périodes publiées.`;
}

/** Lower case without accents, for a forgiving search. */
export function searchable(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

/** The indicators whose code, name, definition, unit or source system contain every word of `q`. */
export function filterCatalogue(
  items: readonly IndicatorCatalogueItem[],
  q: string,
): IndicatorCatalogueItem[] {
  const words = searchable(q).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((item) => {
    const haystack = searchable(
      [item.code, item.name, item.definition, item.unit, ...item.sources.map((s) => s.system)].join(" "),
    );
    return words.every((word) => haystack.includes(word));
  });
}
