import * as collection from "./collection/index.ts";
import * as competences from "./competences/index.ts";
import * as identity from "./identity/index.ts";
import * as imports from "./imports/index.ts";
import * as indicators from "./indicators/index.ts";
import type { ServerModule } from "./modules.ts";
import * as platform from "./platform/index.ts";
import * as roadmaps from "./roadmaps/index.ts";
import * as territories from "./territories/index.ts";

/**
 * Each module's migrations (its door's `migrations`), one line per module of `modules.ts`: the
 * type requires every module, so a new one cannot be forgotten here.
 */
export const MODULE_MIGRATIONS: Readonly<Record<ServerModule, platform.Migrations>> = {
  platform: platform.migrations,
  territories: territories.migrations,
  identity: identity.migrations,
  indicators: indicators.migrations,
  roadmaps: roadmaps.migrations,
  imports: imports.migrations,
  competences: competences.migrations,
  collection: collection.migrations,
};

/**
 * Every migration in the order of their numbers, the list `openDatabase` requires. A migration's
 * name is what `vigie_migration` stores: it never changes once released, so an existing base
 * applies only the migrations it has not seen, whichever module now holds them.
 */
export const MIGRATIONS: platform.Migrations = platform.collectMigrations(MODULE_MIGRATIONS);
