/**
 * Implausible values held for review (docs/indicator-semantics.md, « Valeurs invraisemblables »).
 *
 * A school's value is compared with its peers: the published values of the same data element,
 * period and disaggregation in the same académie (the value itself included). The rule is
 * robust and simple to explain: a value more than OUTLIER_FACTOR times the 9th decile of its
 * peers is held, not published, until a user above the school accepts or rejects it. One value,
 * however large, moves the 9th decile by at most one rank, so it cannot raise its own limit.
 *
 * Why it protects the published cells: with at least 100 peers whose 9th decile is ≥ 1, at
 * least 10 other values are ≥ the decile, so a value that is not held brings at most half of the
 * académie's sum (outliers.test.ts checks it against the dominance rule): one school cannot blank
 * the académie's, the région's or the nation's cell. In small groups (a district) dominance
 * applies as designed.
 *
 * Below MIN_PEERS values no judgement is made (too few schools to say what is plausible): the
 * bounds of the element still apply.
 */

/** Fewer peers than this: no value is judged implausible. */
export const MIN_PEERS = 10;
/** A value more than this many times the 9th decile of its peers is held. */
export const OUTLIER_FACTOR = 10;
/** The decile the limit is built on. */
export const OUTLIER_QUANTILE = 0.9;

/** What the rule needs of the peers: their number and their 9th decile. */
export interface PeerStats {
  readonly count: number;
  /** The 9th decile, as PostgreSQL's `percentile_disc(0.9)` gives it (store.ts computes it in SQL). */
  readonly decile9: number;
}

/**
 * The discrete quantile of PostgreSQL's `percentile_disc`: the value at row ⌈p × n⌉ (1-based)
 * of the sorted values (the same double arithmetic, so both agree).
 */
export function quantileDisc(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const row = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[row - 1] as number;
}

/** The peers' statistics from their values (the SQL of store.ts computes the same). */
export function peerStats(values: readonly number[]): PeerStats | null {
  const decile9 = quantileDisc(values, OUTLIER_QUANTILE);
  return decile9 === null ? null : { count: values.length, decile9 };
}

/**
 * The largest plausible value among these peers, or null when there are too few of them. A
 * decile below 1 counts as 1 (peers mostly at zero: a few units are still plausible).
 */
export function reviewLimit(stats: PeerStats | null): number | null {
  if (!stats || stats.count < MIN_PEERS) return null;
  return OUTLIER_FACTOR * Math.max(stats.decile9, 1);
}

/** Is this value implausible among its peers (held for review)? */
export function isImplausible(value: number, limit: number | null): boolean {
  return limit !== null && value > limit;
}
