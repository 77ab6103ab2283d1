import type { Kysely } from "kysely";
import type { Database } from "../../platform/index.ts";
import { committedDetails } from "../framework/apply.ts";
import { latestPixClasses, PIX_PROFILES_CODE, type PixProfilesClassSummary } from "./pix-profiles.ts";

/**
 * A school's Pix collection class by class, for its own staff (the competences dashboard): each
 * class once per school year, from its latest committed campaign — the same classes the school's
 * values are the sums of. Counts only: no pupil is named in a detail.
 */
export async function pixClassSummaries(
  db: Kysely<Database>,
  schoolId: string,
  period?: string,
): Promise<PixProfilesClassSummary[]> {
  const details = await committedDetails(db, PIX_PROFILES_CODE, schoolId);
  return [...latestPixClasses(details).values()]
    .map((x) => x.c)
    .filter((c) => period === undefined || c.period === period)
    .sort((a, b) =>
      a.period === b.period
        ? (a.class ?? "").localeCompare(b.class ?? "", "fr")
        : a.period < b.period
          ? 1
          : -1,
    );
}
