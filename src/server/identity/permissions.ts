import { PERMISSION_ROLES, type Permission, ROLE_RANK, type Role } from "../../contracts/permissions.ts";
import type { SchoolSector, SchoolType } from "../../contracts/territories.ts";
import {
  academicRegionByCode,
  academyByCode,
  checkUai,
  departmentByCode,
  FORMER_ACADEMY_CODES,
  NATION_CODE,
  NODE_LEVELS,
  nodeKey,
  normalizeDepartmentCode,
  placeInTerritory,
  readNodeKey,
  type SchoolTreePlace,
  LEVEL_LABELS as TREE_LEVEL_LABELS,
  type NodeLevel as TreeLevel,
} from "../territories/index.ts";

/**
 * Roles, scopes and the permission table of docs/identity.md, as pure functions: no I/O, so the
 * whole table is unit- and property-tested, and every route asks the same `can`.
 */

/** The table itself is the contracts' (shared with the web app); scopes and decisions are here. */
export {
  isRole,
  PERMISSION_ROLES,
  PERMISSIONS,
  type Permission,
  ROLE_LABELS,
  ROLE_RANK,
  ROLES,
  type Role,
} from "../../contracts/permissions.ts";

// ---------------------------------------------------------------------------------------------
// Scopes

/** Levels of the territory tree a steering or reader role can be bound to: every level of the tree. */
export const TERRITORY_SCOPE_LEVELS = NODE_LEVELS;
export type TerritoryScopeLevel = TreeLevel;

/** A local authority funds schools: a région its lycées and EREA, a département its collèges, a commune its écoles. */
export const LOCAL_AUTHORITY_LEVELS = ["region", "department", "commune"] as const;
export type LocalAuthorityLevel = (typeof LOCAL_AUTHORITY_LEVELS)[number];

/**
 * The node a role is bound to. A local authority's `department:33` is not the département's
 * `department:33`: the first holds the public collèges only, hence the two kinds.
 */
export type Scope =
  | { kind: "territory"; level: TerritoryScopeLevel; code: string }
  | { kind: "localAuthority"; level: LocalAuthorityLevel; code: string };

export interface RoleGrant {
  role: Role;
  scope: Scope;
}

export const NATION: Scope = { kind: "territory", level: "nation", code: NATION_CODE };

/** The level a role is always bound to, when it fixes one (then the code alone names the scope). */
const FIXED_LEVEL: Partial<Record<Role, TerritoryScopeLevel>> = {
  "national-admin": "nation",
  "region-steering": "academicRegion",
  "academy-steering": "academy",
  department: "department",
  district: "district",
  "school-head": "school",
  "school-referent": "school",
};

/** « une académie »…: the tree's labels, and the levels only a local authority has. */
const LEVEL_LABELS: Record<TerritoryScopeLevel | LocalAuthorityLevel, string> = {
  ...(Object.fromEntries(NODE_LEVELS.map((l) => [l, TREE_LEVEL_LABELS[l].indefinite])) as Record<
    TerritoryScopeLevel,
    string
  >),
  region: "une région",
  commune: "une commune",
};

export type ParseScopeResult = { ok: true; scope: Scope } | { ok: false; error: string };

/**
 * Reads a territory as written on the command line or in the API for a role (docs/identity.md):
 * the code alone when the role fixes the level (`academy-steering` + `04`), otherwise
 * `niveau:code` (`academy:04`, `region:75`, `commune:33063`); `FR` is the nation.
 */
export function parseScope(role: Role, text: string): ParseScopeResult {
  const raw = text.trim();
  if (raw === "") return { ok: false, error: "Territoire manquant" };
  const colon = raw.indexOf(":");
  const levelText = colon >= 0 ? raw.slice(0, colon).trim() : null;
  const code = colon >= 0 ? raw.slice(colon + 1).trim() : raw;

  if (role === "local-authority") {
    if (levelText === null || !(LOCAL_AUTHORITY_LEVELS as readonly string[]).includes(levelText)) {
      return {
        ok: false,
        error: `Territoire « ${raw} » invalide pour une collectivité : écrivez region:<code>, department:<code> ou commune:<code INSEE> (ex. region:75, department:33, commune:33063)`,
      };
    }
    return localAuthorityScope(levelText as LocalAuthorityLevel, code);
  }

  let level: TerritoryScopeLevel;
  if (levelText !== null) {
    if ((TERRITORY_SCOPE_LEVELS as readonly string[]).includes(levelText)) {
      level = levelText as TerritoryScopeLevel;
    } else {
      return {
        ok: false,
        error: `Niveau « ${levelText} » inconnu : niveaux possibles ${TERRITORY_SCOPE_LEVELS.join(", ")}`,
      };
    }
  } else if (code.toUpperCase() === NATION_CODE) {
    level = "nation";
  } else {
    const fixed = FIXED_LEVEL[role];
    if (fixed) level = fixed;
    else {
      // The tree's one reader: a code that names one node (2A, a UAI), or a refusal listing the
      // candidates (04 is a région académique, an académie and a département).
      const reading = readNodeKey(code, TERRITORY_SCOPE_LEVELS);
      if (!reading.ok) return { ok: false, error: reading.reason };
      level = reading.node.level;
    }
  }

  const fixed = FIXED_LEVEL[role];
  if (fixed && fixed !== level) {
    return {
      ok: false,
      error: `Le rôle ${role} porte sur ${LEVEL_LABELS[fixed]}, pas sur ${LEVEL_LABELS[level]} (« ${raw} »)`,
    };
  }
  return territoryScope(level, code);
}

