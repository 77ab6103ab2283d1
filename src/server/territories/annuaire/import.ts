import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { AnnuaireImportReport } from "../../../contracts/territories.ts";
import type { Database } from "../../platform/index.ts";
import { checkUai } from "../codes.ts";
import { departmentByCode } from "../referential.ts";
import type { SchoolRecord } from "../school-record.ts";
import {
  districtsOf,
  insertImportBatch,
  loadSchoolHashes,
  type StoredSchoolHash,
  upsertDistricts,
  upsertSchoolRecords,
} from "../school-store.ts";
import { schoolContentHash } from "./content-hash.ts";
import { type ParsedAnnuaire, parseAnnuaire } from "./parse.ts";

type Db = Kysely<Database>;
export type ProgressCallback = (done: number, total: number) => void;

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
  /** Called inside the commit's transaction, after the writes (the audit log entry). */
  onCommitted?: CommitOptions["onCommitted"];
}

/**
 * The single entry point of the Annuaire import (CLI, HTTP, demo): reads the file, compares it
 * with the database and, when `commit` is set, applies it in one transaction. Throws an
 * AnnuaireFormatError when the file cannot be read as an Annuaire export.
 */
export async function importAnnuaire(
  db: Db,
  input: Uint8Array,
  options: ImportAnnuaireOptions,
): Promise<AnnuaireImportReport> {
  const parsed = await parseAnnuaire(input);
  if (options.accept) rejectRecords(parsed, options.accept);
  const apply = {
    fileName: options.fileName,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onCommitted ? { onCommitted: options.onCommitted } : {}),
  };
  return options.commit ? commitAnnuaireImport(db, parsed, apply) : planAnnuaireImport(db, parsed, apply);
}

/** Moves the records `accept` refuses to the rejected rows, with their file line and reason. */
function rejectRecords(parsed: ParsedAnnuaire, accept: (record: SchoolRecord) => string | null): void {
  const kept: SchoolRecord[] = [];
  const keptLines: number[] = [];
  parsed.records.forEach((record, i) => {
    const reason = accept(record);
    const line = parsed.recordLines?.[i] ?? 0;
    if (reason === null) {
      kept.push(record);
      keptLines.push(line);
    } else {
      parsed.rejected.push({ line, uai: record.uai, reason });
    }
  });
  parsed.records = kept;
  parsed.recordLines = keptLines;
  parsed.rejected.sort((a, b) => a.line - b.line);
}

/** Dry run: what a commit would do, from the stored content hashes. Writes nothing. */
export async function planAnnuaireImport(
  db: Db,
  parsed: ParsedAnnuaire,
  options: { onProgress?: ProgressCallback } = {},
): Promise<AnnuaireImportReport> {
  const diff = diffRecords(parsed.records, await loadSchoolHashes(db));
  const total = parsed.records.length;
  if (total > 0) options.onProgress?.(total, total);
  return buildReport(parsed, diff, false);
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
  /** Runs in the transaction after the writes, with the import_batch id (the audit log entry). */
  onCommitted?: (trx: Transaction<Database>, batchId: string, report: AnnuaireImportReport) => Promise<void>;
}

/**
 * Applies a parsed file in one transaction: districts upserted, new schools inserted, changed
 * ones updated, one import_batch row with the report. The comparison with stored hashes runs
 * inside the transaction, so it sees exactly what it changes. Schools absent from the file are
 * left as they are: a département's file must not close the rest of France.
 */
