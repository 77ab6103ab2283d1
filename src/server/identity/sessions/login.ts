import { type Kysely, sql } from "kysely";
import type { Database } from "../../platform/index.ts";
import { normalizeEmail } from "../users/users.ts";
import { hashPassword, needsRehash, verifyNothing, verifyPassword } from "./passwords.ts";

/**
 * Password login with a lockout: after 5 wrong passwords in a row an account is locked for 15
 * minutes (a success resets the count). Unknown e-mails are counted the same way in memory, so
 * that neither the answer, nor its timing, nor the lockout tells whether an account exists.
 */

type Db = Kysely<Database>;

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export type LoginOutcome =
  | { ok: true; userId: string; email: string }
  | {
      ok: false;
      reason: "invalid";
      /** The account (when there is one): to audit the failure. */
      userId: string | null;
      email: string;
      /** This failure locked the account. */
      locked: boolean;
    }
  | { ok: false; reason: "locked"; userId: string | null; email: string; retryAfterSeconds: number };

/** Failures on e-mails without an account, per process; bounded so that it cannot grow without end. */
class PhantomAccounts {
  private readonly entries = new Map<string, { failures: number; lockedUntil: number }>();
  constructor(private readonly capacity = 10_000) {}

  lockedFor(email: string, now: number): number {
    const e = this.entries.get(email);
    return e && e.lockedUntil > now ? Math.ceil((e.lockedUntil - now) / 1000) : 0;
  }

  fail(email: string, now: number): boolean {
    const e = this.entries.get(email) ?? { failures: 0, lockedUntil: 0 };
    this.entries.delete(email);
    e.failures++;
    let locked = false;
    if (e.failures >= MAX_FAILED_LOGINS) {
      e.failures = 0;
      e.lockedUntil = now + LOCK_MINUTES * 60_000;
      locked = true;
    }
    this.entries.set(email, e);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return locked;
  }
}

const phantoms = new PhantomAccounts();

/** Checks an e-mail and a password; counts failures and locks as documented. */
export async function checkCredentials(db: Db, rawEmail: string, password: string): Promise<LoginOutcome> {
  const now = Date.now();
  const check = normalizeEmail(rawEmail);
  const email = check.ok ? check.email : rawEmail.trim().toLowerCase().slice(0, 254);
  const row = check.ok
    ? await db
        .selectFrom("app_user")
        .select(["id", "email", "password_hash", "status", "locked_until"])
        .where("email", "=", check.email)
        .executeTakeFirst()
    : undefined;

  if (!row) {
    const lockedFor = phantoms.lockedFor(email, now);
    if (lockedFor > 0)
      return { ok: false, reason: "locked", userId: null, email, retryAfterSeconds: lockedFor };
    await verifyNothing(password);
    return { ok: false, reason: "invalid", userId: null, email, locked: phantoms.fail(email, now) };
  }

  const userId = String(row.id);
  if (row.locked_until && row.locked_until.getTime() > now) {
    const retryAfterSeconds = Math.ceil((row.locked_until.getTime() - now) / 1000);
    return { ok: false, reason: "locked", userId, email, retryAfterSeconds };
  }

  // Invited and disabled accounts have no usable password: the same answer as a wrong one.
  const valid =
    row.password_hash && row.status === "active"
      ? await verifyPassword(row.password_hash, password)
      : await verifyNothing(password);

  if (!valid) {
    // One statement: concurrent failures all count.
    const updated = await db
      .updateTable("app_user")
      .set({
        failed_logins: sql<number>`case when failed_logins + 1 >= ${MAX_FAILED_LOGINS} then 0 else failed_logins + 1 end`,
        locked_until: sql<Date | null>`case when failed_logins + 1 >= ${MAX_FAILED_LOGINS}
          then now() + make_interval(mins => ${LOCK_MINUTES}) else locked_until end`,
      })
      .where("id", "=", userId)
      .returning(["locked_until"])
      .executeTakeFirst();
    const locked = Boolean(updated?.locked_until && updated.locked_until.getTime() > now);
    return { ok: false, reason: "invalid", userId, email, locked };
  }

  const rehash = row.password_hash && needsRehash(row.password_hash) ? await hashPassword(password) : null;
  await db
    .updateTable("app_user")
    .set({
      failed_logins: 0,
      locked_until: null,
      last_login_at: sql<Date>`now()`,
      ...(rehash ? { password_hash: rehash } : {}),
    })
    .where("id", "=", userId)
    .execute();
  return { ok: true, userId, email: row.email };
}
