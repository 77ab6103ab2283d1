import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { RoadmapLinks } from "../indicators/index.ts";
import type { Database } from "../platform/index.ts";
import { objectivesForIndicator } from "./indicator-objectives.ts";
import { roadmapKeyIndicators } from "./key-indicators.ts";
import { roadmapRoutes } from "./routes.ts";

/**
 * Door of the roadmaps module: templates, roadmaps (ambitions → targets → operational fields →
 * indicators → yearly objectives), their evaluation and checkpoints, the HTTP routes and the CLI
 * commands. app.ts and the CLI import roadmaps through this file only (docs/architecture.md).
 */

export { addCheckpoint, listCheckpoints } from "./checkpoints.ts";
export {
  exportRoadmapFromCli,
  formatRoadmapList,
  formatTemplateList,
  importRoadmapFromCli,
  listRoadmapsForCli,
} from "./cli.ts";
export { registerRoadmapCommands as registerCommands, registerRoadmapCommands } from "./commands.ts";
export { publishDemoRoadmapIfEmpty } from "./demo.ts";
export { RoadmapError } from "./errors.ts";
export { objectivesForIndicator } from "./indicator-objectives.ts";
export { roadmapKeyIndicators } from "./key-indicators.ts";
export { roadmapLibrary } from "./library.ts";
export { exportRoadmap, getRoadmap, listRoadmaps } from "./read.ts";
export { loadRoadmapTemplates, parseRoadmapDocument, validateRoadmapDocument } from "./templates.ts";
export {
  createRoadmap,
  deleteRoadmap,
  importRoadmap,
  publishRoadmap,
  unpublishRoadmap,
  updateRoadmap,
} from "./write.ts";

/** What the indicator pages show of the roadmaps (indicators' `RoadmapLinks`), wired in app.ts. */
export const indicatorLinks: RoadmapLinks = {
  objectivesFor: objectivesForIndicator,
  keyIndicatorsOf: roadmapKeyIndicators,
};

export interface RoadmapDeps {
  db: Kysely<Database>;
}

/** The roadmaps API: `/api/v1/roadmaps…`, templates, checkpoints, dashboards. */
export function register(app: FastifyInstance, deps: RoadmapDeps): void {
  roadmapRoutes(app, deps.db);
}

export { migrations } from "./migrations/index.ts";
/** Its tables (schema.ts, merged into platform's `Database`) and the migrations that create them. */
export type * from "./schema.ts";