export async function commitAnnuaireImport(
  db: Db,
  parsed: ParsedAnnuaire,
  options: CommitOptions,
): Promise<AnnuaireImportReport> {
  return db.transaction().execute(async (trx) => {
    const diff = diffRecords(parsed.records, await loadSchoolHashes(trx));
    const report = buildReport(parsed, diff, true);
    const batchId = await insertImportBatch(trx, {
      kind: options.kind ?? "annuaire",
      fileName: options.fileName,
      fileSha256: options.fileSha256 ?? parsed.fileSha256,
      report,
    });
    // Every district of the file, not only those of changed schools: a renamed district is a
    // change even when none of its schools moved.
    await upsertDistricts(trx, districtsOf(parsed.records));
    const total = parsed.records.length;
    let done = diff.unchanged;
    if (total > 0) options.onProgress?.(done, total);
    await upsertSchoolRecords(trx, diff.changed, batchId, {
      districts: false,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      onBatch: (rows) => {
        done += rows;
        options.onProgress?.(done, total);
      },
    });
    await options.onCommitted?.(trx, batchId, report);
    return report;
  });
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
    rejected: [],
    duplicates: [],
    warnings: [],
    fileSha256: "",
  };
  const firstIndex = new Map<string, number>();
  const digest = createHash("sha256");
  records.forEach((record, i) => {
    const line = i + 1;
    const uai = checkUai(record.uai);
    if (!uai.ok) {
      parsed.rejected.push({ line, uai: record.uai, column: "uai", reason: uai.reason });
      return;
    }
    const department = departmentByCode.get(record.departmentCode);
    if (!department) {
      parsed.rejected.push({
        line,
        uai: uai.uai,
        column: "departmentCode",
        reason: `Département « ${record.departmentCode} » inconnu`,
      });
      return;
    }
    const first = firstIndex.get(uai.uai);
    if (first !== undefined) {
      parsed.duplicates.push({ line, uai: uai.uai, firstLine: first });
      return;
    }
    firstIndex.set(uai.uai, line);
    const normalised: SchoolRecord = {
      ...record,
      uai: uai.uai,
      academyCode: department.academyCode,
      academicRegionCode: department.academicRegionCode,
    };
    digest.update(schoolContentHash(normalised));
    parsed.records.push(normalised);
  });
  parsed.fileSha256 = digest.digest("hex");
  const apply = {
    fileName: options.fileName,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  if (options.commit === false) return planAnnuaireImport(db, parsed, apply);
  return commitAnnuaireImport(db, parsed, { ...apply, kind: options.kind });
}

interface RecordsDiff {
  /** New and changed records, in file order. */
  changed: SchoolRecord[];
  created: number;
  updated: number;
  unchanged: number;
  /** Stored schools of the file's départements that the file does not list. */
  absent: number;
}

function diffRecords(
  records: readonly SchoolRecord[],
  stored: ReadonlyMap<string, StoredSchoolHash>,
): RecordsDiff {
  const diff: RecordsDiff = { changed: [], created: 0, updated: 0, unchanged: 0, absent: 0 };
  const inFile = new Set<string>();
  const departments = new Set<string>();
  for (const record of records) {
    inFile.add(record.uai);
    departments.add(record.departmentCode);
    const existing = stored.get(record.uai);
    if (!existing) {
      diff.created++;
      diff.changed.push(record);
    } else if (existing.contentHash !== schoolContentHash(record)) {
      diff.updated++;
      diff.changed.push(record);
    } else {
      diff.unchanged++;
    }
  }
  for (const [uai, { departmentCode }] of stored) {
    if (departments.has(departmentCode) && !inFile.has(uai)) diff.absent++;
  }
  return diff;
}

function buildReport(parsed: ParsedAnnuaire, diff: RecordsDiff, committed: boolean): AnnuaireImportReport {
  const warnings = [...parsed.warnings];
  if (diff.absent > 0) {
    warnings.push(
      `Établissements déjà connus dans les départements du fichier mais absents de celui-ci : ${diff.absent} (laissés tels quels)`,
    );
  }
  return {
    read: parsed.read,
    created: diff.created,
    updated: diff.updated,
    unchanged: diff.unchanged,
    closed: parsed.records.reduce((n, r) => n + (r.status === "closed" ? 1 : 0), 0),
    rejected: parsed.rejected,
    duplicates: parsed.duplicates,
    layout: parsed.layout,
    encoding: parsed.encoding,
    committed,
    warnings,
  };
}
