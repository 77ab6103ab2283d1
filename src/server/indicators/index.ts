import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../platform/index.ts";
import { ensureDataElements } from "./catalogue.ts";
import { settleRollups, stopRollupThread } from "./engine.ts";
import type { RoadmapLinks } from "./roadmap-links.ts";
import { registerCatalogueRoutes } from "./routes/catalogue.ts";
import { registerDashboardRoutes } from "./routes/dashboard.ts";
import { registerDataValuesRoutes } from "./routes/data-values.ts";
import { registerHeldValuesRoutes } from "./routes/held-values.ts";
import { registerKeyIndicatorRoutes } from "./routes/key-indicators.ts";
import { registerConfidentialityRoutes } from "./routes/settings.ts";
import { registerValuesRoutes } from "./routes/values.ts";

/**
 * Door of the indicators module (the observatory): the indicator catalogue, data values and their
 * import, the roll-up to every level, statistical confidentiality, the reads of the API and its
 * routes. Other modules, app.ts and the CLI import indicators through this file only
 * (docs/architecture.md).
 */

export {
  type Catalogue,
  type CatalogueIndicator,
  disaggregationKey,
  getCatalogue,
  loadLocalDataElements,
} from "./catalogue.ts";
export { loadIndicatorCatalogue, parseIndicatorCatalogue } from "./catalogue-file.ts";
export {
  loadDemoValuesForCli,
  registerIndicatorCommands,
  registerIndicatorCommands as registerCommands,
} from "./commands.ts";
export { loadObservatoryDemo, loadObservatoryDemoIfEmpty } from "./demo.ts";
export { checkValue, valueRule } from "./domain/bounds.ts";
export {
  type Direction,
  expectedValue,
  OBJECTIVE_STATUS_LABELS,
  type ObjectiveStatus,
  objectiveStatus,
  type YearValue,
  yearOf,
} from "./domain/objectives.ts";
export { type Period, parsePeriod, periodOfTypeContaining } from "./domain/periods.ts";
export { processPendingRollups, type RefreshReport, rollupFull, settleRollups } from "./engine.ts";
export { type ExpectedSchoolsInput, setExpectedSchools } from "./expected-schools.ts";
export {
  type ImportWriteReport,
  type RollbackReport,
  rollbackImportBatch,
  rolledBackBatches,
  writeImportValues,
} from "./import-batches.ts";
export {
  formatValuesReport,
  importValues,
  ValuesFormatError,
  type ValuesImportReport,
} from "./import-values.ts";
export { defineLocalDataElement, formDataElements } from "./local-elements.ts";
export { NO_ROADMAPS, type RoadmapLinks } from "./roadmap-links.ts";
export { ROLLUP_JOB, registerRollupJob } from "./rollup-job.ts";
export { readSchoolValues, type SchoolValue } from "./school-values.ts";
export { indicatorValues, type ValuesInput } from "./service.ts";
export { requestFullRefresh, type SchoolValueInput } from "./store.ts";
export { type RawPoint, readRawSeries } from "./values.ts";

export interface IndicatorDeps {
  db: Kysely<Database>;
  /** The roadmaps' objectives and key indicators shown on the indicator pages (wired in app.ts). */
  roadmaps: RoadmapLinks;
}

/**
 * The observatory API (docs/indicator-api.md): `/api/v1/indicators…`, a territory's and a school's
 * key indicators, the data values sent through the API and the review of the implausible ones, the
 * confidentiality thresholds. Reads are public and confidentiality-safe.
 */
export function register(app: FastifyInstance, deps: IndicatorDeps): void {
  // A roll-up started in the background (after an Annuaire import) ends before the database
  // closes; then the roll-up's thread, if any (PostgreSQL, ADR 0010), ends with the server.
  app.addHook("onClose", async () => {
    await settleRollups(deps.db);
    await stopRollupThread(deps.db);
  });
  // The data elements in step with the catalogue once, outside any transaction: the writes that
  // follow (a submission, an import) need not upsert them again in theirs.
  app.addHook("onReady", async () => void (await ensureDataElements(deps.db)));
  registerCatalogueRoutes(app, deps);
  registerValuesRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerKeyIndicatorRoutes(app, deps);
  registerDataValuesRoutes(app, deps);
  registerHeldValuesRoutes(app, deps);
  registerConfidentialityRoutes(app, deps);
}

export { migrations } from "./migrations/index.ts";
/** Its tables (schema.ts, merged into platform's `Database`) and the migrations that create them. */
export type * from "./schema.ts";
