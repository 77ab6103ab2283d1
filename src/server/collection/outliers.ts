/**
 * Outliers (issue 11, item 7; docs/collection.md, « Valeurs atypiques »): a value far from its
 * peers' by the modified z-score of Iglewicz and Hoaglin, or far from the school's own value of
 * last year by a factor. Pure functions, no I/O: outlier-checks.ts reads the values.
 */

/** Fewer peers than this: no comparison (a median of three schools says little). */
export const MIN_PEERS = 5;
/** The threshold of a campaign that does not say (Iglewicz and Hoaglin's 3.5). */
export const DEFAULT_OUTLIER_THRESHOLD = 3.5;
/** Last year's value times this (or divided by it) and beyond is a sharp change. */
export const CHANGE_FACTOR = 3;
/** …provided the values differ by more than this (2 → 7 ordinateurs is no anomaly). */
export const CHANGE_MIN_DIFFERENCE = 5;

/** 0.6745 is the 0.75 quantile of the normal law: the score then reads as standard deviations. */
const Z_FACTOR = 0.6745;
/** MAD 0: the mean absolute deviation times this estimates the same spread (IBM's fallback). */
const MEAN_AD_FACTOR = 1.253314;

export interface PeerStats {
  n: number;
  median: number;
  /** Median absolute deviation from the median. */
  mad: number;
  /** Mean absolute deviation from the median (the scale when the MAD is 0). */
  meanAbsDeviation: number;
}

/** The median of sorted numbers (mean of the two middle ones for an even count). */
export function medianOfSorted(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const ascending = (a: number, b: number) => a - b;

/** Median, MAD and mean deviation of the peers' values; null under MIN_PEERS values. */
export function peerStats(values: readonly number[]): PeerStats | null {
  const finite = values.filter(Number.isFinite);
  if (finite.length < MIN_PEERS) return null;
  const median = medianOfSorted([...finite].sort(ascending));
  const deviations = finite.map((x) => Math.abs(x - median));
  return {
    n: finite.length,
    median,
    mad: medianOfSorted([...deviations].sort(ascending)),
    meanAbsDeviation: deviations.reduce((s, d) => s + d, 0) / deviations.length,
  };
}

/**
 * The modified z-score of `x` against the peers: 0.6745 × (x − median) / MAD. When more than half
 * the peers give the same value the MAD is 0; the mean absolute deviation then gives the scale.
 * When every peer gives the same value there is no spread to measure: null (not judged), rather
 * than an infinite score for a school that differs by one unit.
 */
export function modifiedZ(x: number, stats: PeerStats): number | null {
  const delta = x - stats.median;
  if (stats.mad > 0) return (Z_FACTOR * delta) / stats.mad;
  if (stats.meanAbsDeviation > 0) return delta / (MEAN_AD_FACTOR * stats.meanAbsDeviation);
  return null;
}

export function isOutlier(z: number | null, threshold: number): z is number {
  return z !== null && Math.abs(z) > threshold;
}

/**
 * A sharp change from last year: the value is more than CHANGE_FACTOR times last year's, or less
 * than a CHANGE_FACTOR-th of it, and differs by more than CHANGE_MIN_DIFFERENCE. Last year 0 (or
 * nothing): no ratio to read, not judged (the peers' comparison still applies).
 */
export function isSharpChange(value: number, previous: number): boolean {
  if (!(previous > 0) || value < 0 || Math.abs(value - previous) <= CHANGE_MIN_DIFFERENCE) return false;
  return value > previous * CHANGE_FACTOR || value < previous / CHANGE_FACTOR;
}

const FRENCH = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });

/** « 1 250 ordinateurs », « 80 % ». */
export function formatQuantity(value: number, unit: string | undefined): string {
  return unit ? `${FRENCH.format(value)} ${unit}` : FRENCH.format(value);
}

export function peersMessage(value: number, unit: string | undefined, median: number): string {
  return `${formatQuantity(value, unit)} : très loin des établissements comparables (médiane ${FRENCH.format(median)})`;
}

export function changeMessage(value: number, unit: string | undefined, previous: number): string {
  return `${formatQuantity(value, unit)} : très loin de la valeur de l'an dernier (${FRENCH.format(previous)})`;
}
