/**
 * Door of the platform module: configuration, the database (PGlite | PostgreSQL) and its schema,
 * HTTP set-up, audit log, mail, CSV and text encodings, progress. Every other module imports
 * platform through this file only (docs/architecture.md).
 */

export { type Actor, type AuditEntry, CLI_ACTOR, recordAudit, SYSTEM_ACTOR } from "./audit.ts";
export { REDACTED, redactSecrets } from "./audit-redact.ts";
export { withSecondaryIndexesDeferred } from "./bulk-load.ts";
export {
  type CliContext,
  type CliIo,
  CliUsageError,
  createProgram,
  NO_PROGRESS,
  type Progress,
  printError,
  printLine,
  processIo,
  readUserFile,
  resolveFile,
  runProgram,
  userFilePath,
  writeUserFile,
} from "./cli-program.ts";
export { type Config, loadConfig, type ProConnectConfig, type SmtpConfig } from "./config.ts";
export { CSV_BOM, CSV_LINE_END, CSV_SEPARATOR, csvCell, csvDocument, csvLine } from "./csv.ts";
export {
  codeCell,
  countCell,
  dateCell,
  decimalCell,
  flagCell,
  neutralizeFormula,
  textCell,
} from "./csv-cells.ts";
export { type CsvRecord, CsvTokenizer, detectSeparator } from "./csv-tokenizer.ts";
export { connectPostgres, type DatabaseHandle, type Engine, openDatabase } from "./db.ts";
export {
  type DelegatedRequest,
  type DelegationEndpoint,
  DelegationInterrupted,
  delegateCommand,
  type RunDelegated,
  startDelegationEndpoint,
} from "./delegation.ts";
export {
  type ChunkDecoder,
  createDecoder,
  detectEncoding,
  detectFileEncoding,
  type EncodingDetection,
  FILE_SLICE_BYTES,
  type FileEncoding,
} from "./encoding.ts";
export {
  AppError,
  conflict,
  type ErrorDetails,
  forbidden,
  invalid,
  isAppError,
  notFound,
  unauthenticated,
} from "./errors.ts";
export { API_VERSION, type ApiErrorBody, apiError, createHttp, errorAnswer, redactUrl } from "./http.ts";
// Persisted jobs (docs/jobs.md): the runner, its job route and the helpers that wait for a job.
export * from "./jobs/index.ts";
export {
  composeMail,
  createMailer,
  escapeHtml,
  type MailDelivery,
  type Mailer,
  type MailLogger,
  type MailMessage,
} from "./mail.ts";
export { releaseGarbage } from "./memory.ts";
export { collectMigrations, type Migrations, migrateToLatest } from "./migrate.ts";
export { migrations } from "./migrations/index.ts";
export { DatabaseLockedError, type OwnerEndpoint, type OwnerInfo } from "./owner-lock.ts";
// Vigie's own files, from the sources and from the compiled bundle alike (ADR 0011).
export { PROJECT_ROOT, projectPath, RUNS_COMPILED, workerEntry } from "./paths.ts";
export { terminalProgress } from "./progress.ts";
export type * from "./schema.ts";
export { getSetting, putSetting, type StoredSetting } from "./settings.ts";
export * from "./uploads/index.ts";
export { loadExcel } from "./xlsx.ts";
export {
  formatPath,
  parseYaml,
  TemplateError,
  TemplateErrors,
  validateDocument,
} from "./yaml-documents.ts";
