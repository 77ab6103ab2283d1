import type { Kysely } from "kysely";
import type { NodeAddress } from "../../contracts/territory-tree.ts";
import type { Database } from "../platform/index.ts";
import type { SchoolRow } from "./schema.ts";

/**
 * Where schools and districts sit in the territory tree, for the identity module's scope checks
 * (other modules read the territories only through this module's exported functions).
 */

type Db = Kysely<Database>;

/** A school's materialised ancestors, type and sector. */
export interface SchoolAncestry {
  uai: string;
  name: string;
  departmentCode: string;
  academyCode: string;
  academicRegionCode: string;
  bassinCode: string | null;
  circonscriptionCode: string | null;
  communeCode: string | null;
  communeName: string | null;
  type: string;
  sector: string;
}

/** What a school's place in the tree says: its UAI and its materialised ancestors. */
export type SchoolTreePlace = Pick<
  SchoolAncestry,
  "uai" | "academicRegionCode" | "academyCode" | "departmentCode" | "bassinCode" | "circonscriptionCode"
>;

/**
 * Is the school under (or at) the node? The one reading of the materialised ancestors, shared
 * by the name search (search-match.ts) and the identity module's scope checks. A district is a
 * bassin or a circonscription: their codes never collide (`B-…` / `C-…`).
 */
export function placeInTerritory(place: SchoolTreePlace, node: NodeAddress): boolean {
  switch (node.level) {
    case "nation":
      return true;
    case "academicRegion":
      return place.academicRegionCode === node.code;
    case "academy":
      return place.academyCode === node.code;
    case "department":
      return place.departmentCode === node.code;
    case "district":
      return place.bassinCode === node.code || place.circonscriptionCode === node.code;
    case "school":
      return place.uai === node.code;
  }
}

export interface DistrictPlace {
  code: string;
  name: string;
  kind: "bassin" | "circonscription";
  departmentCode: string;
}

export function schoolAncestry(row: SchoolRow): SchoolAncestry {
  return {
    uai: row.uai,
    name: row.name,
    departmentCode: row.department_code,
    academyCode: row.academy_code,
    academicRegionCode: row.academic_region_code,
    bassinCode: row.bassin_code,
    circonscriptionCode: row.circonscription_code,
    communeCode: row.commune_code,
    communeName: row.commune_name,
    type: row.type,
    sector: row.sector,
  };
}

/** The columns of a school's place, named as `SchoolAncestry` names them. */
const ANCESTRY_COLUMNS = [
  "id",
  "uai",
  "name",
  "department_code as departmentCode",
  "academy_code as academyCode",
  "academic_region_code as academicRegionCode",
  "bassin_code as bassinCode",
  "circonscription_code as circonscriptionCode",
  "commune_code as communeCode",
  "commune_name as communeName",
  "type",
  "sector",
] as const;

/** The places of schools found by their UAIs or by their ids (the observatory stores values by id). */
async function ancestriesWhere(
  db: Db,
  column: "uai" | "id",
  keys: readonly string[],
): Promise<(SchoolAncestry & { id: string })[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom("school")
    .select(ANCESTRY_COLUMNS)
    .where(column, "in", [...keys])
    .execute();
}

export async function findSchoolAncestries(db: Db, uais: readonly string[]): Promise<SchoolAncestry[]> {
  return ancestriesWhere(db, "uai", uais);
}

export async function findSchoolAncestriesByIds(
  db: Db,
  ids: readonly string[],
): Promise<(SchoolAncestry & { id: string })[]> {
  return ancestriesWhere(db, "id", ids);
}

export async function findDistricts(db: Db, codes: readonly string[]): Promise<DistrictPlace[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom("district")
    .select(["code", "name", "kind", "department_code as departmentCode"])
    .where("code", "in", [...codes])
    .execute();
}

/** The name of a commune as the schools of that commune give it (the referential has no communes). */
export async function findCommuneName(db: Db, code: string): Promise<string | null> {
  const row = await db
    .selectFrom("school")
    .select("commune_name")
    .where("commune_code", "=", code)
    .where("commune_name", "is not", null)
    .limit(1)
    .executeTakeFirst();
  return row?.commune_name ?? null;
}
