import { compare, type NodeAggregate, type RuleComparator, ratio, type TreeNode } from "./rollup.ts";

/**
 * Comparisons of an aggregate with a reference: parent territory, nation, same-type peers, the
 * previous period; the share of schools above the national value; deciles of school values.
 */

export interface Comparison {
  readonly value: number | null;
  readonly reference: number | null;
  /** value − reference, in the indicator's unit (percentage points for a %). */
  readonly difference: number | null;
  /** (value − reference) / |reference|; null when the reference is 0 or missing. */
  readonly relativeDifference: number | null;
}

export function compareValues(value: number | null, reference: number | null): Comparison {
  if (value === null || reference === null) {
    return { value, reference, difference: null, relativeDifference: null };
  }
  const difference = value - reference;
  return {
    value,
    reference,
    difference,
    relativeDifference: reference === 0 ? null : difference / Math.abs(reference),
  };
}

/** Compares a node with its parent territory (null reference at the root). */
export function compareWithParent(
  nodes: readonly TreeNode[],
  aggregates: ReadonlyMap<string, NodeAggregate>,
  nodeId: string,
): Comparison {
  const parentId = nodes.find((n) => n.id === nodeId)?.parentId ?? null;
  const parent = parentId === null ? null : (aggregates.get(parentId)?.value ?? null);
  return compareValues(aggregates.get(nodeId)?.value ?? null, parent);
}

/** Compares a node with the nation (the root of the roll-up). */
export function compareWithNation(
  aggregates: ReadonlyMap<string, NodeAggregate>,
  nationId: string,
  nodeId: string,
): Comparison {
  return compareValues(aggregates.get(nodeId)?.value ?? null, aggregates.get(nationId)?.value ?? null);
}

/**
 * Compares a school with its peers: the other schools for which `isPeer` holds (same type,
 * usually within the same reference territory). The peers' value is Σnumerator / Σdenominator
 * over them — like any aggregate, never a mean of their rates — and excludes the school itself.
 */
export function compareWithPeers(
  nodes: readonly TreeNode[],
  aggregates: ReadonlyMap<string, NodeAggregate>,
  schoolId: string,
  isPeer: (candidate: TreeNode) => boolean,
  factor: number,
  hasDenominator = true,
): Comparison & { readonly peersReporting: number } {
  let num = 0;
  let den = 0;
  let reporting = 0;
  for (const n of nodes) {
    if (n.kind !== "school" || n.id === schoolId || !isPeer(n)) continue;
    const a = aggregates.get(n.id);
    if (!a || a.schoolsReporting === 0 || a.numerator === null) continue;
    num += a.numerator;
    den += a.denominator ?? 0;
    reporting++;
  }
  const reference = reporting > 0 ? ratio(num, den, factor, hasDenominator) : null;
  return { ...compareValues(aggregates.get(schoolId)?.value ?? null, reference), peersReporting: reporting };
}

/** Change from the previous period (or the same period a year earlier). */
export function changeFromPrevious(current: number | null, previous: number | null): Comparison {
  return compareValues(current, previous);
}

/**
 * Share of schools whose own value meets a rule, e.g. "> national value" (seed 000: 42.5 % of
 * collèges above the national average): count / schools with a value × 100. Schools without a
 * value are left out of both terms.
 */
export function shareOfSchools(
  schoolValues: Iterable<number | null>,
  comparator: RuleComparator,
  threshold: number,
): { count: number; schoolsWithValue: number; share: number | null } {
  let count = 0;
  let withValue = 0;
  for (const v of schoolValues) {
    if (v === null || !Number.isFinite(v)) continue;
    withValue++;
    if (compare(v, comparator, threshold)) count++;
  }
  return { count, schoolsWithValue: withValue, share: withValue > 0 ? (count / withValue) * 100 : null };
}

/**
 * Quantile by linear interpolation between the closest ranks — method 7 of Hyndman and Fan, the
 * default of R and of the spreadsheet function CENTILE / PERCENTILE.INC, so that figures can be
 * checked in a spreadsheet: with sorted values x₁ ≤ … ≤ xₙ, h = (n − 1) p + 1 and
 * Q(p) = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋).
 */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const low = sorted[lo] as number;
  const high = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return low + (h - lo) * (high - low);
}

