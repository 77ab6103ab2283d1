import type { ConfidentialityThresholds } from "../../../contracts/confidentiality.ts";
import { DEFAULT_THRESHOLDS } from "../../../contracts/confidentiality.ts";
import type { NodeAggregate, TreeNode } from "./rollup.ts";

/**
 * Statistical confidentiality (secret statistique) of the cells shown to anyone but the school
 * itself: primary suppression (frequency, dominance), then secondary suppression so that no
 * suppressed cell can be recomputed by adding or subtracting published ones.
 */

/** The thresholds are shared with the web app's settings page: one type, in the contracts. */
export { type ConfidentialityThresholds, DEFAULT_THRESHOLDS } from "../../../contracts/confidentiality.ts";

export const CELL_STATUSES = [
  "published",
  "suppressed-frequency",
  "suppressed-dominance",
  "suppressed-secondary",
] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

export interface Cell {
  readonly id: string;
  /** Units (schools) whose data make the cell; 0 = empty cell. */
  readonly units: number;
  /** People behind the cell (e.g. pupils), when known. */
  readonly people?: number | null;
  readonly numerator: number | null;
  /** The largest contribution of a single unit to the numerator. */
  readonly largestUnitNumerator: number | null;
}

/** total = Σ parts: a parent and its children, or a node and the groups of a group set. */
export interface Equation {
  readonly total: string;
  readonly parts: readonly string[];
}

export interface ProtectOptions {
  readonly thresholds?: Partial<ConfidentialityThresholds>;
  /** Extra additivity relations, e.g. `D1 = public:D1 + private:D1` across a group set. */
  readonly extraEquations?: readonly Equation[];
  /** Cells to suppress whatever their figures (a previous run, a manual decision). */
  readonly forcedSuppressed?: ReadonlySet<string>;
}

export interface ProtectionResult {
  readonly statuses: Map<string, CellStatus>;
  /** Suppressed cells that could still be recomputed (should be empty; see the docs). */
  readonly unprotected: string[];
}

export function isSuppressed(status: CellStatus | undefined): boolean {
  return status !== undefined && status !== "published";
}

/** Primary suppression of one cell. Empty cells are published: "no data" reveals nothing. */
export function primaryStatus(
  cell: Cell,
  thresholds: ConfidentialityThresholds = DEFAULT_THRESHOLDS,
): CellStatus {
  if (cell.units <= 0) return "published";
  if (cell.units < thresholds.minUnits) return "suppressed-frequency";
  if (cell.people !== undefined && cell.people !== null && cell.people < thresholds.minPeople) {
    return "suppressed-frequency";
  }
  const num = cell.numerator;
  const largest = cell.largestUnitNumerator;
  if (num !== null && largest !== null && num > 0 && largest / num > thresholds.dominanceShare) {
    return "suppressed-dominance";
  }
  return "published";
}

/** The hierarchy's equations: every node with children equals the sum of its children. */
export function hierarchyEquations(cells: readonly { id: string; parentId: string | null }[]): Equation[] {
  const parts = new Map<string, string[]>();
  for (const c of cells) {
    if (c.parentId === null) continue;
    const list = parts.get(c.parentId) ?? [];
    list.push(c.id);
    parts.set(c.parentId, list);
  }
  return [...parts].map(([total, p]) => ({ total, parts: p }));
}

/**
 * Protects a table of cells linked by additivity equations (`total = Σ parts`).
 *
 * 1. Primary suppression of every cell (frequency, then dominance).
 * 2. Secondary suppression, to a fixpoint: an equation with exactly one suppressed cell would give
 *    it away by subtraction (parent − published children, or Σ children for a suppressed parent).
 *    For each such equation, the smallest published non-empty part (by numerator, then units,
 *    then id — the least information lost) is suppressed too; if the equation has none, its
 *    total is suppressed. Suppressions only grow, so the loop ends.
 * 3. With extra equations (group sets), equations are no longer a tree and "no equation with a
 *    single unknown" is not enough: the linear system is solved (`recoverableCells`) and, while
 *    some suppressed cell is still determined, a further cell of one of its equations is
 *    suppressed and step 2 runs again.
 *
 * Guarantee (hierarchy alone): each suppressed cell appears in at most two equations (its own and
 * its parent's) and the equations form a tree; when no equation has exactly one unknown, every
 * unknown lies on a path between two "free ends" of that tree, along which any value can be moved
 * without changing a published cell. No suppressed value is therefore a combination of published
 * ones. Bounds (values ≥ 0) can still narrow an interval; exact recovery is what is prevented.
 */
