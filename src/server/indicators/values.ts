import type { Kysely } from "kysely";
import {
  CELL_STATUS_LABELS,
  type CellStatusDto,
  type IndicatorCell,
  type IndicatorSummary,
  type NodeLevel,
  type NodeRef,
} from "../../contracts/indicators.ts";
import { can, loadTerritoryIndex, type Principal } from "../identity/index.ts";
import type { Database } from "../platform/index.ts";
import { nodeKey } from "../territories/index.ts";
import { type CatalogueIndicator, getCatalogue } from "./catalogue.ts";
import { finiteOrNull } from "./domain/bounds.ts";
import { parsePeriod, periodDays } from "./domain/periods.ts";
import { compare } from "./domain/rollup.ts";
import { planVariant, schoolRatio, seriesOf } from "./plan.ts";
import type { IndicatorAggregateTable } from "./schema.ts";
import { loadSeriesIndex } from "./series-index.ts";

/**
 * Reading the observatory: stored aggregates turned into cells for a viewer. The public sees
 * published figures only; a user whose role holds `indicators.restricted` on the node (the
 * authority's staff, the school's own users) also sees the figures of suppressed cells, flagged
 * `restricted`.
 */

type AggregateRow = Omit<IndicatorAggregateTable, "computed_at">;

export interface CellQuery {
  readonly indicatorCode: string;
  readonly period: string;
  readonly group?: string;
  readonly disaggregation?: string;
}

export function summaryOf(i: CatalogueIndicator): IndicatorSummary {
  return {
    code: i.code,
    name: i.name,
    unit: i.unit,
    definition: i.definition,
    factor: i.factor,
    direction: i.direction,
    kind: i.kind,
  };
}

/**
 * Periods having values at the nation for each indicator, newest first. Read on every page: kept
 * a few seconds per database (a new period shows up within that delay after a roll-up).
 */
const PERIODS_TTL_MS = 5_000;
const periodsCache = new WeakMap<object, { at: number; value: Promise<Map<string, string[]>> }>();

export function periodsByIndicator(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const hit = periodsCache.get(db);
  if (hit && performance.now() - hit.at < PERIODS_TTL_MS) return hit.value;
  const value = readPeriodsByIndicator(db);
  periodsCache.set(db, { at: performance.now(), value });
  value.catch(() => periodsCache.delete(db));
  return value;
}

/** Forgets the cached periods (after a roll-up in this process). */
export function forgetPeriods(db: Kysely<Database>): void {
  periodsCache.delete(db);
}

async function readPeriodsByIndicator(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom("indicator_aggregate")
    .select(["indicator_code", "period"])
    .distinct()
    .where("node_level", "=", "nation")
    .where("grp", "=", "")
    .where("disaggregation", "=", "")
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.indicator_code, [...(out.get(r.indicator_code) ?? []), r.period]);
  for (const list of out.values()) list.sort(comparePeriodsDesc);
  return out;
}

/** Newest first; at equal end, the longer period first (a school year before its last month). */
export function comparePeriodsDesc(a: string, b: string): number {
  const pa = parsePeriod(a);
  const pb = parsePeriod(b);
  if (!pa.ok || !pb.ok) return a < b ? 1 : -1;
  if (pa.period.end !== pb.period.end) return pa.period.end < pb.period.end ? 1 : -1;
  return periodDays(pb.period) - periodDays(pa.period);
}

/** The default period: the newest school year (or civil year) with values, else the newest period. */
export function defaultPeriod(periods: readonly string[]): string | null {
  const long = periods.find((p) => /^\d{4}(-\d{4})?$/.test(p));
  return long ?? periods[0] ?? null;
}

export async function readRows(
  db: Kysely<Database>,
  q: CellQuery,
  nodes: readonly { level: NodeLevel; code: string }[],
): Promise<Map<string, CellRow>> {
  const set = await fetchRowSet(db, q, [q.period], nodes, []);
  const out = new Map<string, CellRow>();
  for (const n of nodes) {
    const row = set.node(n, q.period);
    if (row) out.set(nodeKey(n), row);
  }
  return out;
}

const CELL_COLUMNS = [
  "indicator_code",
  "period",
  "node_level",
  "node_code",
  "parent_key",
  "grp",
  "disaggregation",
  "numerator",
  "denominator",
  "value",
  "schools_reporting",
  "schools_reporting_expected",
  "schools_expected",
  "status",
] as const;

export type CellRow = Pick<AggregateRow, (typeof CELL_COLUMNS)[number]>;

function finiteCell(r: CellRow): CellRow {
  if ([r.value, r.numerator, r.denominator].every((x) => x === null || Number.isFinite(x))) return r;
  return { ...r, value: null, numerator: null, denominator: null };
}

