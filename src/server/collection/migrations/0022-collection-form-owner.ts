import { type Kysely, sql } from "kysely";

// The forms a DANE saves herself (issue 11, point 1) belong to a territory: the one whose
// `collection.manage` holders may save a new version. The versions a campaign made from a shipped
// template keep no territory (the template is the project's).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table collection_form add column territory text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table collection_form drop column territory`.execute(db);
}
