import type { Kysely, Transaction } from "kysely";
import { type Actor, AppError, type Database, recordAudit } from "../../platform/index.ts";
import {
  formatScope,
  isRole,
  type RoleGrant,
  type Scope,
  scopeFromStored,
  scopeNode,
} from "../permissions.ts";
import { territoryPath } from "./scope-store.ts";

/**
 * Accounts and their roles. Every write is recorded in the audit log in the same transaction,
 * with the actor (and so the source: CLI, API, login…) given by the caller.
 */

type Db = Kysely<Database> | Transaction<Database>;

const IDENTITY_ERROR_STATUS = {
  invalid_email: 400,
  user_exists: 409,
  unknown_user: 404,
  unknown_territory: 400,
  invalid_role: 400,
  weak_password: 400,
} as const;

/** A refusal the caller shows as is (French message, stable code). */
export class IdentityError extends AppError {
  declare readonly code: keyof typeof IDENTITY_ERROR_STATUS;

  constructor(code: keyof typeof IDENTITY_ERROR_STATUS, message: string) {
    super(IDENTITY_ERROR_STATUS[code], code, message);
    this.name = "IdentityError";
  }
}

export type UserStatus = "invited" | "active" | "disabled";

export interface UserRecord {
  id: string;
  email: string;
  givenName: string | null;
  familyName: string | null;
  status: UserStatus;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export interface UserWithRoles extends UserRecord {
  roles: RoleGrant[];
}

/** Runs `fn` in the caller's transaction, or in a new one. */
export async function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(fn);
}

// One @, no spaces, a dot in the domain (or the reserved .localhost of the first administrator).
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export type EmailCheck = { ok: true; email: string } | { ok: false; error: string };

/** E-mails are stored trimmed and lower-cased: one account per address, whatever the case typed. */
export function normalizeEmail(raw: string): EmailCheck {
  const email = raw.trim().toLowerCase();
  if (email === "") return { ok: false, error: "Adresse électronique manquante" };
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) {
    return { ok: false, error: `Adresse électronique invalide : « ${raw.trim()} »` };
  }
  return { ok: true, email };
}

function toRecord(row: {
  id: string;
  email: string;
  given_name: string | null;
  family_name: string | null;
  status: UserStatus;
  created_at: Date;
  last_login_at: Date | null;
}): UserRecord {
  return {
    id: String(row.id),
    email: row.email,
    givenName: row.given_name,
    familyName: row.family_name,
    status: row.status,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}

const USER_COLUMNS = [
  "id",
  "email",
  "given_name",
  "family_name",
  "status",
  "created_at",
  "last_login_at",
] as const;

export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | undefined> {
  const check = normalizeEmail(email);
  if (!check.ok) return undefined;
  const row = await db
    .selectFrom("app_user")
    .select(USER_COLUMNS)
    .where("email", "=", check.email)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findUserById(db: Db, id: string): Promise<UserRecord | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db.selectFrom("app_user").select(USER_COLUMNS).where("id", "=", id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom("app_user")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewUser {
  email: string;
  givenName?: string | null;
  familyName?: string | null;
  /** "invited" until the person chooses a password (or signs in with ProConnect). */
  status: "invited" | "active";
  passwordHash?: string | null;
}

export async function createUser(db: Db, input: NewUser, actor: Actor): Promise<UserRecord> {
  const check = normalizeEmail(input.email);
  if (!check.ok) throw new IdentityError("invalid_email", check.error);
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto("app_user")
      .values({
        email: check.email,
        given_name: input.givenName ?? null,
        family_name: input.familyName ?? null,
        status: input.status,
        password_hash: input.passwordHash ?? null,
      })
      .onConflict((oc) => oc.column("email").doNothing())
      .returning(USER_COLUMNS)
      .executeTakeFirst();
    if (!row) throw new IdentityError("user_exists", `Un compte existe déjà pour ${check.email}`);
    const user = toRecord(row);
    await recordAudit(trx, actor, {
      action: "user.create",
      entityType: "user",
      entityId: user.id,
      summary: { email: user.email, status: user.status, password: input.passwordHash ? "défini" : "aucun" },
    });
    return user;
  });
}

/** The roles of a user; rows that no longer fit their role (edited by hand) are ignored. */
export async function listRoles(db: Db, userId: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom("role_assignment")
    .select(["role", "territory_level", "territory_code"])
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
  return rows.flatMap(rowToGrant);
}

function rowToGrant(row: { role: string; territory_level: string; territory_code: string }): RoleGrant[] {
  if (!isRole(row.role)) return [];
  const scope = scopeFromStored(row.role, row.territory_level, row.territory_code);
  return scope ? [{ role: row.role, scope }] : [];
}

export async function listUsers(db: Db): Promise<UserWithRoles[]> {
  const [users, roles] = await Promise.all([
    db.selectFrom("app_user").select(USER_COLUMNS).orderBy("email").execute(),
    db
      .selectFrom("role_assignment")
      .select(["user_id", "role", "territory_level", "territory_code"])
      .orderBy("id")
      .execute(),
  ]);
  const byUser = new Map<string, RoleGrant[]>();
  for (const r of roles) {
    const list = byUser.get(String(r.user_id)) ?? [];
    list.push(...rowToGrant(r));
    byUser.set(String(r.user_id), list);
  }
  return users.map((u) => ({ ...toRecord(u), roles: byUser.get(String(u.id)) ?? [] }));
}

/** The audit territory of a scope: its node, and its académie when it has one (the audit log's filter). */
async function auditTerritory(db: Db, scope: Scope) {
  const node = scopeNode(scope);
  const path = await territoryPath(db, node);
  return { level: scope.level, code: scope.code, academyCode: path?.academy ?? null };
}

/**
 * Gives a user a role on a scope; false when they already hold it. The caller has checked that
 * the actor may grant it (`can(…, "users.manage", …)`) and that the scope exists.
 */
export async function grantRole(db: Db, userId: string, grant: RoleGrant, actor: Actor): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto("role_assignment")
      .values({
        user_id: userId,
        role: grant.role,
        territory_level: grant.scope.level,
        territory_code: grant.scope.code,
        created_by: actor.userId,
      })
      .onConflict((oc) => oc.columns(["user_id", "role", "territory_level", "territory_code"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) return false;
    await recordAudit(trx, actor, {
      action: "role.grant",
      entityType: "user",
      entityId: userId,
      territory: await auditTerritory(trx, grant.scope),
      summary: { role: grant.role, territory: formatScope(grant.scope) },
    });
    return true;
  });
}

