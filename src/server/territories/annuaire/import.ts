import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { AnnuaireImportReport } from "../../../contracts/territories.ts";
import { type Database, withSecondaryIndexesDeferred } from "../../platform/index.ts";
import { checkUai } from "../codes.ts";
import { departmentByCode } from "../referential.ts";
import type { SchoolRecord } from "../school-record.ts";
import {
  DEFAULT_BATCH_SIZE,
  insertImportBatch,
  loadSchoolHashes,
  upsertDistricts,
  upsertSchoolRecords,
} from "../school-store.ts";
import { schoolContentHash } from "./content-hash.ts";
import type { RowRejection } from "./map-row.ts";
import { type AnnuaireInput, type AnnuaireScan, type ParsedAnnuaire, scanAnnuaire } from "./parse.ts";
import { type ImportIssue, ImportPlan } from "./plan.ts";

type Db = Kysely<Database>;
export type ProgressCallback = (done: number, total: number) => void;
export type { ImportIssue } from "./plan.ts";

export interface ImportAnnuaireOptions {
  /** false: dry run, nothing is written. true: one transaction, all or nothing. */
  commit: boolean;
  fileName: string;
  /**
   * Called as schools are processed, in schools of the file: (done, total). A dry run calls it
   * once at the end; a commit counts unchanged schools at once, then each written batch.
   */
  onProgress?: ProgressCallback;
  /**
   * Which records the caller may import: null to accept, or the French reason of the rejection
   * (an importer's scope: « hors de votre périmètre »). Rejected records are reported like
   * invalid rows and never written.
   */
  accept?: (record: SchoolRecord) => string | null;
  /**
   * Every rejection and duplicate, in file order, as it is found (the report keeps the first
   * 1 000 of each, with their totals): the full report a caller writes to a file.
   */
  onIssue?: (issue: ImportIssue) => void;
  /** Called inside the commit's transaction, after the writes (the audit log entry). */
  onCommitted?: CommitOptions["onCommitted"];
  /** Schools per statement (tests use small batches to fail between two statements). */
  batchSize?: number;
  /** Fewest new schools that make a first load (`isFirstLoad`); tests lower it. */
  firstLoadMinRows?: number;
}

/**
 * The single entry point of the Annuaire import (CLI, HTTP, demo): reads the file, compares it
 * with the database and, when `commit` is set, applies it in one transaction. A path is read in
 * slices, twice for a commit (plan, then writes): only the keys and hashes of the schools stay in
 * memory, never the records. Throws an AnnuaireFormatError when the file cannot be read as an
 * Annuaire export.
 */
export async function importAnnuaire(
  db: Db,
  input: AnnuaireInput,
  options: ImportAnnuaireOptions,
): Promise<AnnuaireImportReport> {
  const source: RecordSource = {
    plan: (plan) =>
      scanAnnuaire(input, {
        record: (record, line) => plan.add(record, line),
        rejected: (rejection) => plan.reject(rejection),
      }),
    replay: async (visit, slice) => {
      const scan = await scanAnnuaire(input, { record: visit, rejected: () => {}, slice });
      return scan.fileSha256;
    },
  };
  return options.commit ? commitSource(db, source, options) : planSource(db, source, options);
}

/** Dry run of records already in memory: what a commit would do, from the stored hashes. */
export async function planAnnuaireImport(
  db: Db,
  parsed: ParsedAnnuaire,
  options: { onProgress?: ProgressCallback } = {},
): Promise<AnnuaireImportReport> {
  return planSource(db, parsedSource(parsed), options);
}

export interface CommitOptions {
  fileName: string;
  /** Defaults to the hash of the parsed file. */
  fileSha256?: string;
  /** `import_batch.kind` (default "annuaire"). */
  kind?: string;
  onProgress?: ProgressCallback;
  /** Schools per statement (tests use small batches to fail between two statements). */
  batchSize?: number;
  /** Fewest new schools that make a first load (`isFirstLoad`); tests lower it. */
  firstLoadMinRows?: number;
  /** Runs in the transaction after the writes, with the import_batch id (the audit log entry). */
  onCommitted?: (trx: Transaction<Database>, batchId: string, report: AnnuaireImportReport) => Promise<void>;
}

/** `importAnnuaire` with `commit` for records already in memory (tests, the demo generator). */
export async function commitAnnuaireImport(
  db: Db,
  parsed: ParsedAnnuaire,
  options: CommitOptions,
): Promise<AnnuaireImportReport> {
  return commitSource(db, parsedSource(parsed), options);
}

/**
 * Where the rows come from, read once to plan and once more to write: a file scanned twice, or
 * records in memory. `replay` returns the SHA-256 of what it read.
 */
interface RecordSource {
  plan(plan: ImportPlan): Promise<AnnuaireScan>;
  replay(visit: (record: SchoolRecord, line: number) => void, slice: () => Promise<void>): Promise<string>;
}

function parsedSource(parsed: ParsedAnnuaire): RecordSource {
  const lineOf = (i: number) => parsed.recordLines?.[i] ?? i + 1;
  return {
    plan: async (plan) => {
      for (const rejection of parsed.rejected) plan.reject(rejection);
      for (const duplicate of parsed.duplicates) plan.duplicate(duplicate);
      for (const [i, record] of parsed.records.entries()) plan.add(record, lineOf(i));
      return parsed;
    },
    replay: async (visit, slice) => {
      for (const [i, record] of parsed.records.entries()) visit(record, lineOf(i));
      await slice();
      return parsed.fileSha256;
    },
  };
}

async function planSource(
  db: Db,
  source: RecordSource,
  options: Pick<ImportAnnuaireOptions, "onProgress" | "accept" | "onIssue">,
): Promise<AnnuaireImportReport> {
  const plan = new ImportPlan(await loadSchoolHashes(db), options);
  const scan = await source.plan(plan);
  if (plan.importable > 0) options.onProgress?.(plan.importable, plan.importable);
  return plan.report(scan, false);
}

