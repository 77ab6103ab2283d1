import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

interface Definition {
  name: string;
  definition: string;
}

/**
 * Loads many rows into a table that holds few, as PostgreSQL's own advice for a bulk load goes:
 * the table's secondary indexes and foreign keys are set aside for the load and put back after it,
 * in the same transaction. An index built once over every row costs a fraction of one kept up to
 * date row by row (the trigram indexes most of all), and a foreign key added back is checked by
 * one join instead of one lookup per row; a row that breaks it fails the whole load, as it would
 * have failed its insert. Unique indexes and the primary key stay: `on conflict` needs them.
 * The definitions come from the catalogue, so a migration that adds an index needs nothing here.
 * Dropping takes the table's exclusive lock until the transaction ends: for a table that is still
 * (nearly) empty, such as the schools before the first Annuaire import, not for routine writes.
 */
export async function withSecondaryIndexesDeferred<T>(
  trx: Kysely<Database>,
  table: string,
  load: () => Promise<T>,
): Promise<T> {
  const indexes = await secondaryIndexes(trx, table);
  const foreignKeys = await foreignKeysOf(trx, table);
  for (const fk of foreignKeys) {
    await sql`alter table ${sql.id(table)} drop constraint ${sql.id(fk.name)}`.execute(trx);
  }
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(trx);
  const result = await load();
  for (const index of indexes) await sql.raw(index.definition).execute(trx);
  for (const fk of foreignKeys) {
    await sql`alter table ${sql.id(table)} add constraint ${sql.id(fk.name)} ${sql.raw(fk.definition)}`.execute(
      trx,
    );
  }
  return result;
}

async function secondaryIndexes(trx: Kysely<Database>, table: string): Promise<Definition[]> {
  const { rows } = await sql<Definition>`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = cast(${table} as regclass) and not i.indisunique and not i.indisprimary
    order by c.relname
  `.execute(trx);
  return rows;
}

async function foreignKeysOf(trx: Kysely<Database>, table: string): Promise<Definition[]> {
  const { rows } = await sql<Definition>`
    select conname as name, pg_get_constraintdef(oid) as definition
    from pg_constraint
    where conrelid = cast(${table} as regclass) and contype = 'f'
    order by conname
  `.execute(trx);
  return rows;
}
