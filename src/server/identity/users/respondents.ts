import type { Kysely } from "kysely";
import type { Database } from "../../platform/index.ts";

/** A person to write to about one school: an active account holding one of the roles on that school. */
export interface SchoolContact {
  uai: string;
  email: string;
}

/**
 * The active accounts holding one of `roles` with the school itself as scope, for each of `uais`
 * (the collection module mails them its reminders). A role held on a wider territory (a district,
 * a département) is not the school's: those people follow schools, they do not answer for them.
 * Sorted by UAI then address; one line per person and school even with two matching roles.
 */
export async function respondentEmails(
  db: Kysely<Database>,
  roles: readonly string[],
  uais: readonly string[],
): Promise<SchoolContact[]> {
  if (roles.length === 0 || uais.length === 0) return [];
  const rows = await db
    .selectFrom("role_assignment")
    .innerJoin("app_user", "app_user.id", "role_assignment.user_id")
    .select(["role_assignment.territory_code as uai", "app_user.email"])
    .distinct()
    .where("role_assignment.role", "in", [...roles])
    .where("role_assignment.territory_level", "=", "school")
    .where("role_assignment.territory_code", "in", [...uais])
    .where("app_user.status", "=", "active")
    .orderBy("role_assignment.territory_code")
    .orderBy("app_user.email")
    .execute();
  return rows;
}
