import { type Kysely, type Migration, Migrator } from "kysely";
import * as territories from "./migrations/0001-territories.ts";
import * as importUpload from "./migrations/0002-import-upload.ts";
import * as identity from "./migrations/0003-identity.ts";
import * as proconnectLogin from "./migrations/0004-proconnect-login.ts";
import * as indicators from "./migrations/0005-indicators.ts";
import * as roadmaps from "./migrations/0006-roadmaps.ts";
import * as jobs from "./migrations/0007-jobs.ts";
import * as schoolSearch from "./migrations/0008-school-search.ts";

// Listed explicitly (not read from the file system) so that the order is reviewed in code and
// works the same from sources, tests and any bundle.
const migrations: Record<string, Migration> = {
  "0001-territories": territories,
  "0002-import-upload": importUpload,
  "0003-identity": identity,
  "0004-proconnect-login": proconnectLogin,
  "0005-indicators": indicators,
  "0006-roadmaps": roadmaps,
  "0007-jobs": jobs,
  "0008-school-search": schoolSearch,
};

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
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