function territoryScope(level: TerritoryScopeLevel, rawCode: string): ParseScopeResult {
  const code = rawCode.trim();
  switch (level) {
    case "nation":
      if (code.toUpperCase() !== NATION_CODE)
        return { ok: false, error: `La nation s'écrit FR, pas « ${code} »` };
      return { ok: true, scope: NATION };
    case "academicRegion":
      if (!academicRegionByCode.has(code)) {
        return {
          ok: false,
          error: `Région académique « ${code} » inconnue (code INSEE de la région, ex. 75)`,
        };
      }
      return { ok: true, scope: { kind: "territory", level, code } };
    case "academy": {
      const current = FORMER_ACADEMY_CODES[code];
      if (current) return { ok: false, error: `L'académie « ${code} » n'existe plus : utilisez ${current}` };
      if (!academyByCode.has(code))
        return { ok: false, error: `Académie « ${code} » inconnue (ex. 04 Bordeaux)` };
      return { ok: true, scope: { kind: "territory", level, code } };
    }
    case "department": {
      const dep = normalizeDepartmentCode(code);
      if (!dep || !departmentByCode.has(dep)) {
        return { ok: false, error: `Département « ${code} » inconnu (code COG, ex. 33, 2A, 974)` };
      }
      return { ok: true, scope: { kind: "territory", level, code: dep } };
    }
    case "district":
      if (!/^[BC]-[0-9A-Za-z_-]+$/.test(code)) {
        return {
          ok: false,
          error: `Code de district « ${code} » mal formé (attendu : B-… pour un bassin, C-… pour une circonscription)`,
        };
      }
      return { ok: true, scope: { kind: "territory", level, code } };
    case "school": {
      const uai = checkUai(code);
      if (!uai.ok) return { ok: false, error: uai.reason };
      return { ok: true, scope: { kind: "territory", level, code: uai.uai } };
    }
  }
}

function localAuthorityScope(level: LocalAuthorityLevel, code: string): ParseScopeResult {
  switch (level) {
    case "region":
      if (!academicRegionByCode.has(code)) {
        return { ok: false, error: `Région « ${code} » inconnue (code INSEE de la région, ex. 75)` };
      }
      return { ok: true, scope: { kind: "localAuthority", level, code } };
    case "department": {
      const dep = normalizeDepartmentCode(code);
      if (!dep || !departmentByCode.has(dep)) {
        return { ok: false, error: `Département « ${code} » inconnu (code COG, ex. 33, 2A, 974)` };
      }
      return { ok: true, scope: { kind: "localAuthority", level, code: dep } };
    }
    case "commune": {
      const upper = code.toUpperCase();
      if (!/^(\d{5}|2[AB]\d{3})$/.test(upper) || !departmentByCode.has(departmentOfCommune(upper))) {
        return { ok: false, error: `Commune « ${code} » inconnue (code INSEE à 5 caractères, ex. 33063)` };
      }
      return { ok: true, scope: { kind: "localAuthority", level, code: upper } };
    }
  }
}

/** Département of an INSEE commune code: three characters overseas (97x), two elsewhere (2A, 2B included). */
export function departmentOfCommune(communeCode: string): string {
  return communeCode.startsWith("97") ? communeCode.slice(0, 3) : communeCode.slice(0, 2);
}

/**
 * The scope as `parseScope` reads it back: the node key (`nation:FR`, `academy:04`), or
 * `region:75`, `commune:33063`… for a local authority (the same `niveau:code` form).
 */
export function formatScope(scope: Scope): string {
  return scope.kind === "territory" ? nodeKey(scope) : `${scope.level}:${scope.code}`;
}

/** Is this scope one the role can be bound to? (The database stores level and code only.) */
export function scopeFitsRole(role: Role, scope: Scope): boolean {
  if (role === "local-authority") return scope.kind === "localAuthority";
  if (scope.kind !== "territory") return false;
  const fixed = FIXED_LEVEL[role];
  return fixed ? fixed === scope.level : true;
}