/**
 * Applies a file in one transaction: districts upserted, new schools inserted, changed ones
 * updated, one import_batch row with the report. The comparison with stored hashes runs inside
 * the transaction, so it sees exactly what it changes; the records to write are read again from
 * the source and written a slice at a time. Schools absent from the file are left as they are: a
 * département's file must not close the rest of France.
 */
async function commitSource(
  db: Db,
  source: RecordSource,
  options: CommitOptions & Pick<ImportAnnuaireOptions, "accept" | "onIssue">,
): Promise<AnnuaireImportReport> {
  return db.transaction().execute(async (trx) => {
    const stored = await loadSchoolHashes(trx);
    const plan = new ImportPlan(stored, options);
    const scan = await source.plan(plan);
    const report = plan.report(scan, true);
    const batchId = await insertImportBatch(trx, {
      kind: options.kind ?? "annuaire",
      fileName: options.fileName,
      fileSha256: options.fileSha256 ?? scan.fileSha256,
      report,
    });
    // Every district of the file, not only those of changed schools: a renamed district is a
    // change even when none of its schools moved.
    await upsertDistricts(trx, plan.districts.rows());
    const total = plan.importable;
    let done = plan.unchanged;
    if (total > 0) options.onProgress?.(done, total);
    const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
    let pending: SchoolRecord[] = [];
    const write = async (least: number) => {
      if (pending.length === 0 || pending.length < least) return;
      const batch = pending;
      pending = [];
      await upsertSchoolRecords(trx, batch, batchId, {
        districts: false,
        batchSize: size,
        onBatch: (rows) => {
          done += rows;
          options.onProgress?.(done, total);
        },
      });
    };
    const writeAll = async () => {
      const replayed = await source.replay(
        (record, line) => {
          if (plan.mustWrite(record, line)) pending.push(record);
        },
        () => write(size),
      );
      await write(0);
      return replayed;
    };
    const replayed = isFirstLoad(stored.size, plan.created, options.firstLoadMinRows)
      ? await withSecondaryIndexesDeferred(trx, "school", writeAll)
      : await writeAll();
    // The file read twice must be the same file (one on disk could have been replaced meanwhile).
    if (replayed !== scan.fileSha256)
      throw new Error("Le fichier a changé pendant l'import : rien n'a été enregistré, relancez-le.");
    await options.onCommitted?.(trx, batchId, report);
    return report;
  });
}

/**
 * A file that brings many schools to a table that holds few (the first national import: 65 000
 * into none) is loaded with the table's secondary indexes and foreign keys set aside, then put
 * back (platform's `withSecondaryIndexesDeferred`): about twice as fast. Not for routine
 * imports, which change a few hundred schools of a full table: setting the indexes aside locks
 * the table for everybody until the commit, and rebuilding them costs more than the rows.
 */
const FIRST_LOAD_MIN_ROWS = 10_000;
export function isFirstLoad(storedSchools: number, created: number, minRows = FIRST_LOAD_MIN_ROWS): boolean {
  return created >= minRows && created >= 4 * storedSchools;
}

export interface ApplyRecordsOptions {
  fileName: string;
  /** `import_batch.kind`, e.g. "demo". */
  kind: string;
  /** Default true; false gives the dry-run report. */
  commit?: boolean;
  onProgress?: ProgressCallback;
}

/**
 * The import without a CSV, for records built in code (the demo generator): the same checks
 * (UAI, known département), duplicates, comparison and transaction as a file. Rejections and
 * duplicates give the record's position (1-based) as their line. The académie and région
 * académique always follow the département from the referential.
 */
export async function applySchoolRecords(
  db: Db,
  records: readonly SchoolRecord[],
  options: ApplyRecordsOptions,
): Promise<AnnuaireImportReport> {
  const parsed: ParsedAnnuaire = {
    layout: "enregistrements",
    encoding: "aucun",
    separator: "",
    read: records.length,
    records: [],
    recordLines: [],
    rejected: [],
    duplicates: [],
    warnings: [],
    fileSha256: "",
  };
  const firstIndex = new Map<string, number>();
  const digest = createHash("sha256");
  records.forEach((record, i) => {
    const line = i + 1;
    const checked = checkRecord(record, line);
    if ("reason" in checked) {
      parsed.rejected.push(checked);
      return;
    }
    const first = firstIndex.get(checked.uai);
    if (first !== undefined) {
      parsed.duplicates.push({ line, uai: checked.uai, firstLine: first });
      return;
    }
    firstIndex.set(checked.uai, line);
    digest.update(schoolContentHash(checked));
    parsed.records.push(checked);
    parsed.recordLines?.push(line);
  });
  parsed.fileSha256 = digest.digest("hex");
  const apply = {
    fileName: options.fileName,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  if (options.commit === false) return planAnnuaireImport(db, parsed, apply);
  return commitAnnuaireImport(db, parsed, { ...apply, kind: options.kind });
}

/** A record built in code, normalised (UAI, académie and région from the département), or why not. */
function checkRecord(record: SchoolRecord, line: number): SchoolRecord | RowRejection {
  const uai = checkUai(record.uai);
  if (!uai.ok) return { line, uai: record.uai, column: "uai", reason: uai.reason };
  const department = departmentByCode.get(record.departmentCode);
  if (!department) {
    return {
      line,
      uai: uai.uai,
      column: "departmentCode",
      reason: `Département « ${record.departmentCode} » inconnu`,
    };
  }
  return {
    ...record,
    uai: uai.uai,
    academyCode: department.academyCode,
    academicRegionCode: department.academicRegionCode,
  };
}
