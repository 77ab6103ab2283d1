import type { Kysely } from "kysely";
import { type Database, SYSTEM_ACTOR } from "../../platform/index.ts";
import { NATION } from "../permissions.ts";
import { issueToken, TOKEN_LIFETIME_MS } from "../tokens.ts";
import { ACTIVATION_PATH, tokenLink } from "./invitation-mails.ts";
import { createUser, grantRole, IdentityError, inTransaction } from "./users.ts";

/**
 * First start of an empty instance: with no account at all, Vigie creates the national
 * administrator (`VIGIE_ADMIN_EMAIL`) and prints a one-time link (24 h) to choose its password.
 * As long as no account is active and that administrator has not chosen a password, each start
 * prints a new link (the previous one stops working), so a lost link is not a dead end.
 */
export async function ensureFirstAdmin(
  db: Kysely<Database>,
  options: { adminEmail: string; publicUrl: string },
): Promise<{ email: string; link: string; expiresAt: Date } | null> {
  return inTransaction(db, async (trx) => {
    const active = await trx
      .selectFrom("app_user")
      .select("id")
      .where("status", "=", "active")
      .limit(1)
      .executeTakeFirst();
    if (active) return null;
    const any = await trx
      .selectFrom("app_user")
      .select(["id", "email", "status"])
      .limit(1)
      .executeTakeFirst();
    let userId: string;
    if (!any) {
      try {
        const user = await createUser(trx, { email: options.adminEmail, status: "invited" }, SYSTEM_ACTOR);
        await grantRole(trx, user.id, { role: "national-admin", scope: NATION }, SYSTEM_ACTOR);
        userId = user.id;
      } catch (err) {
        // Another instance starting at the same time created it first.
        if (err instanceof IdentityError && err.code === "user_exists") return null;
        throw err;
      }
    } else {
      const admin = await trx
        .selectFrom("app_user as u")
        .innerJoin("role_assignment as r", "r.user_id", "u.id")
        .select("u.id")
        .where("u.email", "=", options.adminEmail)
        .where("u.status", "=", "invited")
        .where("r.role", "=", "national-admin")
        .executeTakeFirst();
      if (!admin) return null;
      userId = String(admin.id);
    }
    const { token, expiresAt } = await issueToken(trx, userId, "first_admin", TOKEN_LIFETIME_MS.first_admin);
    return {
      email: options.adminEmail,
      link: tokenLink(options.publicUrl, ACTIVATION_PATH, token),
      expiresAt,
    };
  });
}

/** The message printed on the terminal (stderr, never the log: the link opens the account). */
export function firstAdminMessage(result: { email: string; link: string; expiresAt: Date }): string {
  return [
    "",
    "Première mise en service : le compte administrateur national a été préparé.",
    `  Adresse : ${result.email}`,
    `  Choisissez son mot de passe avec ce lien, valable 24 heures et une seule fois :`,
    `  ${result.link}`,
    "",
  ].join("\n");
}
