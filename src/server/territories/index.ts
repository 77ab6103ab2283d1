import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { Database } from "../platform/index.ts";
import { type ImportRouteDeps, importRoutes } from "./import-routes.ts";
import { territoryRoutes } from "./routes.ts";

/**
 * Door of the territories module: the territorial referential (nation > région académique >
 * académie > département > district > school), the schools and districts read functions, the
 * Annuaire de l'éducation import, the demo territory and the HTTP routes. Other modules, app.ts
 * and the CLI import territories through this file only (docs/architecture.md).
 */

/** The tree's levels, keys and labels: shared with the web app, so written in the contracts. */
export {
  childLevelOf,
  type DistrictKind,
  isAbove,
  isNodeLevel,
  isTerritoryLevel,
  LEVEL_LABELS,
  type LevelLabels,
  levelTitle,
  NATION,
  NATION_CODE,
  NATION_KEY,
  NODE_LEVELS,
  type NodeAddress,
  type NodeKeyReading,
  type NodeLevel,
  type NodeRef,
  nodeKey,
  parentLevelOf,
  parseNodeKey,
  parseTerritoryKey,
  readNodeKey,
  TERRITORY_LEVELS,
  type TerritoryLevel,
} from "../../contracts/territory-tree.ts";
export {
  ANNUAIRE_2023_COLUMNS,
  ANNUAIRE_2026_COLUMNS,
  AnnuaireFormatError,
  type AnnuaireLayout,
  applySchoolRecords,
  commitAnnuaireImport,
  type ImportAnnuaireOptions,
  importAnnuaire,
  type ParsedAnnuaire,
  parseAnnuaire,
  planAnnuaireImport,
  type RowRejection,
  type WriteAnnuaireOptions,
  writeAnnuaireCsv,
} from "./annuaire/index.ts";
export {
  checkUai,
  isValidUai,
  makeUai,
  normalizeDepartmentCode,
  normalizeUai,
  type UaiCheck,
} from "./codes.ts";
export { registerTerritoryCommands, type TerritoryCommandDeps } from "./commands.ts";
export { DEMO_SCALES, type DemoOptions, type DemoScale, generateDemoSchools } from "./demo/generate.ts";
export { loadDemo, loadDemoIfEmpty } from "./demo/load.ts";
export {
  ANNUAIRE_COMMIT_JOB,
  type AnnuaireCommitPayload,
  type AnnuaireCommitResult,
  registerAnnuaireCommitJob,
} from "./import-job.ts";
export type { ImportAccess, ImportRouteDeps, SchoolChangeHooks } from "./import-routes.ts";
/** A territory key from a request or a command → its node, or the one French refusal (node-key.ts). */
export { type NodeKeyRule, resolveNodeKey } from "./node-key.ts";
export {
  type DistrictPlace,
  findCommuneName,
  findDistricts,
  findSchoolAncestries,
  findSchoolAncestriesByIds,
  placeInTerritory,
  type SchoolAncestry,
  type SchoolTreePlace,
  schoolAncestry,
} from "./places.ts";
export {
  ACADEMIC_REGIONS,
  ACADEMIES,
  type AcademicRegion,
  type Academy,
  academicRegionByCode,
  academyByCode,
  DEPARTMENTS,
  type Department,
  departmentByCode,
  FORMER_ACADEMY_CODES,
} from "./referential.ts";
export { formatImportReport } from "./report-text.ts";
export type { DistrictRecord, SchoolRecord } from "./school-record.ts";
/** An import batch of another module's values (imports): one row every written value points to. */
export {
  type ImportBatchInput,
  insertImportBatch as recordImportBatch,
  setImportBatchReport,
} from "./school-store.ts";
export { seedReferential } from "./seed.ts";
/** The open schools a campaign asks, with their place in the tree (collection). */
export { findTargetSchools, type TargetFilter, type TargetSchool } from "./targets.ts";
export {
  type AcademyContents,
  academyContents,
  childrenOf,
  findSchoolIds,
  hasSchools,
  openSchoolsIn,
  type ResolvedNode,
  referentialAncestors,
  resolveNode,
} from "./tree.ts";

export interface TerritoryDeps extends ImportRouteDeps {
  db: Kysely<Database>;
}

/** The territory browser, the schools directory and the Annuaire upload (`/api/v1/territories…`). */
export function register(app: FastifyInstance, deps: TerritoryDeps): void {
  territoryRoutes(app, deps.db);
  importRoutes(app, deps.db, deps);
}

export { migrations } from "./migrations/index.ts";
/** Its tables (schema.ts, merged into platform's `Database`) and the migrations that create them. */
export type * from "./schema.ts";
