import { type Kysely, sql } from "kysely";
import { type Database, getSetting, putSetting } from "../platform/index.ts";
import { type NodeLevel, nodeKey } from "../territories/index.ts";
import {
  type Cell,
  type CellStatus,
  type ConfidentialityThresholds,
  DEFAULT_THRESHOLDS,
  type Equation,
  protectCells,
} from "./domain/confidentiality.ts";
import { GROUP_SETS } from "./groups.ts";

/**
 * Applies statistical confidentiality to the stored aggregates: for every (indicator, period,
 * disaggregation) table, the cells of all groups are protected together with two kinds of
 * equations — the hierarchy (a node = Σ its children, within a group) and the group sets (all
 * schools = Σ the groups of a set, at one node). Schools attached to a département without a
 * district form a hidden "rest" cell, so that département = Σ districts + rest stays exact.
 */

export interface ProtectionSummary {
  readonly tables: number;
  readonly suppressed: number;
  readonly changed: number;
}

const SETTING_KEY = "confidentiality";

const THRESHOLDS_TTL_MS = 5_000;
const thresholdsCache = new WeakMap<object, { at: number; value: ConfidentialityThresholds }>();

/** The thresholds in force (kept a few seconds: every API answer states them). */
export async function loadThresholds(db: Kysely<Database>): Promise<ConfidentialityThresholds> {
  const hit = thresholdsCache.get(db);
  if (hit && performance.now() - hit.at < THRESHOLDS_TTL_MS) return hit.value;
  const value = await readThresholds(db);
  thresholdsCache.set(db, { at: performance.now(), value });
  return value;
}

/** Forgets the cached thresholds (the roll-up's thread, before each run: ADR 0010). */
export function forgetThresholds(db: Kysely<Database>): void {
  thresholdsCache.delete(db);
}

async function readThresholds(db: Kysely<Database>): Promise<ConfidentialityThresholds> {
  const stored = ((await getSetting(db, SETTING_KEY))?.value ?? {}) as Partial<ConfidentialityThresholds>;
  return { ...DEFAULT_THRESHOLDS, ...stored };
}

export async function saveThresholds(
  db: Kysely<Database>,
  thresholds: ConfidentialityThresholds,
  updatedBy: string | null,
): Promise<void> {
  thresholdsCache.delete(db);
  await putSetting(db, SETTING_KEY, thresholds, updatedBy);
}

interface StoredCell {
  academy_code: string;
  period: string;
  disaggregation: string;
  node_level: string;
  node_code: string;
  parent_key: string | null;
  grp: string;
  sum_num: number;
  schools_reporting: number;
  largest: number | null;
  people: number | null;
  status: string;
}

/** The node key of a stored cell (`indicator_aggregate.node_level` holds a tree level as text). */
const cellNodeKey = (r: StoredCell) => nodeKey({ level: r.node_level as NodeLevel, code: r.node_code });

/** Statuses of one table (one indicator, period and disaggregation). */
export function protectTable(
  rows: readonly StoredCell[],
  thresholds: ConfidentialityThresholds,
): Map<string, CellStatus> {
  const id = (grp: string, key: string) => `${grp}|${key}`;
  const cells = new Map<string, Cell>();
  const children = new Map<string, string[]>();
  for (const r of rows) {
    const key = cellNodeKey(r);
    const cellId = id(r.grp, key);
    // A cell built from no school but from delivered figures (territory indicators) is not about
    // schools: only its people count may protect it.
    cells.set(cellId, {
      id: cellId,
      units: r.schools_reporting,
      people: r.people,
      numerator: r.sum_num,
      largestUnitNumerator: r.largest,
    });
    if (r.parent_key) {
      const parentId = id(r.grp, r.parent_key);
      const list = children.get(parentId) ?? [];
      list.push(cellId);
      children.set(parentId, list);
    }
  }
  const equations: Equation[] = [];
  const forced = new Set<string>();
  for (const [total, parts] of children) {
    const parent = cells.get(total);
    if (!parent) continue;
    let units = parent.units;
    let num = parent.numerator ?? 0;
    for (const p of parts) {
      const c = cells.get(p) as Cell;
      units -= c.units;
      num -= c.numerator ?? 0;
    }
    const allParts = [...parts];
    if (units > 0) {
      // Schools directly under the node (no district): never published on their own.
      const rest = `${total}|rest`;
      cells.set(rest, { id: rest, units, numerator: num, largestUnitNumerator: null });
      forced.add(rest);
      allParts.push(rest);
    }
    equations.push({ total, parts: allParts });
  }
  // Group sets at every node that has group rows.
  const nodesWithGroups = new Set(rows.filter((r) => r.grp !== "").map(cellNodeKey));
  for (const node of nodesWithGroups) {
    const total = id("", node);
    if (!cells.has(total)) continue;
    for (const set of GROUP_SETS) {
      const parts = set.groups.map((g) => id(g.key, node));
      for (const p of parts)
        if (!cells.has(p)) cells.set(p, { id: p, units: 0, numerator: 0, largestUnitNumerator: null });
      equations.push({ total, parts });
    }
  }
  // The group-set equations go with the hierarchy's into the fixpoint (no equation is left with
  // a single unknown); see docs/indicator-semantics.md for what this guarantees.
  const { statuses } = protectCells([...cells.values()], equations, { thresholds, forcedSuppressed: forced });
  return statuses;
}

