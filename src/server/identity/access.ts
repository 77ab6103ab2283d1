import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { can, type Permission, type PermissionTarget } from "./permissions.ts";

/**
 * Access rules on routes. Every route under /api declares `config: { access }`; the app does not
 * start when one does not (only the OpenAPI viewer's /api/docs routes are exempt, and outside
 * /api the GET and HEAD routes of the built web app's files). The identity plugin enforces the
 * rule on each request: anonymous → 401, signed in without the permission or outside its scope
 * → 403, with a French `{ error, message }`.
 */

/**
 * The target of a permission, computed from the validated request (params, query, body):
 * a PermissionTarget to check against the principal's scopes, or null when the target does not
 * exist (404 for those who hold the permission somewhere, 403 for the others).
 */
export type TargetResolver = (
  req: FastifyRequest,
) => Promise<PermissionTarget | null> | PermissionTarget | null;

export type AccessRule =
  /** Anyone, anonymous included. */
  | "public"
  /** Any signed-in user. */
  | "authenticated"
  /** Holders of the permission; on the target's scope when `target` is given. */
  | { permission: Permission; target?: TargetResolver };

declare module "fastify" {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface FastifyInstance {
    /** Every route registered so far, with its access rule (the authorization matrix test reads it). */
    registeredRoutes: RegisteredRoute[];
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: AccessRule | undefined;
}

/** Routes that need no rule: the OpenAPI viewer, and the web app's static files (GET and HEAD outside /api). */
export function exemptFromAccessRule(method: string, url: string): boolean {
  if (url === "/api/docs" || url.startsWith("/api/docs/")) return true;
  const isApi = url === "/api" || url.startsWith("/api/");
  return !isApi && (method === "GET" || method === "HEAD");
}

/**
 * Installs the check that makes the app fail to start when a route has no access rule, and the
 * registry of routes. Call it first, before any route is registered.
 */
export function installRouteGuard(app: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  app.decorate("registeredRoutes", routes);
  app.addHook("onRoute", (route) => {
    const access = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (!access && !exemptFromAccessRule(method, route.url)) {
        throw new Error(
          `Route ${method} ${route.url} sans règle d'accès : ajoutez config.access ("public", "authenticated" ou { permission, target }) — voir docs/identity.md`,
        );
      }
      routes.push({ method, url: route.url, access });
    }
  });
}

// Same shape as platform/http.ts's apiError, written here because http.ts imports this module.
const apiError = (error: string, message: string) => ({ error, message });

export const UNAUTHENTICATED = apiError("unauthenticated", "Connectez-vous pour accéder à cette ressource.");

export function forbidden(permission: Permission, outOfScope: boolean) {
  return outOfScope
    ? apiError("forbidden", "Cette ressource est hors de votre périmètre.")
    : apiError("forbidden", `Vos rôles ne donnent pas ce droit (${permission}).`);
}

/**
 * First half of the rule, before the body is read (onRequest): 401 without a session, 403
 * without the permission on any scope. Returns the reply when it answered.
 */
export function checkAccessEarly(req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const rule = req.routeOptions.config.access;
  if (rule === undefined || rule === "public") return undefined;
  if (!req.principal) return reply.code(401).send(UNAUTHENTICATED);
  if (rule === "authenticated") return undefined;
  if (!can(req.principal, rule.permission)) return reply.code(403).send(forbidden(rule.permission, false));
  return undefined;
}

/** Second half (preHandler, the request validated): the target must be inside the principal's scope. */
export async function checkAccessTarget(
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const rule = req.routeOptions.config.access;
  if (rule === undefined || typeof rule === "string" || !rule.target) return undefined;
  const target = await rule.target(req);
  if (target === null) return reply.code(404).send(apiError("not_found", "Ressource introuvable."));
  if (!can(req.principal, rule.permission, target))
    return reply.code(403).send(forbidden(rule.permission, true));
  return undefined;
}

/** For a handler that finds its target late: sends 403 and returns false when the principal may not. */
export function requirePermission(
  req: FastifyRequest,
  reply: FastifyReply,
  permission: Permission,
  target: PermissionTarget,
): boolean {
  if (can(req.principal, permission, target)) return true;
  if (!req.principal) reply.code(401).send(UNAUTHENTICATED);
  else reply.code(403).send(forbidden(permission, can(req.principal, permission)));
  return false;
}