/** Rows fetched in one query: some nodes and the children of some nodes, over some periods. */
export class RowSet {
  private readonly byNode = new Map<string, CellRow>();
  private readonly byParent = new Map<string, CellRow[]>();

  constructor(stored: readonly CellRow[]) {
    // A base written before values were bounded may hold Infinity: read as "no value".
    const rows = stored.map(finiteCell);
    for (const r of rows) {
      this.byNode.set(`${r.node_level}:${r.node_code}|${r.period}`, r);
      if (r.parent_key) {
        const key = `${r.parent_key}|${r.period}`;
        const list = this.byParent.get(key) ?? [];
        list.push(r);
        this.byParent.set(key, list);
      }
    }
  }

  node(node: { level: NodeLevel; code: string }, period: string): CellRow | undefined {
    return this.byNode.get(`${nodeKey(node)}|${period}`);
  }

  children(parent: { level: NodeLevel; code: string }, period: string): CellRow[] {
    return this.byParent.get(`${nodeKey(parent)}|${period}`) ?? [];
  }
}

/**
 * The rows a page needs in a single query (each round trip costs more than the rows): nodes
 * (itself, its ancestors) and the children of some nodes (itself, its parent for the siblings).
 */
export async function fetchRowSet(
  db: Kysely<Database>,
  q: { indicatorCode: string; group?: string; disaggregation?: string },
  periods: readonly string[],
  nodes: readonly { level: NodeLevel; code: string }[],
  parents: readonly { level: NodeLevel; code: string }[],
): Promise<RowSet> {
  if (periods.length === 0 || (nodes.length === 0 && parents.length === 0)) return new RowSet([]);
  const rows = await db
    .selectFrom("indicator_aggregate")
    .select(CELL_COLUMNS)
    .where("indicator_code", "=", q.indicatorCode)
    .where("grp", "=", q.group ?? "")
    .where("disaggregation", "=", q.disaggregation ?? "")
    .where("period", "in", [...periods])
    .where((eb) =>
      eb.or([
        ...nodes.map((n) => eb.and([eb("node_level", "=", n.level), eb("node_code", "=", n.code)])),
        ...(parents.length > 0
          ? [
              eb(
                "parent_key",
                "in",
                parents.map((p) => nodeKey(p)),
              ),
            ]
          : []),
      ]),
    )
    .execute();
  return new RowSet(rows);
}

/** Who may see unpublished figures of which nodes. */
export interface Viewer {
  seesRestricted(node: NodeRef): boolean;
}

export const PUBLIC_VIEWER: Viewer = { seesRestricted: () => false };

export async function viewerFor(
  db: Kysely<Database>,
  principal: Principal | null,
  nodes: readonly NodeRef[],
): Promise<Viewer> {
  if (!principal || !can(principal, "indicators.restricted")) return PUBLIC_VIEWER;
  const index = await loadTerritoryIndex(
    db,
    nodes.map((n) => ({ level: n.level, code: n.code })),
  );
  const allowed = new Set<string>();
  for (const n of nodes) {
    const path = index.pathOf({ level: n.level, code: n.code });
    if (!path) continue;
    const target =
      n.level === "school" && path.school
        ? { kind: "school" as const, school: path.school }
        : { kind: "territory" as const, path };
    if (can(principal, "indicators.restricted", target)) allowed.add(nodeKey(n));
  }
  return { seesRestricted: (n) => allowed.has(nodeKey(n)) };
}

export function emptyCell(node: NodeRef, q: CellQuery): IndicatorCell {
  return {
    node,
    period: q.period,
    group: q.group ?? "",
    disaggregation: q.disaggregation ?? "",
    value: null,
    numerator: null,
    denominator: null,
    schoolsReporting: null,
    schoolsExpected: null,
    coverage: null,
    status: "published",
    statusLabel: "aucune donnée",
    restricted: false,
  };
}

export function cellOf(node: NodeRef, q: CellQuery, row: CellRow | undefined, viewer: Viewer): IndicatorCell {
  if (!row) return emptyCell(node, q);
  const status = row.status as CellStatusDto;
  const base = {
    node,
    period: row.period,
    group: row.grp,
    disaggregation: row.disaggregation,
    status,
    statusLabel: CELL_STATUS_LABELS[status],
    schoolsExpected: row.schools_expected,
  };
  const figures = {
    value: row.value,
    numerator: row.numerator,
    denominator: row.denominator,
    schoolsReporting: row.schools_reporting,
    coverage: row.schools_expected > 0 ? row.schools_reporting_expected / row.schools_expected : null,
  };
  if (status === "published") return { ...base, ...figures, restricted: false };
  if (viewer.seesRestricted(node)) return { ...base, ...figures, restricted: true };
  return {
    ...base,
    value: null,
    numerator: null,
    denominator: null,
    schoolsReporting: null,
    coverage: null,
    restricted: false,
  };
}

