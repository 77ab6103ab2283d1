import type { Kysely } from "kysely";
import type { NodeAddress } from "../../contracts/territory-tree.ts";
import {
  can,
  loadTerritoryIndex,
  type Permission,
  type Principal,
  type SchoolPlace,
  type Scope,
  scopeContainsSchool,
  type TerritoryPath,
} from "../identity/index.ts";
import { type Database, forbidden, unauthenticated } from "../platform/index.ts";
import type { CollectionResponseTable } from "./schema.ts";

/**
 * Who may do what in a campaign (docs/collection.md): `collection.manage` on the campaign's
 * territory creates and follows it; `collection.approve` follows and approves the schools of its
 * scope; a school's users holding one of the campaign's respondent roles fill in its form.
 * "cli" is the command line, alone on its base: it may do everything.
 */

export type Caller = Principal | null | "cli";
type Db = Kysely<Database>;

export async function territoryPathOf(db: Db, node: NodeAddress): Promise<TerritoryPath | undefined> {
  return (await loadTerritoryIndex(db, [node])).pathOf(node);
}

export function requireSignedIn(caller: Caller): asserts caller is Principal | "cli" {
  if (caller === null) throw unauthenticated("Connectez-vous pour accéder aux campagnes de collecte.");
}

/** Does the caller hold the permission on the territory (the campaign's, or one asked)? */
export function holdsOn(caller: Caller, permission: Permission, path: TerritoryPath | undefined): boolean {
  if (caller === "cli") return true;
  return path !== undefined && can(caller, permission, { kind: "territory", path });
}

export function requireManage(caller: Caller, path: TerritoryPath | undefined, label: string): void {
  requireSignedIn(caller);
  if (!holdsOn(caller, "collection.manage", path))
    throw forbidden(
      `Le territoire ${label} est hors de votre périmètre : vos rôles ne permettent pas d'y lancer une campagne de collecte.`,
    );
}

type ResponsePlace = Pick<
  CollectionResponseTable,
  "uai" | "academic_region_code" | "academy_code" | "department_code" | "district_code" | "school_type"
>;

/** A response's school as the scope rules read it (its place when the campaign was created). */
export function placeOf(r: ResponsePlace): SchoolPlace {
  return {
    uai: r.uai,
    departmentCode: r.department_code,
    academyCode: r.academy_code,
    academicRegionCode: r.academic_region_code,
    // The snapshot keeps the district the tree uses; a scope on a bassin or a circonscription names it.
    bassinCode: r.district_code,
    circonscriptionCode: r.district_code,
    communeCode: null,
    type: r.school_type,
    // Only local-authority scopes read the sector, and no such role takes part in a campaign.
    sector: "public",
  };
}

/** Does one of the caller's grants with one of these roles contain the school? */
export function isRespondent(caller: Caller, respondents: readonly string[], school: SchoolPlace): boolean {
  if (caller === "cli") return true;
  if (!caller) return false;
  return caller.roles.some(
    (g) =>
      respondents.includes(g.role) && g.scope.kind === "territory" && scopeContainsSchool(g.scope, school),
  );
}

/** May the caller follow (and approve) this school's response: `collection.approve` or `collection.manage` above it. */
export function followsSchool(caller: Caller, school: SchoolPlace): boolean {
  if (caller === "cli") return true;
  if (!caller) return false;
  return (
    can(caller, "collection.approve", { kind: "school", school }) ||
    can(caller, "collection.manage", { kind: "school", school })
  );
}

/** The response columns a territorial scope selects (null: every school). */
export function scopeColumn(
  scope: Scope,
): { column: keyof CollectionResponseTable; value: string } | null | "none" {
  if (scope.kind !== "territory") return "none";
  switch (scope.level) {
    case "nation":
      return null;
    case "academicRegion":
      return { column: "academic_region_code", value: scope.code };
    case "academy":
      return { column: "academy_code", value: scope.code };
    case "department":
      return { column: "department_code", value: scope.code };
    case "district":
      return { column: "district_code", value: scope.code };
    case "school":
      return { column: "uai", value: scope.code };
    default:
      return "none";
  }
}
