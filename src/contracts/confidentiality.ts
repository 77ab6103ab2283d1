/**
 * The thresholds of the statistical confidentiality (secret statistique, docs/indicator-semantics.md),
 * as the settings API reads and writes them. Zod-free: the server's domain (`indicators/domain/
 * confidentiality.ts`) and the web settings page use this one type.
 */
export interface ConfidentialityThresholds {
  /** A cell built from fewer units (schools) is suppressed. */
  readonly minUnits: number;
  /** A cell about fewer people (pupils, teachers…) is suppressed, when the count is known. */
  readonly minPeople: number;
  /** A cell where one unit brings more than this share of the numerator is suppressed. */
  readonly dominanceShare: number;
}

export const DEFAULT_THRESHOLDS: ConfidentialityThresholds = {
  minUnits: 5,
  minPeople: 10,
  dominanceShare: 0.85,
};
