import { type Kysely, type Migration, Migrator } from "kysely";

/**
 * One module's migrations by name. The name is what `vigie_migration` stores, so it never
 * changes once released; it starts with a number unique across all modules ("0007-jobs"), and
 * the migrator applies every module's migrations in the order of those names.
 */
export type Migrations = Readonly<Record<string, Migration>>;

/**
 * Merges the lists of the modules into the one list the migrator applies, refusing two
 * migrations with the same number (two modules that both took the next one).
 */
export function collectMigrations(lists: Readonly<Record<string, Migrations>>): Migrations {
  const all: Record<string, Migration> = {};
  const owners = new Map<string, string>();
  for (const [module, list] of Object.entries(lists)) {
    for (const [name, migration] of Object.entries(list)) {
      const number = name.split("-")[0] ?? name;
      const taken = owners.get(number);
      if (taken)
        throw new Error(`Migration ${name} (${module}) : le numéro ${number} est déjà pris par ${taken}`);
      owners.set(number, `${name} (${module})`);
      all[name] = migration;
    }
  }
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function migrateToLatest(db: Kysely<unknown>, migrations: Migrations): Promise<void> {
  // An empty list would open a base without its tables and fail later, far from the cause.
  if (Object.keys(migrations).length === 0) throw new Error("Aucune migration fournie pour ouvrir la base");
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableName: "vigie_migration",
    migrationLockTableName: "vigie_migration_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : "";
    throw new Error(`Échec de la migration de la base${name} : ${String(error)}`, { cause: error });
  }
}
