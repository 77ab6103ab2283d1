import type { Kysely } from "kysely";
import type { Database } from "../../platform/index.ts";
import {
  type ApplyOptions,
  type ApplyReport,
  applyValues,
  committedDetails,
  findCommittedFile,
  REPORT_LIST_CAP,
  type ResolvedSchool,
  SchoolResolver,
} from "./apply.ts";
import { matchProfile } from "./headers.ts";
import { FileRefusal, openTable, type TableInfo, type TableRow } from "./reader.ts";
import type { Profile, ProfileContext, ProfileResult, ProfileValue, RowIssue, SchoolRef } from "./types.ts";

/**
 * Running a profile on a file: the dry run reads the file once, slice by slice, through the
 * profile and reports what a commit would do (rows read, accepted, rejected with line, column
 * and reason, duplicates, unknown UAIs, values, the profile's summary, whether the same content
 * was already imported); the commit reads it again the same way and hands the values to
 * `applyValues`, slice by slice, inside one transaction. Neither keeps the file, nor its rows, in
 * memory: only capped lists, counts, the distinct UAIs and the profile's own aggregates.
 */

export interface RunOptions {
  readonly profile: Profile;
  /** Every profile, to say which one a file given to the wrong profile is for. */
  readonly profiles: readonly Profile[];
  /** The file on disk (a CLI path, or an upload's `filePath`). */
  readonly file: string;
  /** Its name as the user knows it. */
  readonly fileName: string;
  readonly school: SchoolRef | null;
  readonly period: string | null;
  /** Today as AAAA-MM-JJ (Paris); injected by tests. */
  readonly today?: string;
  /** Schools the actor may write (null/absent: all). */
  readonly allowedSchool?: (school: ResolvedSchool) => boolean;
  /** Bytes read at a time (tests). */
  readonly sliceBytes?: number;
  /** Progress of the reading: bytes read of the file's size. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ImportReport {
  profile: string;
  profileLabel: string;
  fileName: string;
  format: TableInfo["format"] | null;
  encoding: string | null;
  sha256: string | null;
  /** The file was refused as a whole (not a table, header of another profile…): nothing read. */
  refused: string | null;
  warning: string | null;
  school: string | null;
  period: string | null;
  read: number;
  accepted: number;
  empty: number;
  /** The first REPORT_LIST_CAP rejections, in file order (all of them: `rejectedTotal`). */
  rejected: RowIssue[];
  rejectedTotal: number;
  duplicates: RowIssue[];
  duplicatesTotal: number;
  unknownUai: string[];
  unknownUaiTotal: number;
  outOfScope: string[];
  outOfScopeTotal: number;
  /** Values the file gives (a commit writes those of known, in-scope schools that changed). */
  values: number;
  summary: Record<string, number>;
  alreadyImported: boolean;
  /** The batch of the earlier import of the same content. */
  alreadyImportedBatch: string | null;
  committed: boolean;
  batchId: string | null;
  fileId: string | null;
  written: number;
  unchanged: number;
  held: number;
}

export function emptyReport(profile: Profile, fileName: string): ImportReport {
  return {
    profile: profile.code,
    profileLabel: profile.label,
    fileName,
    format: null,
    encoding: null,
    sha256: null,
    refused: null,
    warning: null,
    school: null,
    period: null,
    read: 0,
    accepted: 0,
    empty: 0,
    rejected: [],
    rejectedTotal: 0,
    duplicates: [],
    duplicatesTotal: 0,
    unknownUai: [],
    unknownUaiTotal: 0,
    outOfScope: [],
    outOfScopeTotal: 0,
    values: 0,
    summary: {},
    alreadyImported: false,
    alreadyImportedBatch: null,
    committed: false,
    batchId: null,
    fileId: null,
    written: 0,
    unchanged: 0,
    held: 0,
  };
}

export function parisToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(now);
}

function pushIssue(list: RowIssue[], issue: RowIssue): void {
  if (list.length < REPORT_LIST_CAP) list.push(issue);
}

/**
 * One reading of the file through the profile. Yields the values of accepted rows slice by
 * slice, then the profile's final values; fills the report's counts as it goes. A file-level
 * refusal ends the reading with `report.refused` set.
 */