export function protectCells(
  cells: readonly Cell[],
  equations: readonly Equation[],
  options: ProtectOptions = {},
): ProtectionResult {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const byId = new Map(cells.map((c) => [c.id, c]));
  const statuses = new Map<string, CellStatus>();
  for (const c of cells) {
    const primary = primaryStatus(c, thresholds);
    const forced = options.forcedSuppressed?.has(c.id) && c.units > 0;
    statuses.set(c.id, primary === "published" && forced ? "suppressed-secondary" : primary);
  }
  const all = [...equations, ...(options.extraEquations ?? [])].filter(
    (e) => byId.has(e.total) && e.parts.every((p) => byId.has(p)),
  );
  const suppressed = (id: string) => isSuppressed(statuses.get(id));
  const nonEmpty = (id: string) => ((byId.get(id) as Cell).units ?? 0) > 0;
  const smallestPublished = (ids: readonly string[]): string | undefined =>
    ids
      .filter((id) => !suppressed(id) && nonEmpty(id))
      .sort((a, b) => {
        const ca = byId.get(a) as Cell;
        const cb = byId.get(b) as Cell;
        return (
          (ca.numerator ?? 0) - (cb.numerator ?? 0) || ca.units - cb.units || (a < b ? -1 : a > b ? 1 : 0)
        );
      })[0];

  const singletonFixpoint = () => {
    let changed = true;
    while (changed) {
      changed = false;
      for (const e of all) {
        const unknowns = [e.total, ...e.parts].filter(suppressed);
        if (unknowns.length !== 1) continue;
        const pick =
          smallestPublished(e.parts) ?? (!suppressed(e.total) && nonEmpty(e.total) ? e.total : undefined);
        if (pick === undefined) continue; // only empty cells left: nothing to hide behind
        statuses.set(pick, "suppressed-secondary");
        changed = true;
      }
    }
  };

  singletonFixpoint();
  let unprotected = options.extraEquations?.length ? recoverableCells(all, suppressed) : [];
  while (unprotected.length > 0) {
    let progressed = false;
    for (const id of unprotected) {
      for (const e of all) {
        if (e.total !== id && !e.parts.includes(id)) continue;
        const pick = smallestPublished([...e.parts, e.total]);
        if (pick !== undefined) {
          statuses.set(pick, "suppressed-secondary");
          progressed = true;
          break;
        }
      }
      if (progressed) break;
    }
    if (!progressed) break;
    singletonFixpoint();
    unprotected = recoverableCells(all, suppressed);
  }
  return { statuses, unprotected };
}

/**
 * The suppressed cells whose value is determined by the published ones through the equations:
 * cell x is determined iff the unit vector e_x is in the row space of the system restricted to the
 * unknowns, i.e. iff a row of its reduced row echelon form is e_x. Cubic: meant for audits, tests
 * and the few cells of group sets, not for 60 000 schools at once.
 */