/** Rebuilds a scope from `role_assignment` (territory_level, territory_code); null when it does not fit the role. */
export function scopeFromStored(role: Role, level: string, code: string): Scope | null {
  const scope: Scope | null =
    role === "local-authority"
      ? (LOCAL_AUTHORITY_LEVELS as readonly string[]).includes(level)
        ? { kind: "localAuthority", level: level as LocalAuthorityLevel, code }
        : null
      : (TERRITORY_SCOPE_LEVELS as readonly string[]).includes(level)
        ? { kind: "territory", level: level as TerritoryScopeLevel, code }
        : null;
  return scope && scopeFitsRole(role, scope) ? scope : null;
}

// ---------------------------------------------------------------------------------------------
// Containment

/** What a scope needs to know about a school: its materialised ancestors, type and sector. */
export interface SchoolPlace extends SchoolTreePlace {
  communeCode: string | null;
  type: SchoolType | string;
  sector: SchoolSector | string;
}

/** The school types each kind of local authority funds. */
export const LOCAL_AUTHORITY_SCHOOL_TYPES: Record<LocalAuthorityLevel, ReadonlySet<string>> = {
  region: new Set(["lycee_gt", "lycee_polyvalent", "lycee_professionnel", "lycee_agricole", "erea"]),
  department: new Set(["college"]),
  commune: new Set(["ecole_maternelle", "ecole_elementaire", "ecole_primaire"]),
};

/** Does the scope hold this school? Local authorities hold only the public schools they fund. */
export function scopeContainsSchool(scope: Scope, school: SchoolPlace): boolean {
  if (scope.kind === "localAuthority") {
    if (school.sector !== "public" || !LOCAL_AUTHORITY_SCHOOL_TYPES[scope.level].has(school.type))
      return false;
    switch (scope.level) {
      case "region":
        return school.academicRegionCode === scope.code;
      case "department":
        return school.departmentCode === scope.code;
      case "commune":
        return school.communeCode === scope.code;
    }
  }
  return placeInTerritory(school, scope);
}

/** A node of the tree, or a commune (what a local authority's scope may name). */
export type ScopeNodeLevel = TerritoryScopeLevel | "commune";

export interface TerritoryNode {
  level: ScopeNodeLevel;
  code: string;
}

/**
 * A node with the codes of every node above it, itself included (an académie's path has
 * `academy` = its own code): containment is then one comparison.
 */
export interface TerritoryPath extends TerritoryNode {
  academicRegion: string | null;
  academy: string | null;
  department: string | null;
  /** Bassin and circonscription codes: the district itself, or a school's districts. */
  districts: readonly string[];
  commune: string | null;
  /** For a school: what a local authority's scope looks at. */
  school?: SchoolPlace;
}

/** Does the scope hold this node (itself or a descendant)? A local authority holds schools only. */
export function scopeContainsPath(scope: Scope, path: TerritoryPath): boolean {
  if (path.level === "school" && path.school) return scopeContainsSchool(scope, path.school);
  if (scope.kind === "localAuthority") return false;
  switch (scope.level) {
    case "nation":
      return true;
    case "academicRegion":
      return path.academicRegion === scope.code;
    case "academy":
      return path.academy === scope.code;
    case "department":
      return path.department === scope.code;
    case "district":
      return path.districts.includes(scope.code);
    case "school":
      return path.level === "school" && path.code === scope.code;
  }
}

/** Ancestry of the territory nodes: the built-in referential plus what only the database knows. */
export interface TerritoryIndex {
  pathOf(node: TerritoryNode): TerritoryPath | undefined;
}

/** Does the scope hold the node? Unknown nodes are held by no scope but the nation's. */
export function scopeContainsTerritory(scope: Scope, node: TerritoryNode, index: TerritoryIndex): boolean {
  if (scope.kind === "territory" && scope.level === "nation") return true;
  const path = index.pathOf(node);
  return path ? scopeContainsPath(scope, path) : false;
}

export interface DistrictPlace {
  code: string;
  departmentCode: string;
}

/** The path of a school, from its materialised ancestors. */
export function schoolPath(school: SchoolPlace): TerritoryPath {
  return {
    level: "school",
    code: school.uai,
    academicRegion: school.academicRegionCode,
    academy: school.academyCode,
    department: school.departmentCode,
    districts: [school.bassinCode, school.circonscriptionCode].filter((c): c is string => c !== null),
    commune: school.communeCode,
    school,
  };
}

