import type { AnnuaireImportReport } from "../../../contracts/territories.ts";
import type { SchoolRecord } from "../school-record.ts";

/**
 * What an Annuaire import changes, as the report counts it and the roll-ups need it. Pure: the
 * import plan calls it for each record with what the base holds for that UAI.
 */

/** What the base holds of a school, for the comparison (see `loadSchoolHashes`). */
export interface StoredSchoolState {
  closed: boolean;
}

/**
 * Does this import close the school? Closed in the file and not already closed in Vigie. An
 * unchanged re-import of a file closes nothing (issue 9: it reported `closed: 608`); a school
 * Vigie did not know, closed in the file, counts: the import records it closed.
 */
export function closesSchool(
  record: Pick<SchoolRecord, "status">,
  stored: StoredSchoolState | undefined,
): boolean {
  return record.status === "closed" && stored?.closed !== true;
}

/**
 * Did the import change any school (created, updated, closed)? Only then do the schools'
 * dependants (`SchoolChangeHooks`: the roll-ups) need a refresh.
 */
export function schoolsChanged(
  report: Pick<AnnuaireImportReport, "created" | "updated" | "closed">,
): boolean {
  return report.created + report.updated + report.closed > 0;
}
