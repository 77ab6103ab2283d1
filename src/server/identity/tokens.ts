import { createHash, randomBytes } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../platform/index.ts";
import type { AuthTokenTable } from "./schema.ts";

/**
 * One-time tokens sent in links (invitation, password reset, first administrator): 32 random
 * bytes in base64url. Only their SHA-256 is stored, so a copy of the database opens no account;
 * a token works once, before its expiry.
 */

type Db = Kysely<Database> | Transaction<Database>;
export type TokenPurpose = AuthTokenTable["purpose"];

const HOUR = 60 * 60 * 1000;
/** How long each kind of link stays valid. */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  invitation: 7 * 24 * HOUR,
  password_reset: 1 * HOUR,
  first_admin: 24 * HOUR,
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Tokens are 43 base64url characters: anything else is not looked up. */
function wellFormed(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * Creates a token for the user and returns it (the only time it exists in clear). Earlier unused
 * tokens of the same purpose stop working: only the latest link sent is valid.
 */
export async function issueToken(
  db: Db,
  userId: string,
  purpose: TokenPurpose,
  lifetimeMs: number = TOKEN_LIFETIME_MS[purpose],
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + lifetimeMs);
  await db
    .deleteFrom("auth_token")
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .execute();
  await db
    .insertInto("auth_token")
    .values({ token_hash: hashToken(token), user_id: userId, purpose, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

export type TokenLookup =
  | { ok: true; userId: string; purpose: TokenPurpose; email: string; expiresAt: Date }
  | { ok: false; reason: "unknown" | "used" | "expired" };

/** Reads a token without using it (to check a password against the account's e-mail first). */
export async function peekToken(
  db: Db,
  token: string,
  purposes: readonly TokenPurpose[],
): Promise<TokenLookup> {
  if (!wellFormed(token)) return { ok: false, reason: "unknown" };
  const row = await db
    .selectFrom("auth_token as t")
    .innerJoin("app_user as u", "u.id", "t.user_id")
    .select(["t.user_id", "t.purpose", "t.expires_at", "t.used_at", "u.email", "u.status"])
    .where("t.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || !purposes.includes(row.purpose) || row.status === "disabled")
    return { ok: false, reason: "unknown" };
  if (row.used_at) return { ok: false, reason: "used" };
  if (row.expires_at.getTime() <= Date.now()) return { ok: false, reason: "expired" };
  return {
    ok: true,
    userId: String(row.user_id),
    purpose: row.purpose,
    email: row.email,
    expiresAt: row.expires_at,
  };
}

/**
 * Uses a token: one statement marks it used only if it is unused and unexpired, so two
 * concurrent requests cannot both succeed. Run it in the transaction that does what the token
 * allows, so a failure there leaves the token unused.
 */
export async function consumeToken(
  db: Db,
  token: string,
  purposes: readonly TokenPurpose[],
): Promise<{ userId: string; purpose: TokenPurpose } | null> {
  if (!wellFormed(token)) return null;
  const row = await db
    .updateTable("auth_token")
    .set({ used_at: sql<Date>`now()` })
    .where("token_hash", "=", hashToken(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .where("purpose", "in", [...purposes])
    .returning(["user_id", "purpose"])
    .executeTakeFirst();
  return row ? { userId: String(row.user_id), purpose: row.purpose } : null;
}

/** The French sentence for a link that cannot be used. */
export function tokenProblem(reason: "unknown" | "used" | "expired"): string {
  switch (reason) {
    case "used":
      return "Ce lien a déjà servi : il ne fonctionne qu'une fois. Demandez un nouveau lien si besoin.";
    case "expired":
      return "Ce lien a expiré. Demandez un nouveau lien.";
    case "unknown":
      return "Ce lien n'est pas valide. Vérifiez qu'il est complet, ou demandez un nouveau lien.";
  }
}