/** Re-protects the tables of the given variants (and periods) and stores changed statuses. */
export async function protectAggregates(
  db: Kysely<Database>,
  variants: readonly { code: string; disaggregation: string }[],
  periods: ReadonlySet<string> | null,
): Promise<ProtectionSummary> {
  const thresholds = await loadThresholds(db);
  const byCode = new Map<string, Set<string>>();
  for (const v of variants) byCode.set(v.code, (byCode.get(v.code) ?? new Set()).add(v.disaggregation));
  let tables = 0;
  let suppressed = 0;
  let changed = 0;
  for (const [code, disaggregations] of byCode) {
    const rows = await db
      .selectFrom("indicator_aggregate")
      .select([
        "academy_code",
        "period",
        "disaggregation",
        "node_level",
        "node_code",
        "parent_key",
        "grp",
        "sum_num",
        "schools_reporting",
        "largest",
        "people",
        "status",
      ])
      .where("indicator_code", "=", code)
      .$if(periods !== null, (qb) => qb.where("period", "in", [...(periods as Set<string>), "__none__"]))
      .execute();
    const tablesOf = new Map<string, StoredCell[]>();
    for (const r of rows) {
      if (!disaggregations.has(r.disaggregation)) continue;
      const key = `${r.period}\u0000${r.disaggregation}`;
      const list = tablesOf.get(key) ?? [];
      list.push(r);
      tablesOf.set(key, list);
    }
    const updates: {
      academy: string;
      period: string;
      disaggregation: string;
      level: string;
      code: string;
      grp: string;
      status: string;
    }[] = [];
    for (const table of tablesOf.values()) {
      tables++;
      const statuses = protectTable(table, thresholds);
      for (const r of table) {
        const status = statuses.get(`${r.grp}|${r.node_level}:${r.node_code}`) ?? "published";
        if (status !== "published") suppressed++;
        if (status !== r.status)
          updates.push({
            academy: r.academy_code,
            period: r.period,
            disaggregation: r.disaggregation,
            level: r.node_level,
            code: r.node_code,
            grp: r.grp,
            status,
          });
      }
    }
    changed += updates.length;
    for (let i = 0; i < updates.length; i += 2000) {
      const chunk = updates.slice(i, i + 2000);
      await sql`
        update indicator_aggregate a set status = u.status
        from (select unnest(${chunk.map((u) => u.academy)}::text[]) as academy_code,
                     unnest(${chunk.map((u) => u.period)}::text[]) as period,
                     unnest(${chunk.map((u) => u.disaggregation)}::text[]) as disaggregation,
                     unnest(${chunk.map((u) => u.level)}::text[]) as node_level,
                     unnest(${chunk.map((u) => u.code)}::text[]) as node_code,
                     unnest(${chunk.map((u) => u.grp)}::text[]) as grp,
                     unnest(${chunk.map((u) => u.status)}::text[]) as status) u
        where a.indicator_code = ${code} and a.academy_code = u.academy_code and a.period = u.period
          and a.disaggregation = u.disaggregation and a.node_level = u.node_level
          and a.node_code = u.node_code and a.grp = u.grp`.execute(db);
    }
  }
  return { tables, suppressed, changed };
}
