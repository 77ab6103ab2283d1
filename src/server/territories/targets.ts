import type { Kysely, SelectQueryBuilder } from "kysely";
import type { NodeAddress } from "../../contracts/territory-tree.ts";
import type { Database } from "../platform/index.ts";
import type { SchoolTable } from "./schema.ts";

/**
 * The open schools a campaign or a survey asks (collection, issue 11): those of a territory,
 * optionally narrowed by type, sector, éducation prioritaire or an explicit list of UAIs, each
 * with its place in the tree (so that the asking module can count them per territory without
 * reading this module's tables again).
 */

export interface TargetFilter {
  readonly schoolTypes?: readonly string[] | undefined;
  /** public, or private (under contract or not). */
  readonly sector?: "public" | "private" | undefined;
  /** Only REP and REP+ schools. */
  readonly priorityEducation?: boolean | undefined;
  readonly uais?: readonly string[] | undefined;
}

export interface TargetSchool {
  id: string;
  uai: string;
  name: string;
  type: string;
  academicRegionCode: string;
  academyCode: string;
  departmentCode: string;
  /** The school's district in the tree (its circonscription, else its bassin). */
  districtCode: string | null;
}

type SchoolQuery = SelectQueryBuilder<Database, "school", Record<string, unknown>>;

const LEVEL_COLUMN = {
  academicRegion: "academic_region_code",
  academy: "academy_code",
  department: "department_code",
  school: "uai",
} as const satisfies Record<string, keyof SchoolTable>;

function inTerritory(query: SchoolQuery, node: NodeAddress): SchoolQuery {
  if (node.level === "nation") return query;
  if (node.level === "district")
    return query.where((eb) =>
      eb.or([eb("circonscription_code", "=", node.code), eb("bassin_code", "=", node.code)]),
    );
  return query.where(
    LEVEL_COLUMN[node.level],
    "=",
    node.level === "school" ? node.code.toUpperCase() : node.code,
  );
}

function narrowed(query: SchoolQuery, filter: TargetFilter): SchoolQuery {
  let q = query;
  if (filter.schoolTypes && filter.schoolTypes.length > 0) q = q.where("type", "in", [...filter.schoolTypes]);
  if (filter.sector === "public") q = q.where("sector", "=", "public");
  if (filter.sector === "private") q = q.where("sector", "<>", "public");
  if (filter.priorityEducation) q = q.where("priority_education", "is not", null);
  if (filter.uais && filter.uais.length > 0)
    q = q.where(
      "uai",
      "in",
      filter.uais.map((u) => u.trim().toUpperCase()),
    );
  return q;
}

/** The open schools of `node` that pass `filter`, ordered by UAI. */
export async function findTargetSchools(
  db: Kysely<Database>,
  node: NodeAddress,
  filter: TargetFilter = {},
): Promise<TargetSchool[]> {
  const base = db.selectFrom("school").where("status", "=", "open") as unknown as SchoolQuery;
  const rows = await narrowed(inTerritory(base, node), filter)
    .select([
      "id",
      "uai",
      "name",
      "type",
      "academic_region_code",
      "academy_code",
      "department_code",
      "circonscription_code",
      "bassin_code",
    ])
    .orderBy("uai")
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    uai: r.uai,
    name: r.name,
    type: r.type,
    academicRegionCode: r.academic_region_code,
    academyCode: r.academy_code,
    departmentCode: r.department_code,
    districtCode: r.circonscription_code ?? r.bassin_code ?? null,
  }));
}
