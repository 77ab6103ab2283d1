import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { type Kysely, sql } from "kysely";
import { z } from "zod";
import { authProviders, type ProConnectErrorCode } from "../../../contracts/invitations.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { type Config, type Database, notFound, recordAudit } from "../../platform/index.ts";
import { requestActor } from "../sessions/session-user.ts";
import { createSession } from "../sessions/sessions.ts";
import { findUserByEmail, inTransaction } from "../users/users.ts";
import {
  createProConnectClient,
  PROCONNECT_CALLBACK_PATH,
  PROCONNECT_LOGIN_PATH,
  type ProConnectClient,
  ProConnectError,
  type ProConnectIdentity,
} from "./proconnect.ts";
import { consumeLoginAttempt, LOGIN_ATTEMPT_TTL_MS, saveLoginAttempt } from "./proconnect-attempts.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The ProConnect relying party, or null when ProConnect is not configured. */
    proconnect: ProConnectClient | null;
  }
}

/**
 * Binds a login to the browser that started it: holds the `state`, which the callback must bring
 * back identical (a callback replayed from another browser, or forged, has no such cookie).
 */
export const STATE_COOKIE = "vigie_proconnect";
const STATE_COOKIE_PATH = "/api/v1/auth/proconnect";

/** ProConnect logins a client address may start per minute (beyond: 429). */
export const LOGIN_STARTS_PER_MINUTE = 60;

/** Web page where the login form shows the error of a ProConnect login (docs/proconnect.md). */
export function loginErrorPage(code: ProConnectErrorCode): string {
  return `/connexion?erreur=${code}`;
}

const disabled = () =>
  notFound(
    "La connexion par ProConnect n'est pas configurée sur cette instance de Vigie : connectez-vous avec votre adresse électronique et votre mot de passe.",
    "proconnect_disabled",
  );

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * `GET /api/v1/auth/providers`, `GET /api/v1/auth/proconnect/login`,
 * `GET /api/v1/auth/proconnect/callback`; decorates the app with `proconnect` (used at logout).
 */