export function recoverableCells(
  equations: readonly Equation[],
  isUnknown: (id: string) => boolean,
): string[] {
  const columns = new Map<string, number>();
  const rows: number[][] = [];
  for (const e of equations) {
    const terms: [string, number][] = [[e.total, 1], ...e.parts.map((p): [string, number] => [p, -1])];
    const unknownTerms = terms.filter(([id]) => isUnknown(id));
    if (unknownTerms.length === 0) continue;
    for (const [id] of unknownTerms) if (!columns.has(id)) columns.set(id, columns.size);
    rows.push(unknownTerms.flatMap(([id, coef]) => [columns.get(id) as number, coef]));
  }
  const width = columns.size;
  const matrix = rows.map((flat) => {
    const row = new Array<number>(width).fill(0);
    for (let i = 0; i < flat.length; i += 2)
      row[flat[i] as number] = (row[flat[i] as number] ?? 0) + (flat[i + 1] as number);
    return row;
  });
  const EPS = 1e-9;
  let pivotRow = 0;
  for (let col = 0; col < width && pivotRow < matrix.length; col++) {
    let best = -1;
    for (let r = pivotRow; r < matrix.length; r++) {
      if (Math.abs((matrix[r] as number[])[col] as number) > EPS) {
        best = r;
        break;
      }
    }
    if (best < 0) continue;
    [matrix[pivotRow], matrix[best]] = [matrix[best] as number[], matrix[pivotRow] as number[]];
    const pivot = matrix[pivotRow] as number[];
    const p = pivot[col] as number;
    for (let c = 0; c < width; c++) pivot[c] = (pivot[c] as number) / p;
    for (let r = 0; r < matrix.length; r++) {
      const row = matrix[r] as number[];
      const f = row[col] as number;
      if (r === pivotRow || Math.abs(f) <= EPS) continue;
      for (let c = 0; c < width; c++) row[c] = (row[c] as number) - f * (pivot[c] as number);
    }
    pivotRow++;
  }
  const ids = [...columns.keys()];
  const determined: string[] = [];
  for (const row of matrix) {
    const nonZero = row.flatMap((v, c) => (Math.abs(v) > EPS ? [c] : []));
    if (nonZero.length === 1) determined.push(ids[nonZero[0] as number] as string);
  }
  return determined.sort();
}

/** Cells of a roll-up: one per node, the units being the schools reporting. */
export function cellsFromRollup(
  nodes: readonly TreeNode[],
  aggregates: ReadonlyMap<string, NodeAggregate>,
  peopleOf: (aggregate: NodeAggregate) => number | null = () => null,
): (Cell & { parentId: string | null })[] {
  return nodes.map((n) => {
    const a = aggregates.get(n.id);
    return {
      id: n.id,
      parentId: n.parentId,
      units: a?.schoolsReporting ?? 0,
      people: a ? peopleOf(a) : null,
      numerator: a?.numerator ?? null,
      largestUnitNumerator: a?.largestSchoolNumerator ?? null,
    };
  });
}

export const SECRET_LABEL = "secret statistique";

export const SUPPRESSION_REASONS: Record<Exclude<CellStatus, "published">, string> = {
  "suppressed-frequency": "trop peu d'établissements ou de personnes pour publier cette valeur",
  "suppressed-dominance": "un seul établissement représente l'essentiel de cette valeur",
  "suppressed-secondary": "masquée pour qu'une valeur protégée ne puisse pas être retrouvée par soustraction",
};

export interface CellFigures {
  readonly value: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
}

export type CellView =
  | ({ readonly shown: true; readonly status: CellStatus; readonly ownData: boolean } & CellFigures)
  | {
      readonly shown: false;
      readonly status: Exclude<CellStatus, "published">;
      readonly label: typeof SECRET_LABEL;
      readonly reason: string;
    };

/**
 * What a viewer sees of a cell: published figures unchanged; a suppressed cell shows « secret
 * statistique » and its reason — except to the users who own it (a school's own staff see their
 * own raw values, flagged `ownData`).
 */
export function viewFor(figures: CellFigures, status: CellStatus, audience: { ownsCell: boolean }): CellView {
  if (status === "published") return { shown: true, status, ownData: audience.ownsCell, ...figures };
  if (audience.ownsCell) return { shown: true, status, ownData: true, ...figures };
  return { shown: false, status, label: SECRET_LABEL, reason: SUPPRESSION_REASONS[status] };
}
