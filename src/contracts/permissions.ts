/**
 * The permission table of docs/identity.md: roles, permissions, which roles hold each one and
 * the rank that bounds whom one may invite. Zod-free and without I/O: the server decides with
 * it (`identity/permissions.ts`, which adds the scopes), the web app reads the same table to
 * show or hide links. One copy only.
 */

export const ROLES = [
  "national-admin",
  "region-steering",
  "academy-steering",
  "department",
  "district",
  "school-head",
  "school-referent",
  "local-authority",
  "reader",
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The roles in French, in a sentence (lower case; the web app capitalises them as titles). */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  "national-admin": "administrateur national",
  "region-steering": "pilotage de région académique (DRANE)",
  "academy-steering": "pilotage d'académie (DANE)",
  department: "département (DASEN, IEN numérique)",
  district: "district (IEN de circonscription, bassin)",
  "school-head": "chef d'établissement",
  "school-referent": "référent numérique d'établissement",
  "local-authority": "collectivité",
  reader: "lecteur",
};

/**
 * Rank of each role for `users.manage`: a user may grant or revoke only roles whose rank is at
 * most their own. Read-only roles share the lowest rank.
 */
export const ROLE_RANK: Readonly<Record<Role, number>> = {
  "national-admin": 8,
  "region-steering": 7,
  "academy-steering": 6,
  department: 5,
  district: 4,
  "school-head": 3,
  "school-referent": 2,
  "local-authority": 1,
  reader: 1,
};

export const PERMISSIONS = [
  "import.annuaire",
  "users.manage",
  "audit.read",
  "settings.manage",
  "roadmaps.manage",
  "indicators.restricted",
  "indicators.write",
  "indicators.review",
  "collection.manage",
  "collection.respond",
  "collection.approve",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Which roles hold each permission (on their scope). The table of docs/identity.md. */
export const PERMISSION_ROLES: Readonly<Record<Permission, readonly Role[]>> = {
  "import.annuaire": ["national-admin", "region-steering", "academy-steering"],
  "users.manage": ["national-admin", "region-steering", "academy-steering", "department"],
  "audit.read": ["national-admin", "region-steering", "academy-steering"],
  "settings.manage": ["national-admin"],
  /** Roadmaps of the territories in scope: the DRANE (région académique) and the DANE (académie). */
  "roadmaps.manage": ["national-admin", "region-steering", "academy-steering"],
  /**
   * Figures not publishable under the statistical confidentiality, inside the scope: the
   * authority's own staff and the school's own users (docs/indicator-semantics.md).
   */
  "indicators.restricted": [
    "national-admin",
    "region-steering",
    "academy-steering",
    "department",
    "district",
    "school-head",
    "school-referent",
  ],
  /** Writing data values through the API or an import, inside the scope. */
  "indicators.write": [
    "national-admin",
    "region-steering",
    "academy-steering",
    "school-head",
    "school-referent",
  ],
  /**
   * Accepting or rejecting a school's value held as implausible (docs/indicator-semantics.md):
   * the users above the school, in their scope — never the school's own staff.
   */
  "indicators.review": ["national-admin", "region-steering", "academy-steering", "department", "district"],
  /** Creating collection campaigns for the territories in scope, reminding, granting lock exceptions (docs/collection.md). */
  "collection.manage": ["national-admin", "region-steering", "academy-steering"],
  /** Filling in a campaign's form for a school in scope (the campaign names which of these roles answer). */
  "collection.respond": ["school-head", "school-referent"],
  /**
   * Following a campaign's completeness and approving, returning or accepting the responses of
   * the schools in scope: the levels above the school.
   */
  "collection.approve": ["national-admin", "region-steering", "academy-steering", "department", "district"],
};

/** Does the role hold the permission (on its scope)? */
export function roleHolds(role: Role, permission: Permission): boolean {
  return PERMISSION_ROLES[permission].includes(role);
}
