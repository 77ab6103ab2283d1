import type { FastifyInstance, FastifyRequest } from "fastify";
import { type AppError, forbidden, notFound, unauthenticated } from "../platform/index.ts";
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
  /**
   * A machine's route, authenticated by a bearer token that the route checks itself (the usage
   * API of ENT providers, imports/usage-api): the session plays no part, and a request without
   * a valid token gets 401 from the route.
   */
  | "token"
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

const notSignedIn = (): AppError => unauthenticated("Connectez-vous pour accéder à cette ressource.");

function refused(permission: Permission, outOfScope: boolean): AppError {
  return outOfScope
    ? forbidden("Cette ressource est hors de votre périmètre.")
    : forbidden(`Vos rôles ne donnent pas ce droit (${permission}).`);
}

/**
 * First half of the rule, before the body is read (onRequest): throws 401 without a session,
 * 403 without the permission on any scope.
 */
export function checkAccessEarly(req: FastifyRequest): void {
  const rule = req.routeOptions.config.access;
  if (rule === undefined || rule === "public" || rule === "token") return;
  if (!req.principal) throw notSignedIn();
  if (rule === "authenticated") return;
  if (!can(req.principal, rule.permission)) throw refused(rule.permission, false);
}

/** Second half (preHandler, the request validated): the target must be inside the principal's scope. */
export async function checkAccessTarget(req: FastifyRequest): Promise<void> {
  const rule = req.routeOptions.config.access;
  if (rule === undefined || typeof rule === "string" || !rule.target) return;
  const target = await rule.target(req);
  if (target === null) throw notFound("Ressource introuvable.");
  if (!can(req.principal, rule.permission, target)) throw refused(rule.permission, true);
}

/** For a handler that finds its target late: throws 401 or 403 when the principal may not. */
export function requirePermission(
  req: FastifyRequest,
  permission: Permission,
  target: PermissionTarget,
): void {
  if (can(req.principal, permission, target)) return;
  if (!req.principal) throw notSignedIn();
  throw refused(permission, can(req.principal, permission));
}
