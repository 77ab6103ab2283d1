/**
 * Import of the Annuaire de l'éducation (the ministry's directory of schools): the public API of
 * this folder. Callers (CLI, HTTP routes, demo generator, benchmark) use only what is exported here.
 */

export type { FileEncoding } from "../../platform/index.ts";
export { closesSchool, type StoredSchoolState, schoolsChanged } from "./changes.ts";
export { CANONICAL_NATURE, schoolSectorOf, schoolTypeOf } from "./classify.ts";
export {
  ANNUAIRE_2023_COLUMNS,
  ANNUAIRE_2026_COLUMNS,
  type AnnuaireLayout,
  normalizeColumnName,
  resolveColumns,
} from "./columns.ts";
export { schoolContentHash } from "./content-hash.ts";
export { districtCodeFromName, districtCodeFromSource, slugify } from "./districts.ts";
export { AnnuaireFormatError } from "./errors.ts";
export {
  type ApplyRecordsOptions,
  applySchoolRecords,
  type CommitOptions,
  commitAnnuaireImport,
  type ImportAnnuaireOptions,
  type ImportIssue,
  importAnnuaire,
  isFirstLoad,
  type ProgressCallback,
  planAnnuaireImport,
} from "./import.ts";
export type { RowRejection } from "./map-row.ts";
export {
  type AnnuaireDuplicate,
  type AnnuaireInput,
  type AnnuaireScan,
  type ParsedAnnuaire,
  parseAnnuaire,
  scanAnnuaire,
} from "./parse.ts";
export { REPORT_LIST_CAP } from "./plan.ts";
export { annuaireColumns, annuaireCsvLines, type WriteAnnuaireOptions, writeAnnuaireCsv } from "./write.ts";