export function proconnectRoutes(
  app: FastifyInstance,
  db: Kysely<Database>,
  config: Pick<Config, "proconnect" | "publicUrl">,
): void {
  const client = config.proconnect ? createProConnectClient(config.proconnect, config.publicUrl) : null;
  app.decorate("proconnect", client);
  const secureCookie = config.publicUrl.startsWith("https:");
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/auth/providers",
    {
      config: { access: "public" },
      schema: {
        tags: ["identité"],
        summary:
          "Les moyens de connexion proposés (la page de connexion affiche le bouton ProConnect s'il est configuré)",
        response: { 200: authProviders },
      },
    },
    async () => ({ proconnect: client !== null }),
  );

  r.get(
    PROCONNECT_LOGIN_PATH,
    {
      // Each start stores a login attempt: bounded per client address. Generous, because a whole
      // administration may sit behind one address.
      config: { access: "public", rateLimit: { max: LOGIN_STARTS_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: ["identité"],
        summary: "Connexion ProConnect : redirige vers le fournisseur d'identité",
        description: `302 vers l'authorization_endpoint de ProConnect (state et nonce aléatoires gardés côté serveur, usage unique, 10 minutes). 404 quand ProConnect n'est pas configuré ; 429 au-delà de ${LOGIN_STARTS_PER_MINUTE} connexions commencées par minute depuis une même adresse IP.`,
        response: { 302: z.null(), 404: apiErrorSchema, 429: apiErrorSchema },
      },
    },
    async (req, reply) => {
      if (!client) throw disabled();
      reply.header("cache-control", "no-store");
      let login: Awaited<ReturnType<ProConnectClient["startLogin"]>>;
      try {
        login = await client.startLogin();
      } catch (err) {
        return failure(req, reply, err);
      }
      await saveLoginAttempt(db, login.attempt);
      reply.setCookie(STATE_COOKIE, login.attempt.state, {
        path: STATE_COOKIE_PATH,
        httpOnly: true,
        // Lax: the cookie must come back on the provider's top-level redirect to the callback.
        sameSite: "lax",
        secure: secureCookie,
        maxAge: Math.round(LOGIN_ATTEMPT_TTL_MS / 1000),
      });
      return reply.redirect(login.url, 302);
    },
  );

  r.get(
    PROCONNECT_CALLBACK_PATH,
    {
      config: { access: "public" },
      schema: {
        tags: ["identité"],
        summary: "Retour de ProConnect : ouvre la session du compte Vigie de même adresse électronique",
        description:
          "302 vers / quand un compte Vigie actif (ou invité, alors activé) a l'adresse électronique transmise par ProConnect ; sinon 302 vers /connexion?erreur=… (compte-inconnu, session-expiree, proconnect-annule, proconnect-echec, proconnect-indisponible). 404 quand ProConnect n'est pas configuré.",
        querystring: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
        response: { 302: z.null(), 404: apiErrorSchema },
      },
    },
    async (req, reply) => {
      if (!client) throw disabled();
      reply.header("cache-control", "no-store");
      const cookieState = req.cookies[STATE_COOKIE];
      reply.clearCookie(STATE_COOKIE, {
        path: STATE_COOKIE_PATH,
        httpOnly: true,
        sameSite: "lax",
        secure: secureCookie,
      });
      const state = typeof req.query.state === "string" ? req.query.state : undefined;
      if (!state || !cookieState || !sameSecret(state, cookieState)) {
        req.log.warn(
          "ProConnect : retour sans state, ou state différent de celui du cookie de ce navigateur",
        );
        return reply.redirect(loginErrorPage("session-expiree"), 302);
      }
      const attempt = await consumeLoginAttempt(db, state);
      if (!attempt) {
        req.log.warn("ProConnect : state inconnu, déjà utilisé ou expiré");
        return reply.redirect(loginErrorPage("session-expiree"), 302);
      }
      const query = req.url.indexOf("?");
      const callbackUrl = new URL(`${client.redirectUri}${query >= 0 ? req.url.slice(query) : ""}`);
      let identity: ProConnectIdentity;
      try {
        identity = await client.completeLogin(callbackUrl, attempt);
      } catch (err) {
        return failure(req, reply, err);
      }
      return signIn(req, reply, identity);
    },
  );

  async function signIn(req: FastifyRequest, reply: FastifyReply, identity: ProConnectIdentity) {
    const actor = { ...requestActor(req, "login"), label: identity.email };
    const user = await findUserByEmail(db, identity.email);
    if (!user || user.status === "disabled") {
      await recordAudit(
        db,
        { ...actor, userId: user?.id ?? null },
        {
          action: "auth.login_failed",
          entityType: "user",
          entityId: user?.id ?? null,
          summary: { method: "proconnect", reason: user ? "compte désactivé" : "compte inconnu" },
        },
      );
      return reply.redirect(loginErrorPage("compte-inconnu"), 302);
    }
    await inTransaction(db, async (trx) => {
      // The pairwise subject, the identity provider and the SIRET are kept for information only:
      // the account is the one of the e-mail address. Names fill in what the account lacks.
      await trx
        .updateTable("app_user")
        .set({
          oidc_subject: identity.sub,
          oidc_idp_id: identity.idpId,
          siret: identity.siret,
          given_name: sql<string | null>`coalesce(given_name, ${identity.givenName})`,
          family_name: sql<string | null>`coalesce(family_name, ${identity.usualName})`,
          last_login_at: sql<Date>`now()`,
          ...(user.status === "invited" ? { status: "active" as const } : {}),
        })
        .where("id", "=", user.id)
        .execute();
      if (user.status === "invited") {
        // ProConnect has just proven control of the invited address: the pending link is moot.
        await trx
          .deleteFrom("auth_token")
          .where("user_id", "=", user.id)
          .where("purpose", "=", "invitation")
          .where("used_at", "is", null)
          .execute();
        await recordAudit(
          trx,
          { ...actor, userId: user.id },
          {
            action: "user.activate",
            entityType: "user",
            entityId: user.id,
            summary: { status: { avant: "invited", après: "active" }, via: "proconnect" },
          },
        );
      }
    });
    await createSession(db, reply, user.id, { method: "proconnect", idToken: identity.idToken, req });
    await recordAudit(
      db,
      { ...actor, userId: user.id },
      {
        action: "auth.login",
        entityType: "user",
        entityId: user.id,
        summary: { method: "proconnect", idp_id: identity.idpId, siret: identity.siret },
      },
    );
    return reply.redirect("/", 302);
  }
}

/** Logs why a ProConnect login failed (messages only: the library's errors may quote responses) and sends the person back. */
function failure(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  if (!(err instanceof ProConnectError)) throw err;
  const cause = err.cause instanceof Error ? `${err.cause.name} : ${err.cause.message}` : undefined;
  req.log.warn({ code: err.code, cause }, `ProConnect : ${err.message}`);
  return reply.redirect(loginErrorPage(err.code), 302);
}

/**
 * The ProConnect part of `logoutRedirectFor`: for a session opened through ProConnect, the
 * provider's end-session URL (with `id_token_hint`, `state`, `post_logout_redirect_uri`), so that
 * the ProConnect session ends too. Null when ProConnect is off or unreachable: the Vigie session
 * is over anyway.
 */
export async function proconnectLogoutRedirect(
  session: { authMethod: string; idToken: string | null },
  req: FastifyRequest,
): Promise<string | null> {
  const client = req.server.proconnect;
  if (session.authMethod !== "proconnect" || !session.idToken || !client) return null;
  try {
    return await client.logoutUrl(session.idToken);
  } catch (err) {
    req.log.warn(
      { err: err instanceof Error ? err.message : String(err) },
      "ProConnect : déconnexion chez le fournisseur impossible",
    );
    return null;
  }
}