/** A département's path (and its académie and région académique) from the referential. */
function departmentPath(
  level: ScopeNodeLevel,
  code: string,
  departmentCode: string,
): TerritoryPath | undefined {
  const dep = departmentByCode.get(departmentCode);
  if (!dep) return undefined;
  return {
    level,
    code,
    academicRegion: dep.academicRegionCode,
    academy: dep.academyCode,
    department: dep.code,
    districts: level === "district" ? [code] : [],
    commune: level === "commune" ? code : null,
  };
}

/**
 * A TerritoryIndex on the referential, plus the districts and schools given (the database's
 * `district` and `school` rows, or only those a request needs).
 */
export function createTerritoryIndex(
  districts: Iterable<DistrictPlace> = [],
  schools: Iterable<SchoolPlace> = [],
): TerritoryIndex {
  const districtDepartment = new Map<string, string>();
  for (const d of districts) districtDepartment.set(d.code, d.departmentCode);
  const schoolByUai = new Map<string, SchoolPlace>();
  for (const s of schools) schoolByUai.set(s.uai, s);
  return {
    pathOf(node) {
      switch (node.level) {
        case "nation":
          return node.code === NATION_CODE
            ? { ...node, academicRegion: null, academy: null, department: null, districts: [], commune: null }
            : undefined;
        case "academicRegion":
          return academicRegionByCode.has(node.code)
            ? {
                ...node,
                academicRegion: node.code,
                academy: null,
                department: null,
                districts: [],
                commune: null,
              }
            : undefined;
        case "academy": {
          const academy = academyByCode.get(node.code);
          return academy
            ? {
                ...node,
                academicRegion: academy.academicRegionCode,
                academy: academy.code,
                department: null,
                districts: [],
                commune: null,
              }
            : undefined;
        }
        case "department":
          return departmentPath("department", node.code, node.code);
        case "commune":
          return departmentPath("commune", node.code, departmentOfCommune(node.code));
        case "district": {
          const dep = districtDepartment.get(node.code);
          return dep ? departmentPath("district", node.code, dep) : undefined;
        }
        case "school": {
          const school = schoolByUai.get(node.code);
          return school ? schoolPath(school) : undefined;
        }
      }
    },
  };
}

/**
 * The territory node a scope stands for, for containment between scopes (granting a role):
 * a local authority's région is the région académique of the same code, its département the
 * département, its commune the commune.
 */
export function scopeNode(scope: Scope): TerritoryNode {
  if (scope.kind === "localAuthority") {
    return { level: scope.level === "region" ? "academicRegion" : scope.level, code: scope.code };
  }
  return { level: scope.level, code: scope.code };
}

// ---------------------------------------------------------------------------------------------
// Decisions

/** Who is asking: a signed-in user and their roles. */
export interface Principal {
  userId: string;
  email: string;
  roles: readonly RoleGrant[];
}

/** What a permission is asked about; without a target, holding the permission on any scope suffices. */
export type PermissionTarget =
  | { kind: "school"; school: SchoolPlace }
  | { kind: "territory"; path: TerritoryPath }
  /** Granting or revoking `role` on the node of `path` (from `scopeNode` of the scope granted). */
  | { kind: "grant"; role: Role; path: TerritoryPath };

export type Access = "public" | "authenticated" | Permission;

function grantCovers(
  grant: RoleGrant,
  permission: Permission,
  target: PermissionTarget | undefined,
): boolean {
  if (!PERMISSION_ROLES[permission].includes(grant.role)) return false;
  if (!target) return true;
  switch (target.kind) {
    case "school":
      return scopeContainsSchool(grant.scope, target.school);
    case "territory":
      return scopeContainsPath(grant.scope, target.path);
    case "grant":
      return ROLE_RANK[target.role] <= ROLE_RANK[grant.role] && scopeContainsPath(grant.scope, target.path);
  }
}

/**
 * The permission table: may this principal (null when anonymous) do this, on this target?
 * One of the principal's roles must hold the permission on a scope containing the target.
 */
export function can(principal: Principal | null, access: Access, target?: PermissionTarget): boolean {
  if (access === "public") return true;
  if (!principal) return false;
  if (access === "authenticated") return true;
  return principal.roles.some((grant) => grantCovers(grant, access, target));
}

/** The scopes on which the principal holds a permission (to filter lists, rows of an import…). */
export function scopesWith(principal: Principal | null, permission: Permission): Scope[] {
  if (!principal) return [];
  return principal.roles.filter((g) => PERMISSION_ROLES[permission].includes(g.role)).map((g) => g.scope);
}

export type AccessDecision = "allowed" | "unauthenticated" | "forbidden";

/** `can`, with the reason of a refusal: 401 for the anonymous, 403 for the others. */
export function decide(
  principal: Principal | null,
  access: Access,
  target?: PermissionTarget,
): AccessDecision {
  if (can(principal, access, target)) return "allowed";
  return principal ? "forbidden" : "unauthenticated";
}
