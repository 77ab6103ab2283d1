import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { type RoleChangeBody, roleChangeBody, userSummary } from "../../../contracts/identity.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { conflict, type Database, invalid, notFound } from "../../platform/index.ts";
import type { TargetResolver } from "../access.ts";
import {
  formatScope,
  type PermissionTarget,
  parseScope,
  type RoleGrant,
  scopeContainsPath,
  scopeNode,
  scopesWith,
} from "../permissions.ts";
import { requestActor } from "../sessions/session-user.ts";
import { describeScope, loadTerritoryIndex } from "./scope-store.ts";
import { findUserById, grantRole, listUsers, revokeRole } from "./users.ts";

/** The role and scope named by a request, checked against the referential and the database. */
async function requestedGrant(
  db: Kysely<Database>,
  input: RoleChangeBody,
): Promise<RoleGrant & { target: PermissionTarget }> {
  const parsed = parseScope(input.role, input.territory);
  if (!parsed.ok) throw invalid(parsed.error);
  const node = scopeNode(parsed.scope);
  const path = (await loadTerritoryIndex(db, [node])).pathOf(node);
  if (!path) throw invalid(`Territoire inconnu : ${input.territory}`);
  return { role: input.role, scope: parsed.scope, target: { kind: "grant", role: input.role, path } };
}

/**
 * Managing who holds which role (`users.manage`): the list of the accounts with a role in one's
 * scope, granting and withdrawing roles at or below one's own level, inside one's scope.
 */
export function userRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const grantTarget =
    (from: "body" | "query"): TargetResolver =>
    async (req: FastifyRequest) =>
      (await requestedGrant(db, (from === "body" ? req.body : req.query) as RoleChangeBody)).target;

  r.get(
    "/api/v1/users",
    {
      config: { access: { permission: "users.manage" } },
      schema: {
        tags: ["identité"],
        summary: "Les comptes ayant un rôle dans votre périmètre, avec ces rôles",
        response: { 200: z.object({ items: z.array(userSummary) }) },
      },
    },
    async (req) => {
      const scopes = scopesWith(req.principal, "users.manage");
      const users = await listUsers(db);
      const index = await loadTerritoryIndex(
        db,
        users.flatMap((u) => u.roles.map((g) => scopeNode(g.scope))),
      );
      const national = scopes.some((s) => s.kind === "territory" && s.level === "nation");
      const visible = (g: RoleGrant) => {
        const path = index.pathOf(scopeNode(g.scope));
        return path !== undefined && scopes.some((s) => scopeContainsPath(s, path));
      };
      const items = [];
      for (const u of users) {
        const roles = national ? u.roles : u.roles.filter(visible);
        if (!national && roles.length === 0) continue;
        items.push({
          id: u.id,
          email: u.email,
          givenName: u.givenName,
          familyName: u.familyName,
          status: u.status,
          lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
          roles: await Promise.all(
            roles.map(async (g) => ({
              role: g.role,
              territory: formatScope(g.scope),
              territoryLabel: await describeScope(db, g.scope),
            })),
          ),
        });
      }
      return { items };
    },
  );

  const userParams = z.object({ userId: z.string().regex(/^\d{1,18}$/) });
  const changed = z.object({
    changed: z.boolean().describe("false : la personne avait déjà (ou n'avait pas) ce rôle"),
  });

  r.post(
    "/api/v1/users/:userId/roles",
    {
      config: { access: { permission: "users.manage", target: grantTarget("body") } },
      schema: {
        tags: ["identité"],
        summary:
          "Attribuer un rôle sur un territoire (de niveau inférieur ou égal au vôtre, dans votre périmètre)",
        params: userParams,
        body: roleChangeBody,
        response: { 200: changed, 400: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (req) => {
      const user = await findUserById(db, req.params.userId);
      if (!user) throw notFound("Compte introuvable.");
      const grant = await requestedGrant(db, req.body);
      return { changed: await grantRole(db, user.id, grant, requestActor(req)) };
    },
  );

  r.delete(
    "/api/v1/users/:userId/roles",
    {
      config: { access: { permission: "users.manage", target: grantTarget("query") } },
      schema: {
        tags: ["identité"],
        summary: "Retirer un rôle (de niveau inférieur ou égal au vôtre, dans votre périmètre)",
        params: userParams,
        querystring: roleChangeBody,
        response: { 200: changed, 400: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
      },
    },
    async (req) => {
      const user = await findUserById(db, req.params.userId);
      if (!user) throw notFound("Compte introuvable.");
      const grant = await requestedGrant(db, req.query);
      if (grant.role === "national-admin" && (await isLastNationalAdmin(db, user.id)))
        throw conflict(
          "Impossible de retirer le rôle du dernier administrateur national actif.",
          "last_admin",
        );
      return { changed: await revokeRole(db, user.id, grant, requestActor(req)) };
    },
  );
}

/** Is this user the only active national administrator? (Vigie must keep one.) */
async function isLastNationalAdmin(db: Kysely<Database>, userId: string): Promise<boolean> {
  const others = await db
    .selectFrom("role_assignment as r")
    .innerJoin("app_user as u", "u.id", "r.user_id")
    .select("u.id")
    .where("r.role", "=", "national-admin")
    .where("u.status", "=", "active")
    .where("u.id", "!=", userId)
    .limit(1)
    .executeTakeFirst();
  return !others;
}
