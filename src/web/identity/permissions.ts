import type { RoleId, SessionUser } from "../../contracts/identity.ts";

/*
 * What the web app needs of the permission table (docs/identity.md) to show or hide links and
 * pages. The server decides: this only spares people links that would answer 403. Written here
 * rather than imported from the server's permissions.ts, which pulls zod and the referential into
 * the bundle; permissions.test.ts checks that both tables agree.
 */

export type WebPermission =
  | "import.annuaire"
  | "users.manage"
  | "audit.read"
  | "settings.manage"
  | "roadmaps.manage"
  | "indicators.restricted"
  | "indicators.write";

export const WEB_PERMISSION_ROLES: Record<WebPermission, readonly RoleId[]> = {
  "import.annuaire": ["national-admin", "region-steering", "academy-steering"],
  "users.manage": ["national-admin", "region-steering", "academy-steering", "department"],
  "audit.read": ["national-admin", "region-steering", "academy-steering"],
  "settings.manage": ["national-admin"],
  "roadmaps.manage": ["national-admin", "region-steering", "academy-steering"],
  "indicators.restricted": [
    "national-admin",
    "region-steering",
    "academy-steering",
    "department",
    "district",
    "school-head",
    "school-referent",
  ],
  "indicators.write": [
    "national-admin",
    "region-steering",
    "academy-steering",
    "school-head",
    "school-referent",
  ],
};

/** Roles in French, in the order of the permission table (most powerful first). */
export const ROLE_LABELS: Record<RoleId, string> = {
  "national-admin": "Administrateur national",
  "region-steering": "Pilotage de région académique (DRANE)",
  "academy-steering": "Pilotage d'académie (DANE)",
  department: "Département (DASEN, IEN numérique)",
  district: "District (IEN de circonscription, bassin)",
  "school-head": "Chef d'établissement",
  "school-referent": "Référent numérique d'établissement",
  "local-authority": "Collectivité",
  reader: "Lecteur",
};

export const ROLE_IDS = Object.keys(ROLE_LABELS) as RoleId[];

/** Same rank as the server's ROLE_RANK: one invites to roles at or below one's own. */
export const ROLE_RANK: Record<RoleId, number> = {
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

/** Does one of the user's roles carry the permission (on some territory)? */
export function holds(user: SessionUser | null | undefined, permission: WebPermission): boolean {
  return Boolean(user?.roles.some((grant) => WEB_PERMISSION_ROLES[permission].includes(grant.role)));
}

/** The roles this user may invite to: those at or below the highest role that manages users. */
export function invitableRoles(user: SessionUser | null | undefined): RoleId[] {
  const managing = (user?.roles ?? []).filter((g) => WEB_PERMISSION_ROLES["users.manage"].includes(g.role));
  const top = Math.max(0, ...managing.map((g) => ROLE_RANK[g.role]));
  return ROLE_IDS.filter((role) => ROLE_RANK[role] <= top);
}
