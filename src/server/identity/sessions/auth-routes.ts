import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  loginBody,
  loginResponse,
  logoutResponse,
  passwordPolicyError,
  sessionState,
  setPasswordBody,
} from "../../../contracts/identity.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import {
  AppError,
  type Config,
  type Database,
  invalid,
  recordAudit,
  unauthenticated,
} from "../../platform/index.ts";
import { consumeToken, peekToken, tokenProblem } from "../tokens.ts";
import { findUserById, IdentityError, inTransaction, setPassword } from "../users/users.ts";
import { checkCredentials, LOCK_MINUTES } from "./login.ts";
import { logoutRedirectFor } from "./logout-redirect.ts";
import { checkPasswordPolicy, hashPassword } from "./passwords.ts";
import { requestActor, toSessionUser } from "./session-user.ts";
import { createSession, destroySession } from "./sessions.ts";

/** Small JSON bodies only: the global limit is sized for file uploads. */
const AUTH_BODY_LIMIT = 16 * 1024;

const invalidCredentials = () =>
  unauthenticated("Adresse électronique ou mot de passe incorrect.", "invalid_credentials");

/** Session, local login, logout, and choosing a password from a one-time link. */
export function authRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/auth/session",
    {
      config: { access: "public" },
      schema: {
        tags: ["identité"],
        summary: "La session en cours : l'utilisateur connecté et son jeton CSRF, ou null",
        response: { 200: sessionState },
      },
    },
    async (req, reply) => {
      reply.header("cache-control", "no-store");
      if (!req.userSession || !req.principal) return { user: null, csrfToken: null };
      return {
        user: await toSessionUser(db, req.userSession.user, req.principal.roles),
        csrfToken: req.userSession.csrfToken,
      };
    },
  );

  r.post(
    "/api/v1/auth/login",
    {
      bodyLimit: AUTH_BODY_LIMIT,
      config: {
        access: "public",
        rateLimit: { max: config.loginRateLimit, timeWindow: 60_000 },
      },
      schema: {
        tags: ["identité"],
        summary: "Connexion par adresse électronique et mot de passe (comptes locaux)",
        description: `Ouvre une session (cookie vigie_session, HttpOnly) et renvoie le jeton CSRF. Après 5 échecs consécutifs, le compte est verrouillé ${LOCK_MINUTES} minutes (429). Au-delà de ${config.loginRateLimit} tentatives par minute depuis une même adresse IP : 429.`,
        body: loginBody,
        response: { 200: loginResponse, 401: apiErrorSchema, 429: apiErrorSchema },
      },
    },
    async (req, reply) => {
      const outcome = await checkCredentials(db, req.body.email, req.body.password);
      const actor = { ...requestActor(req, "login"), userId: outcome.userId, label: outcome.email };
      if (!outcome.ok) {
        if (outcome.reason === "locked") {
          await recordAudit(db, actor, {
            action: "auth.login_failed",
            entityType: "user",
            entityId: outcome.userId,
            summary: { reason: "verrouillé" },
          });
          const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
          reply.header("retry-after", String(outcome.retryAfterSeconds));
          throw new AppError(
            429,
            "account_locked",
            `Trop d'échecs de connexion : ce compte est verrouillé. Réessayez dans ${minutes} minute${minutes > 1 ? "s" : ""}.`,
          );
        }
        await recordAudit(db, actor, {
          action: "auth.login_failed",
          entityType: "user",
          entityId: outcome.userId,
          summary: { reason: outcome.userId ? "mot de passe incorrect" : "compte inconnu" },
        });
        if (outcome.locked) {
          await recordAudit(db, actor, {
            action: "auth.locked",
            entityType: "user",
            entityId: outcome.userId,
            summary: { minutes: LOCK_MINUTES },
          });
        }
        throw invalidCredentials();
      }
      const user = await findUserById(db, outcome.userId);
      if (!user) throw invalidCredentials();
      const { csrfToken } = await createSession(db, reply, user.id, { method: "password", req });
      await recordAudit(db, actor, {
        action: "auth.login",
        entityType: "user",
        entityId: user.id,
        summary: { method: "password" },
      });
      return { user: await toSessionUser(db, user), csrfToken };
    },
  );

  r.post(
    "/api/v1/auth/logout",
    {
      bodyLimit: AUTH_BODY_LIMIT,
      config: { access: "public" },
      schema: {
        tags: ["identité"],
        summary: "Déconnexion : termine la session et efface le cookie",
        description:
          "204 sans contenu ; 200 avec `redirectTo` quand la session venait de ProConnect (la déconnexion se termine chez le fournisseur).",
        response: { 200: logoutResponse, 204: z.null().describe("Session terminée") },
      },
    },
    async (req, reply) => {
      const ended = await destroySession(db, req, reply);
      if (ended) {
        await recordAudit(
          db,
          { ...requestActor(req, "login"), userId: ended.userId },
          {
            action: "auth.logout",
            entityType: "user",
            entityId: ended.userId,
            summary: { method: ended.authMethod },
          },
        );
        const redirectTo = await logoutRedirectFor(ended, req);
        if (redirectTo) return reply.code(200).send({ redirectTo });
      }
      return reply.code(204).send(null);
    },
  );

  r.post(
    "/api/v1/auth/password",
    {
      bodyLimit: AUTH_BODY_LIMIT,
      config: {
        access: "public",
        rateLimit: { max: config.loginRateLimit, timeWindow: 60_000 },
      },
      schema: {
        tags: ["identité"],
        summary:
          "Choisir son mot de passe avec le jeton d'un lien (invitation, réinitialisation, premier administrateur)",
        description:
          "Le lien ne sert qu'une fois. Le mot de passe doit respecter la règle de docs/identity.md ; le compte est activé et la session ouverte.",
        body: setPasswordBody,
        response: { 200: loginResponse, 400: z.union([passwordPolicyError, apiErrorSchema]) },
      },
    },
    async (req, reply) => {
      const purposes = ["invitation", "password_reset", "first_admin"] as const;
      const token = await peekToken(db, req.body.token, purposes);
      if (!token.ok) throw invalid(tokenProblem(token.reason), "invalid_token");
      const policy = checkPasswordPolicy(req.body.password, token.email);
      if (!policy.ok) {
        return reply
          .code(400)
          .send({ error: "weak_password" as const, message: policy.message, problems: policy.problems });
      }
      const passwordHash = await hashPassword(req.body.password);
      const actor = { ...requestActor(req), userId: token.userId, label: token.email };
      const used = await inTransaction(db, async (trx) => {
        const consumed = await consumeToken(trx, req.body.token, purposes);
        if (!consumed) return null;
        await setPassword(trx, consumed.userId, passwordHash, actor);
        return consumed;
      }).catch((err: unknown) => {
        // The account disabled or gone since the link was sent: for its holder, the link is void.
        throw err instanceof IdentityError ? invalid(err.message, "invalid_token") : err;
      });
      if (!used) throw invalid(tokenProblem("used"), "invalid_token");
      const user = await findUserById(db, token.userId);
      if (!user) throw invalid(tokenProblem("unknown"), "invalid_token");
      const { csrfToken } = await createSession(db, reply, user.id, { method: "password", req });
      await recordAudit(
        db,
        { ...actor, source: "login" },
        {
          action: "auth.login",
          entityType: "user",
          entityId: user.id,
          summary: { method: "password", via: token.purpose },
        },
      );
      return { user: await toSessionUser(db, user), csrfToken };
    },
  );
}
