import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { SessionUser } from "../../../contracts/identity.ts";
import type { Actor, AuditEventTable, Database } from "../../platform/index.ts";
import { formatScope, type RoleGrant } from "../permissions.ts";
import { describeScope } from "../users/scope-store.ts";
import { listRoles, type UserRecord } from "../users/users.ts";

/** The account as the web app sees it (`GET /api/v1/auth/session`, login answers). */
export async function toSessionUser(
  db: Kysely<Database>,
  user: Pick<UserRecord, "id" | "email" | "givenName" | "familyName">,
  roles?: readonly RoleGrant[],
): Promise<SessionUser> {
  const grants = roles ?? (await listRoles(db, user.id));
  return {
    id: user.id,
    email: user.email,
    givenName: user.givenName,
    familyName: user.familyName,
    roles: await Promise.all(
      grants.map(async (g) => ({
        role: g.role,
        territory: formatScope(g.scope),
        territoryLabel: await describeScope(db, g.scope),
      })),
    ),
  };
}

/** Who makes this request, for the audit log. */
export function requestActor(req: FastifyRequest, source: AuditEventTable["source"] = "api"): Actor {
  return {
    userId: req.principal?.userId ?? null,
    label: req.principal?.email ?? "anonyme",
    source,
    requestId: String(req.id),
    ip: req.ip,
  };
}