async function* readThrough(
  options: RunOptions,
  report: ImportReport,
  result: { value: ProfileResult | null },
): AsyncGenerator<readonly ProfileValue[]> {
  const { profile } = options;
  if (profile.needsSchool && !options.school) {
    report.refused = `Ce fichier ne nomme pas d'établissement : précisez lequel (--school UAI en ligne de commande, ou choisissez-le dans la page d'import).`;
    return;
  }
  const context: ProfileContext = {
    school: options.school,
    period: options.period,
    today: options.today ?? parisToday(),
  };
  try {
    const reading = await openTable(options.file, {
      fileName: options.fileName,
      ...(options.sliceBytes ? { sliceBytes: options.sliceBytes } : {}),
    });
    report.format = reading.info.format;
    report.encoding = reading.info.encoding;
    report.sha256 = reading.info.sha256;
    report.warning = reading.info.warning ?? null;
    // The content's identity is known now: a commit checks « déjà importé » before reading on.
    yield [];
    let state: unknown = null;
    let started = false;
    for await (const part of reading.read()) {
      if ("header" in part) {
        const match = matchProfile(profile, part.header.labels, options.profiles);
        if (!match.ok) throw new FileRefusal(match.reason, part.header.line);
        state = profile.start(context, match.header);
        started = true;
        continue;
      }
      const values: ProfileValue[] = [];
      for (const row of part.rows) readRow(profile, state, row, report, values);
      options.onProgress?.(reading.bytesRead, reading.info.size);
      if (values.length > 0) {
        report.values += values.length;
        yield values;
      }
    }
    if (!started) throw new FileRefusal("Le fichier est vide : la ligne d'en-tête est absente.");
    result.value = profile.finish(state);
    report.summary = { ...result.value.summary };
    report.values += result.value.values.length;
    if (result.value.values.length > 0) yield result.value.values;
  } catch (err) {
    if (!(err instanceof FileRefusal)) throw err;
    report.refused = err.message;
  }
}

function readRow(
  profile: Profile,
  state: unknown,
  row: TableRow,
  report: ImportReport,
  out: ProfileValue[],
): void {
  report.read++;
  if (row.issue) {
    report.rejectedTotal++;
    pushIssue(report.rejected, row.issue);
    return;
  }
  let outcome: ReturnType<Profile["row"]>;
  try {
    outcome = profile.row(state, { line: row.line, cells: row.cells });
  } catch (err) {
    // A profile's bug on one strange row costs that row, not the file: said, with the line.
    outcome = {
      kind: "rejected",
      issues: [
        {
          line: row.line,
          column: null,
          reason: `ligne illisible par le profil (${err instanceof Error ? err.message : String(err)})`,
        },
      ],
    };
  }
  switch (outcome.kind) {
    case "accepted":
      report.accepted++;
      if (outcome.values) out.push(...outcome.values);
      return;
    case "duplicate":
      report.duplicatesTotal++;
      pushIssue(report.duplicates, outcome.issue);
      return;
    case "rejected":
      report.rejectedTotal++;
      for (const issue of outcome.issues.slice(0, 5)) pushIssue(report.rejected, issue);
      return;
    case "empty":
      report.empty++;
      return;
  }
}

/** The schools of the values, resolved: unknown and out-of-scope UAIs counted as a commit would. */
export class UaiTally {
  private readonly uais = new Set<string>();
  add(values: readonly ProfileValue[]): void {
    for (const v of values) this.uais.add(v.uai.trim().toUpperCase());
  }
  async settle(
    db: Kysely<Database>,
    report: ImportReport,
    allowed?: (s: ResolvedSchool) => boolean,
  ): Promise<void> {
    const resolver = new SchoolResolver(db);
    const list = [...this.uais];
    for (let i = 0; i < list.length; i += 5000) await resolver.resolve(list.slice(i, i + 5000));
    for (const uai of list) {
      const school = resolver.get(uai);
      if (!school) {
        report.unknownUaiTotal++;
        if (report.unknownUai.length < REPORT_LIST_CAP) report.unknownUai.push(uai);
      } else if (allowed && !allowed(school)) {
        report.outOfScopeTotal++;
        if (report.outOfScope.length < REPORT_LIST_CAP) report.outOfScope.push(uai);
      }
    }
  }
}

/**
 * The reading part of a dry run, without the database: the report of the rows and the profile's
 * summary (no UAI resolved, « déjà importé » not checked). Never throws on a file's content.
 */
export async function readFileReport(
  options: RunOptions,
): Promise<{ report: ImportReport; result: ProfileResult | null; uais: UaiTally }> {
  const report = emptyReport(options.profile, options.fileName);
  report.school = options.school?.uai ?? null;
  report.period = options.period;
  const uais = new UaiTally();
  const result = { value: null as ProfileResult | null };
  for await (const values of readThrough(options, report, result)) uais.add(values);
  return { report, result: result.value, uais };
}

