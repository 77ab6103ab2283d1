import { timingSafeEqual } from "node:crypto";
import type { CookieSerializeOptions } from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Config, Database } from "../../platform/index.ts";
import type { Principal } from "../permissions.ts";
import { hashToken, newSecret } from "../tokens.ts";
import { listRoles, type UserRecord } from "../users/users.ts";

/**
 * Sessions stored in `user_session`. The browser holds a random token in the `vigie_session`
 * cookie (HttpOnly, SameSite=Lax, Path=/, Secure behind HTTPS); the database holds its SHA-256.
 * A session ends after `idleMinutes` without a request, and `maxHours` after the login in any
 * case. Each login creates a new session and deletes the one the browser came with (session
 * fixation).
 */

type Db = Kysely<Database> | Transaction<Database>;

export const SESSION_COOKIE = "vigie_session";
/** `last_seen_at` is written at most this often: a busy page does not write on every request. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface SessionSettings {
  idleMinutes: number;
  maxHours: number;
  /** Cookie `Secure`: when the public address is HTTPS. */
  secureCookie: boolean;
}

export function sessionSettings(
  config: Pick<Config, "sessionIdleMinutes" | "sessionMaxHours" | "publicUrl">,
) {
  return {
    idleMinutes: config.sessionIdleMinutes,
    maxHours: config.sessionMaxHours,
    secureCookie: config.publicUrl.startsWith("https:"),
  } satisfies SessionSettings;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Set by the identity plugin: how long sessions last and how their cookie is sent. */
    sessionSettings: SessionSettings;
  }
  interface FastifyRequest {
    /** The signed-in user and their roles, or null (set for every /api request). */
    principal: Principal | null;
    /** The session the request came with, when valid. */
    userSession: ActiveSession | null;
  }
}

/** A valid session, as the request handlers see it. */
export interface ActiveSession {
  idHash: string;
  userId: string;
  csrfToken: string;
  authMethod: "password" | "proconnect";
  idToken: string | null;
  createdAt: Date;
  expiresAt: Date;
  user: UserRecord;
}

function cookieOptions(settings: SessionSettings): CookieSerializeOptions {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: settings.secureCookie,
    maxAge: Math.round(settings.maxHours * 3600),
  };
}

/**
 * Opens a session for the user after a successful login (password or ProConnect): deletes the
 * session the browser came with, whoever it belonged to, stores a new one, sets the cookie.
 * Returns the CSRF token the web app sends back in `x-csrf-token`.
 */
export async function createSession(
  db: Db,
  reply: FastifyReply,
  userId: string,
  options: { method: "password" | "proconnect"; idToken?: string | null; req: FastifyRequest },
): Promise<{ csrfToken: string; expiresAt: Date }> {
  const settings = reply.server.sessionSettings;
  const previous = options.req.cookies[SESSION_COOKIE];
  if (previous) await db.deleteFrom("user_session").where("id_hash", "=", hashToken(previous)).execute();
  const token = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(Date.now() + settings.maxHours * 3600_000);
  await db
    .insertInto("user_session")
    .values({
      id_hash: hashToken(token),
      user_id: userId,
      csrf_token: csrfToken,
      auth_method: options.method,
      id_token: options.idToken ?? null,
      expires_at: expiresAt,
      ip: options.req.ip ?? null,
      user_agent: options.req.headers["user-agent"]?.slice(0, 500) ?? null,
    })
    .execute();
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(settings));
  return { csrfToken, expiresAt };
}

/** What a logout needs to know about the session it ended (ProConnect: the ID token for end_session). */
export interface EndedSession {
  userId: string;
  authMethod: "password" | "proconnect";
  idToken: string | null;
}

/** Ends the request's session (row deleted, cookie cleared); returns it, or null when there was none. */
export async function destroySession(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<EndedSession | null> {
  const token = req.cookies[SESSION_COOKIE];
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
  if (!token) return null;
  const row = await db
    .deleteFrom("user_session")
    .where("id_hash", "=", hashToken(token))
    .returning(["user_id", "auth_method", "id_token"])
    .executeTakeFirst();
  return row ? { userId: String(row.user_id), authMethod: row.auth_method, idToken: row.id_token } : null;
}

/**
 * The session named by a cookie token, if still valid: the account active, not idle for longer
 * than allowed, not past its absolute expiry. Expired sessions are deleted on sight.
 */
export async function loadSession(
  db: Db,
  token: string,
  settings: SessionSettings,
  now: Date = new Date(),
): Promise<{ session: ActiveSession; principal: Principal } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const idHash = hashToken(token);
  const row = await db
    .selectFrom("user_session as s")
    .innerJoin("app_user as u", "u.id", "s.user_id")
    .select([
      "s.user_id",
      "s.csrf_token",
      "s.auth_method",
      "s.id_token",
      "s.created_at",
      "s.last_seen_at",
      "s.expires_at",
      "u.email",
      "u.given_name",
      "u.family_name",
      "u.status",
      "u.created_at as user_created_at",
      "u.last_login_at",
    ])
    .where("s.id_hash", "=", idHash)
    .executeTakeFirst();
  if (!row) return null;
  const idleLimit = row.last_seen_at.getTime() + settings.idleMinutes * 60_000;
  if (row.expires_at.getTime() <= now.getTime() || idleLimit <= now.getTime() || row.status !== "active") {
    await db.deleteFrom("user_session").where("id_hash", "=", idHash).execute();
    return null;
  }
  if (now.getTime() - row.last_seen_at.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await db
      .updateTable("user_session")
      .set({ last_seen_at: sql<Date>`now()` })
      .where("id_hash", "=", idHash)
      .execute();
  }
  const userId = String(row.user_id);
  const user: UserRecord = {
    id: userId,
    email: row.email,
    givenName: row.given_name,
    familyName: row.family_name,
    status: row.status,
    createdAt: row.user_created_at,
    lastLoginAt: row.last_login_at,
  };
  const roles = await listRoles(db, userId);
  return {
    session: {
      idHash,
      userId,
      csrfToken: row.csrf_token,
      authMethod: row.auth_method,
      idToken: row.id_token,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      user,
    },
    principal: { userId, email: row.email, roles },
  };
}

/** Ends every session of a user (password changed, account disabled). */
export async function destroyUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom("user_session").where("user_id", "=", userId).execute();
}

/** Deletes sessions past their absolute expiry (called now and then; expiry is checked on every request anyway). */
export async function purgeExpiredSessions(db: Db): Promise<number> {
  const rows = await db
    .deleteFrom("user_session")
    .where("expires_at", "<=", sql<Date>`now()`)
    .returning("id_hash")
    .execute();
  return rows.length;
}

/** Constant-time comparison of the CSRF token sent with the session's. */
export function csrfTokenMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