/** Withdraws a role; false when the user did not hold it. */
export async function revokeRole(db: Db, userId: string, grant: RoleGrant, actor: Actor): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .deleteFrom("role_assignment")
      .where("user_id", "=", userId)
      .where("role", "=", grant.role)
      .where("territory_level", "=", grant.scope.level)
      .where("territory_code", "=", grant.scope.code)
      .returning("id")
      .executeTakeFirst();
    if (!row) return false;
    await recordAudit(trx, actor, {
      action: "role.revoke",
      entityType: "user",
      entityId: userId,
      territory: await auditTerritory(trx, grant.scope),
      summary: { role: grant.role, territory: formatScope(grant.scope) },
    });
    return true;
  });
}

/** Disables an account and ends its sessions; its one-time links stop working too. */
export async function disableUser(db: Db, userId: string, actor: Actor): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable("app_user")
      .set({ status: "disabled" })
      .where("id", "=", userId)
      .where("status", "!=", "disabled")
      .returning("email")
      .executeTakeFirst();
    if (!row) return false;
    await trx.deleteFrom("user_session").where("user_id", "=", userId).execute();
    await trx.deleteFrom("auth_token").where("user_id", "=", userId).where("used_at", "is", null).execute();
    await recordAudit(trx, actor, {
      action: "user.disable",
      entityType: "user",
      entityId: userId,
      summary: { email: row.email },
    });
    return true;
  });
}

/**
 * Stores a new password hash, activates the account (an invited one) and clears the lockout.
 * Other sessions of the user end: whoever knew the old password is signed out.
 */
export async function setPassword(db: Db, userId: string, passwordHash: string, actor: Actor): Promise<void> {
  await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("app_user")
      .select(["status"])
      .where("id", "=", userId)
      .executeTakeFirst();
    if (!before) throw new IdentityError("unknown_user", "Compte introuvable");
    if (before.status === "disabled") throw new IdentityError("unknown_user", "Ce compte est désactivé");
    await trx
      .updateTable("app_user")
      .set({ password_hash: passwordHash, status: "active", failed_logins: 0, locked_until: null })
      .where("id", "=", userId)
      .execute();
    await trx.deleteFrom("user_session").where("user_id", "=", userId).execute();
    await recordAudit(trx, actor, {
      action: "user.password_set",
      entityType: "user",
      entityId: userId,
      summary: { status: { avant: before.status, après: "active" } },
    });
  });
}