/** The dry run: reads the whole file, writes nothing. */
export async function dryRun(db: Kysely<Database>, options: RunOptions): Promise<ImportReport> {
  const { report, uais } = await readFileReport(options);
  if (report.refused) return report;
  await uais.settle(db, report, options.allowedSchool);
  if (report.sha256) {
    const previous = await findCommittedFile(db, {
      profile: options.profile.code,
      sha256: report.sha256,
      schoolId: options.school?.id ?? null,
    });
    if (previous) {
      report.alreadyImported = true;
      report.alreadyImportedBatch = previous.batchId;
    }
  }
  return report;
}

export interface CommitOptions extends RunOptions {
  readonly actor: ApplyOptions["actor"];
  /** An upload's dry-run `import_file` row that this commit confirms. */
  readonly fileId?: string;
  readonly onCommitted?: ApplyOptions["onCommitted"];
}

/**
 * The commit: the file read again through the profile, its values applied in one transaction
 * (idempotent: the same content twice writes nothing). A refused file writes nothing.
 */
export async function commitFile(db: Kysely<Database>, options: CommitOptions): Promise<ImportReport> {
  const report = emptyReport(options.profile, options.fileName);
  report.school = options.school?.uai ?? null;
  report.period = options.period;
  const result = { value: null as ProfileResult | null };
  const values = readThrough(options, report, result);
  // The first slice is empty, yielded once the file is hashed: its identity is known.
  await values.next();
  if (report.refused || !report.sha256) return report;
  const sha256 = report.sha256;
  const previous = await findCommittedFile(db, {
    profile: options.profile.code,
    sha256,
    schoolId: options.school?.id ?? null,
  });
  if (previous) {
    await values.return(undefined);
    return { ...report, alreadyImported: true, alreadyImportedBatch: previous.batchId };
  }
  const combine = options.profile.combine?.bind(options.profile);
  // Read before the transaction (on PGlite its one connection is the transaction's until the end).
  const earlier = combine ? await committedDetails(db, options.profile.code, options.school?.id ?? null) : [];
  async function* all(): AsyncGenerator<readonly ProfileValue[]> {
    for await (const slice of values) {
      // A combining profile's final values are replaced by those of all its files together.
      if (combine && result.value && slice === result.value.values) continue;
      yield slice;
    }
    if (combine && result.value && !report.refused) {
      yield combine([...earlier, result.value.detail]);
    }
    // A refusal found late (an unreadable sheet): the transaction must not commit.
    if (report.refused) throw new FileRefusal(report.refused);
  }
  let applied: ApplyReport;
  try {
    applied = await applyValues(db, all(), {
      profile: options.profile.code,
      fileName: options.fileName,
      sha256,
      actor: options.actor,
      school: options.school,
      period: options.period,
      ...(options.allowedSchool ? { allowedSchool: options.allowedSchool } : {}),
      ...(options.fileId ? { fileId: options.fileId } : {}),
      ...(options.onCommitted ? { onCommitted: options.onCommitted } : {}),
      finalize: () => ({ report: reportForStorage(report), detail: result.value?.detail ?? null }),
    });
  } catch (err) {
    if (err instanceof FileRefusal) return { ...report, refused: err.message };
    throw err;
  }
  report.alreadyImported = applied.alreadyImported;
  if (applied.alreadyImported) {
    report.alreadyImportedBatch = applied.batchId;
    return report;
  }
  report.committed = true;
  report.batchId = applied.batchId;
  report.fileId = applied.fileId;
  report.written = applied.written;
  report.unchanged = applied.unchanged;
  report.held = applied.held;
  report.unknownUai = applied.unknownUai;
  report.unknownUaiTotal = applied.unknownUaiTotal;
  report.outOfScope = applied.outOfScope;
  report.outOfScopeTotal = applied.outOfScopeTotal;
  return report;
}

/** The report as `import_file` keeps it: counts and the first 100 issues (the row lists are for the person). */
export function reportForStorage(report: ImportReport): Record<string, unknown> {
  return {
    ...report,
    rejected: report.rejected.slice(0, 100),
    duplicates: report.duplicates.slice(0, 100),
    unknownUai: report.unknownUai.slice(0, 100),
    outOfScope: report.outOfScope.slice(0, 100),
  };
}