/** Up to this many schools, their values are read by id rather than by académie. */
const SCHOOL_LIST_FILTER = 1000;

/**
 * Cells of schools, computed from their stored values (schools are not stored as aggregates). A
 * school alone is below any frequency threshold: its figures are for its own users and for the
 * authority's staff in scope, « secret statistique » for everyone else.
 */
export async function schoolCells(
  db: Kysely<Database>,
  q: CellQuery,
  schools: readonly { ref: NodeRef; id: string; academyCode: string }[],
  viewer: Viewer,
  nationalValue: () => Promise<number | null>,
): Promise<IndicatorCell[]> {
  if (schools.length === 0) return [];
  const catalogue = await getCatalogue();
  const indicator = catalogue.indicators.get(q.indicatorCode);
  if (!indicator) return [];
  const v = planVariant(catalogue, indicator, q.disaggregation ?? "");
  const index = await loadSeriesIndex(db, catalogue, {
    academyCodes: [...new Set(schools.map((s) => s.academyCode))],
    elements: [...new Set(seriesOf(v).map((s) => s.element))],
    ...(schools.length === 1 ? { schoolId: (schools[0] as { id: string }).id } : {}),
    // A few schools (a school's similar-IPS peers): their values only, not their académie's.
    ...(schools.length > 1 && schools.length <= SCHOOL_LIST_FILTER
      ? { schoolIds: schools.map((s) => s.id) }
      : {}),
  });
  let threshold: number | null = null;
  if (v.rule) threshold = v.rule.threshold === "national_value" ? await nationalValue() : v.rule.threshold;
  return schools.map((s) => {
    let figures: { numerator: number | null; denominator: number | null; value: number | null };
    if (v.rule) {
      const based = v.rule.basedOnSeries
        ? (index.lookup(v.rule.basedOnSeries, q.period, s.id) ?? null)
        : v.rule.basedOnIndicator
          ? schoolRatio(v.rule.basedOnIndicator, index.lookup, q.period, s.id).value
          : null;
      const flag =
        based === null || threshold === null ? null : compare(based, v.rule.comparator, threshold) ? 1 : 0;
      figures = {
        numerator: flag,
        denominator: flag === null ? null : 1,
        value: flag === null ? null : flag * indicator.factor,
      };
    } else {
      const raw = schoolRatio(v, index.lookup, q.period, s.id);
      figures = {
        numerator: finiteOrNull(raw.numerator),
        denominator: finiteOrNull(raw.denominator),
        value: finiteOrNull(raw.value),
      };
    }
    const reporting = figures.value !== null ? 1 : 0;
    const status: CellStatusDto = "suppressed-frequency";
    const cell: IndicatorCell = {
      node: s.ref,
      period: q.period,
      group: "",
      disaggregation: q.disaggregation ?? "",
      value: figures.value,
      numerator: figures.numerator,
      denominator: figures.denominator,
      schoolsReporting: reporting,
      schoolsExpected: 1,
      coverage: reporting,
      status,
      statusLabel: CELL_STATUS_LABELS[status],
      restricted: true,
    };
    if (viewer.seesRestricted(s.ref)) return cell;
    return {
      ...cell,
      value: null,
      numerator: null,
      denominator: null,
      schoolsReporting: null,
      coverage: null,
      restricted: false,
    };
  });
}

export interface RawPoint {
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  coverage: number | null;
  status: CellStatusDto;
}

/**
 * The raw series of one node, oldest first, for server-side use (objective statuses, frozen
 * checkpoints): the figures whatever their status, which callers must not publish as such.
 */
export async function readRawSeries(
  db: Kysely<Database>,
  indicatorCode: string,
  node: { level: NodeLevel; code: string },
  options: { group?: string; disaggregation?: string } = {},
): Promise<RawPoint[]> {
  const rows = await db
    .selectFrom("indicator_aggregate")
    .selectAll()
    .where("indicator_code", "=", indicatorCode)
    .where("node_level", "=", node.level)
    .where("node_code", "=", node.code)
    .where("grp", "=", options.group ?? "")
    .where("disaggregation", "=", options.disaggregation ?? "")
    .execute();
  return rows
    .map((r) => ({
      period: r.period,
      value: finiteOrNull(r.value),
      numerator: finiteOrNull(r.numerator),
      denominator: finiteOrNull(r.denominator),
      coverage: r.schools_expected > 0 ? r.schools_reporting_expected / r.schools_expected : null,
      status: r.status as CellStatusDto,
    }))
    .sort((a, b) => -comparePeriodsDesc(a.period, b.period));
}
