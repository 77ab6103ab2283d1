import { type Kysely, sql } from "kysely";

// Data elements a DANE defines for her own collection forms (issue 11, point 1): stored beside
// the catalogue's in `data_element`, marked `local`, with who defined them and when. The
// catalogue's rows are re-synced from indicators.yaml at each start; the local ones are read
// back from this table (catalogue.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table data_element
      add column origin text not null default 'catalogue' check (origin in ('catalogue', 'local')),
      add column defined_by text,
      add column defined_at timestamptz
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table data_element drop column origin, drop column defined_by, drop column defined_at`.execute(
    db,
  );
}
