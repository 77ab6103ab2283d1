import type { SessionUser } from "../../contracts/identity.ts";
import {
  PERMISSION_ROLES,
  type Permission,
  ROLE_LABELS as ROLE_PHRASES,
  ROLE_RANK,
  ROLES,
  type Role,
} from "../../contracts/permissions.ts";

/*
 * What the web app needs of the permission table (docs/identity.md) to show or hide links and
 * pages. The server decides: this only spares people links that would answer 403. The table is
 * the contracts' (`src/contracts/permissions.ts`, Zod-free), the same the server decides with.
 */

export type WebPermission = Permission;

export const WEB_PERMISSION_ROLES = PERMISSION_ROLES;

export { ROLE_RANK };

/** Roles in French, as titles, in the order of the permission table (most powerful first). */
export const ROLE_LABELS = Object.fromEntries(
  ROLES.map((role) => [role, capitalise(ROLE_PHRASES[role])]),
) as Record<Role, string>;

export const ROLE_IDS: Role[] = [...ROLES];

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Does one of the user's roles carry the permission (on some territory)? */
export function holds(user: SessionUser | null | undefined, permission: WebPermission): boolean {
  return Boolean(user?.roles.some((grant) => WEB_PERMISSION_ROLES[permission].includes(grant.role)));
}

/** The roles this user may invite to: those at or below the highest role that manages users. */
export function invitableRoles(user: SessionUser | null | undefined): Role[] {
  const managing = (user?.roles ?? []).filter((g) => WEB_PERMISSION_ROLES["users.manage"].includes(g.role));
  const top = Math.max(0, ...managing.map((g) => ROLE_RANK[g.role]));
  return ROLE_IDS.filter((role) => ROLE_RANK[role] <= top);
}