/** Deciles D1…D9 of the schools' values (missing values left out); null without values. */
export function deciles(values: Iterable<number | null>): number[] | null {
  const sorted = [...values]
    .filter((v): v is number => v !== null && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => quantile(sorted, d / 10) as number);
}

/** The decile (1 to 10) a value falls in, given D1…D9: 1 below D1, 10 above D9. */
export function decileOf(value: number, cuts: readonly number[]): number {
  let d = 1;
  for (const cut of cuts) if (value > cut) d++;
  return d;
}

/**
 * Peers with a similar IPS (DESIGN, comparisons): the units (schools, or territories of the same
 * level) of the same type whose social position index lies within `band` points of the node's
 * own. Schools: ±5 points, a third of the écoles' standard deviation (16.1 in 2021-2022), about
 * 18 % of them; territories: ±2.5 points, for their means spread less (départements: 7.4).
 */
export const IPS_BAND_SCHOOL = 5;
export const IPS_BAND_TERRITORY = 2.5;

export interface IpsUnit {
  readonly id: string;
  readonly ips: number | null;
}

/** The peers of `self`: other units with an IPS in [self − band, self + band]; none without an IPS. */
export function ipsPeersOf<T extends IpsUnit>(self: IpsUnit, candidates: readonly T[], band: number): T[] {
  const own = self.ips;
  if (own === null || !Number.isFinite(own)) return [];
  return candidates.filter(
    (c) =>
      c.id !== self.id && c.ips !== null && Number.isFinite(c.ips) && Math.abs(c.ips - own) <= band + 1e-9,
  );
}

/** A peer's figures for the indicator: its operands, the schools behind them, the people when counted. */
export interface PeerFigures {
  readonly numerator: number | null;
  readonly denominator: number | null;
  /** Schools behind the figures: 1 for a school, its schools reporting for a territory. */
  readonly schools: number;
  readonly people?: number | null;
}

export interface PeerGroupResult {
  /** Σ numerator / Σ denominator × factor over the peers with a value; null when suppressed or empty. */
  readonly reference: number | null;
  /** Peers with a value. */
  readonly peers: number;
  readonly schools: number;
  readonly status: "published" | "suppressed-frequency" | "suppressed-dominance";
}

/**
 * The peers' value (Σ numerator / Σ denominator; for a count, with no denominator, the peers'
 * mean), under the same primary rules as any published cell: fewer than `minUnits`
 * schools or `minPeople` people, or one peer bringing more than `dominanceShare` of the
 * numerator, and the group shows no value. A peer without a numerator is left out. Territories
 * are peers only when their own cells are published: their sum reveals nothing those cells do
 * not, so the dominance of one of them is not checked (`unitsArePublished`).
 */
export function peerGroupValue(
  peers: readonly PeerFigures[],
  options: {
    readonly factor: number;
    readonly hasDenominator: boolean;
    readonly thresholds: { minUnits: number; minPeople: number; dominanceShare: number };
    readonly unitsArePublished?: boolean;
  },
): PeerGroupResult {
  let num = 0;
  let den = 0;
  let schools = 0;
  let count = 0;
  let largest = 0;
  let people: number | null = null;
  for (const p of peers) {
    if (p.numerator === null || !Number.isFinite(p.numerator)) continue;
    if (options.hasDenominator && (p.denominator === null || !Number.isFinite(p.denominator))) continue;
    num += p.numerator;
    den += p.denominator ?? 0;
    schools += p.schools;
    count++;
    largest = Math.max(largest, Math.abs(p.numerator));
    if (p.people !== undefined && p.people !== null) people = (people ?? 0) + p.people;
  }
  const { minUnits, minPeople, dominanceShare } = options.thresholds;
  const figures = { peers: count, schools };
  if (count === 0) return { reference: null, ...figures, status: "published" };
  if (schools < minUnits || (people !== null && people < minPeople))
    return { reference: null, ...figures, status: "suppressed-frequency" };
  if (!options.unitsArePublished && num > 0 && largest / num > dominanceShare)
    return { reference: null, ...figures, status: "suppressed-dominance" };
  // A count (no denominator) of several peers is not comparable to one unit's: their mean is.
  const reference = options.hasDenominator
    ? ratio(num, den, options.factor, true)
    : ratio(num / count, null, options.factor, false);
  return { reference, ...figures, status: "published" };
}
