import type { Kysely } from "kysely";
import type { Database } from "../../platform/index.ts";
import {
  academicRegionByCode,
  academyByCode,
  departmentByCode,
  findCommuneName,
  findDistricts,
  findSchoolAncestries,
  LEVEL_LABELS,
  NATION,
} from "../../territories/index.ts";
import {
  createTerritoryIndex,
  type SchoolPlace,
  type Scope,
  scopeNode,
  type TerritoryIndex,
  type TerritoryNode,
  type TerritoryPath,
} from "../permissions.ts";

/**
 * The database side of scopes: ancestry of the districts and schools a check needs (the rest is
 * the built-in referential), whether a scope names an existing node, and its French label (the
 * level names are the tree's, `LEVEL_LABELS` of territories).
 */

type Db = Kysely<Database>;

/** A TerritoryIndex knowing the districts and schools among `nodes` (loaded in two queries at most). */
export async function loadTerritoryIndex(db: Db, nodes: readonly TerritoryNode[]): Promise<TerritoryIndex> {
  const districtCodes = [...new Set(nodes.filter((n) => n.level === "district").map((n) => n.code))];
  const uais = [...new Set(nodes.filter((n) => n.level === "school").map((n) => n.code))];
  const [districts, schools] = await Promise.all([
    findDistricts(db, districtCodes),
    findSchoolAncestries(db, uais),
  ]);
  return createTerritoryIndex(districts, schools);
}

export async function territoryPath(db: Db, node: TerritoryNode): Promise<TerritoryPath | undefined> {
  return (await loadTerritoryIndex(db, [node])).pathOf(node);
}

export async function findSchoolPlace(db: Db, uai: string): Promise<SchoolPlace | undefined> {
  return (await findSchoolAncestries(db, [uai]))[0];
}

/**
 * Does the scope name a node that exists? The referential answers for régions, académies and
 * départements (parseScope already checked them); districts and schools must be in the database.
 */
export async function scopeExists(db: Db, scope: Scope): Promise<boolean> {
  return (await territoryPath(db, scopeNode(scope))) !== undefined;
}

/** The scope in words, for people: « académie de Bordeaux (04) », « collectivité : département Gironde (33) »… */
export async function describeScope(db: Db, scope: Scope): Promise<string> {
  const { code } = scope;
  if (scope.kind === "localAuthority") {
    switch (scope.level) {
      case "region":
        return `collectivité : région ${academicRegionByCode.get(code)?.name ?? code} (${code})`;
      case "department":
        return `collectivité : département ${departmentByCode.get(code)?.name ?? code} (${code})`;
      case "commune": {
        const name = await findCommuneName(db, code);
        return `collectivité : commune ${name ? `${name} (${code})` : code}`;
      }
    }
  }
  switch (scope.level) {
    case "nation":
      return NATION.name;
    case "academicRegion":
      return `${LEVEL_LABELS.academicRegion.noun} ${academicRegionByCode.get(code)?.name ?? code} (${code})`;
    case "academy":
      return `${LEVEL_LABELS.academy.noun} ${academyByCode.get(code)?.name ?? code} (${code})`;
    case "department":
      return `${LEVEL_LABELS.department.noun} ${departmentByCode.get(code)?.name ?? code} (${code})`;
    case "district": {
      const district = (await findDistricts(db, [code]))[0];
      return district
        ? `${district.kind} ${district.name} (${code})`
        : `${LEVEL_LABELS.district.noun} ${code}`;
    }
    case "school": {
      const school = (await findSchoolAncestries(db, [code]))[0];
      return school ? `${school.name} (${code})` : `${LEVEL_LABELS.school.noun} ${code}`;
    }
  }
}
