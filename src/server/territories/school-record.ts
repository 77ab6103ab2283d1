import type {
  PriorityEducation,
  SchoolSector,
  SchoolStatus,
  SchoolType,
} from "../../contracts/territories.ts";

/**
 * One school as Vigie stores it, whatever its source (an Annuaire row, the demo generator).
 * Codes are already normalised: COG département code, official académie code, INSEE région code.
 */
export interface SchoolRecord {
  uai: string;
  name: string;
  type: SchoolType;
  natureCode: string | null;
  natureLabel: string | null;
  sector: SchoolSector;
  priorityEducation: PriorityEducation | null;
  communeCode: string | null;
  communeName: string | null;
  postalCode: string | null;
  latitude: number | null;
  longitude: number | null;
  departmentCode: string;
  academyCode: string;
  academicRegionCode: string;
  bassin: DistrictRecord | null;
  circonscription: DistrictRecord | null;
  status: SchoolStatus;
  /** ISO date (YYYY-MM-DD). */
  openedOn: string | null;
  pupils: number | null;
  /** ISO date of the source row's last update, when the source says it. */
  sourceUpdatedOn: string | null;
}

export interface DistrictRecord {
  code: string;
  name: string;
}
