import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

/**
 * The instance's settings (`app_setting`: one JSON value per key, who changed it and when), owned
 * by platform so that every module reads and writes its own key through these two functions, never
 * the table. Keys in use: `retention` (identity), `confidentiality` (indicators).
 */

export interface StoredSetting {
  value: unknown;
  updatedAt: Date;
  /** Id of the user who last changed it (`app_user.id`), null for the CLI or the system. */
  updatedBy: string | null;
}

/** The stored setting, undefined when it was never set (the caller applies its defaults). */
export async function getSetting(db: Kysely<Database>, key: string): Promise<StoredSetting | undefined> {
  const row = await db
    .selectFrom("app_setting")
    .select(["value", "updated_at", "updated_by"])
    .where("key", "=", key)
    .executeTakeFirst();
  if (!row) return undefined;
  // jsonb comes back parsed from both engines; text is parsed in case a driver returns it raw.
  const value = typeof row.value === "string" ? JSON.parse(row.value) : row.value;
  return { value, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

/** Stores a setting (inside the caller's transaction when given one). */
export async function putSetting(
  db: Kysely<Database>,
  key: string,
  value: unknown,
  updatedBy: string | null,
): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto("app_setting")
    .values({ key, value: json, updated_by: updatedBy })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({ value: json, updated_by: updatedBy, updated_at: sql<Date>`now()` }),
    )
    .execute();
}
