import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { type Config, type Database, forbidden } from "../platform/index.ts";
import { checkAccessEarly, checkAccessTarget } from "./access.ts";
import { authRoutes } from "./sessions/auth-routes.ts";
import { crossOriginProblem, STATE_CHANGING_METHODS } from "./sessions/csrf.ts";
import { csrfTokenMatches, loadSession, SESSION_COOKIE, sessionSettings } from "./sessions/sessions.ts";
import { userRoutes } from "./users/user-routes.ts";

/**
 * The identity module on the HTTP app: cookies, the session of each /api request
 * (`req.principal`), CSRF checks, access rules, the login rate limit, and the identity routes.
 * Register it before the other modules' routes: the hooks apply to routes declared after them.
 */
export async function registerIdentity(
  app: FastifyInstance,
  db: Kysely<Database>,
  config: Config,
): Promise<void> {
  await app.register(fastifyCookie);
  app.decorate("sessionSettings", sessionSettings(config));
  app.decorateRequest("principal", null);
  app.decorateRequest("userSession", null);

  app.addHook("onRequest", async (req) => {
    if (!concernsApi(req)) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const loaded = await loadSession(db, token, app.sessionSettings);
      if (loaded) {
        req.userSession = loaded.session;
        req.principal = loaded.principal;
      }
    }
    if (STATE_CHANGING_METHODS.has(req.method)) {
      const problem = crossOriginProblem(
        {
          origin: req.headers.origin,
          secFetchSite: header(req.headers["sec-fetch-site"]),
          host: req.host,
          protocol: req.protocol,
        },
        config.publicUrl,
      );
      if (problem) throw forbidden(problem, "cross_origin");
      if (
        req.userSession &&
        !csrfTokenMatches(header(req.headers["x-csrf-token"]), req.userSession.csrfToken)
      ) {
        throw forbidden(
          "Jeton anti-falsification (CSRF) manquant ou invalide : rechargez la page puis recommencez.",
          "csrf",
        );
      }
    }
    checkAccessEarly(req);
  });
  app.addHook("preHandler", async (req) => {
    if (!concernsApi(req)) return;
    await checkAccessTarget(req);
  });

  // Per client address, on the routes that ask for it (login, password from a link).
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      Object.assign(
        new Error(
          `Trop de tentatives depuis votre adresse : réessayez dans ${Math.max(1, Math.ceil(context.ttl / 1000))} secondes.`,
        ),
        { statusCode: context.statusCode, code: "too_many_requests" },
      ),
  });

  authRoutes(app, db, config);
  userRoutes(app, db);
}

/**
 * Sessions and rules apply to every route with a rule and to everything under /api. Decided on
 * the matched route, not only on the raw URL: `/%61pi/v1/users` reaches the `/api/v1/users`
 * route, and must meet its rule.
 */
function concernsApi(req: FastifyRequest): boolean {
  if (req.routeOptions.config.access !== undefined) return true;
  const route = req.routeOptions.url;
  return route?.startsWith("/api/") === true || req.url.startsWith("/api/");
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
