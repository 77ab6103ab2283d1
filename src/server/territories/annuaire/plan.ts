import type { AnnuaireImportReport } from "../../../contracts/territories.ts";
import type { SchoolRecord } from "../school-record.ts";
import { DistrictGatherer, type StoredSchoolHash } from "../school-store.ts";
import { closesSchool } from "./changes.ts";
import { schoolContentHash } from "./content-hash.ts";
import type { RowRejection } from "./map-row.ts";
import type { AnnuaireDuplicate, AnnuaireScan } from "./parse.ts";

/** Rejections and duplicates listed in a report (the totals count them all; the CSV report has them all). */
export const REPORT_LIST_CAP = 1000;

/** One line of the full report: a rejected row or a repeated UAI. */
export type ImportIssue = ({ kind: "rejected" } & RowRejection) | ({ kind: "duplicate" } & AnnuaireDuplicate);

export interface PlanOptions {
  accept?: (record: SchoolRecord) => string | null;
  onIssue?: (issue: ImportIssue) => void;
}

/**
 * What an import will do, decided one record at a time as the file is read: duplicates, scope,
 * comparison with the stored content hashes. It keeps only keys (the first line of each UAI, the
 * UAIs to write, the départements, the districts), so that a national file is planned in a few
 * megabytes; the records themselves are read again when they are written.
 */
export class ImportPlan {
  created = 0;
  updated = 0;
  unchanged = 0;
  closed = 0;
  readonly districts = new DistrictGatherer();
  private readonly rejected: RowRejection[] = [];
  private rejectedTotal = 0;
  private readonly duplicates: AnnuaireDuplicate[] = [];
  private duplicatesTotal = 0;
  /** Line of the first importable occurrence of each UAI (later ones are duplicates). */
  private readonly firstLineOf = new Map<string, number>();
  /** UAIs in the file that are new or changed (out-of-scope ones excluded). */
  private readonly toWrite = new Set<string>();
  /** UAIs of the file the caller may import. */
  private readonly accepted = new Set<string>();
  private readonly departments = new Set<string>();

  constructor(
    private readonly stored: ReadonlyMap<string, StoredSchoolHash>,
    private readonly options: PlanOptions = {},
  ) {}

  /** Schools the import will write or leave unchanged (accepted, first occurrences). */
  get importable(): number {
    return this.accepted.size;
  }

  reject(rejection: RowRejection): void {
    this.rejectedTotal++;
    if (this.rejected.length < REPORT_LIST_CAP) this.rejected.push(rejection);
    this.options.onIssue?.({ kind: "rejected", ...rejection });
  }

  duplicate(duplicate: AnnuaireDuplicate): void {
    this.duplicatesTotal++;
    if (this.duplicates.length < REPORT_LIST_CAP) this.duplicates.push(duplicate);
    this.options.onIssue?.({ kind: "duplicate", ...duplicate });
  }

  add(record: SchoolRecord, line: number): void {
    // Duplicates are counted among importable rows: if a first occurrence is rejected, the next
    // valid one is the one imported.
    const firstLine = this.firstLineOf.get(record.uai);
    if (firstLine !== undefined) {
      this.duplicate({ line, uai: record.uai, firstLine });
      return;
    }
    this.firstLineOf.set(record.uai, line);
    const refusal = this.options.accept?.(record) ?? null;
    if (refusal !== null) {
      this.reject({ line, uai: record.uai, reason: refusal });
      return;
    }
    this.accepted.add(record.uai);
    this.departments.add(record.departmentCode);
    this.districts.add(record);
    const existing = this.stored.get(record.uai);
    if (closesSchool(record, existing)) this.closed++;
    if (!existing) {
      this.created++;
      this.toWrite.add(record.uai);
    } else if (existing.contentHash !== schoolContentHash(record)) {
      this.updated++;
      this.toWrite.add(record.uai);
    } else {
      this.unchanged++;
    }
  }

  /** True for the row that carries a school to write (its first occurrence, new or changed). */
  mustWrite(record: SchoolRecord, line: number): boolean {
    return this.firstLineOf.get(record.uai) === line && this.toWrite.has(record.uai);
  }

  report(scan: AnnuaireScan, committed: boolean): AnnuaireImportReport {
    const warnings = [...scan.warnings];
    const absent = this.absent();
    if (absent > 0) {
      warnings.push(
        `Établissements déjà connus dans les départements du fichier mais absents de celui-ci : ${absent} (laissés tels quels)`,
      );
    }
    return {
      read: scan.read,
      created: this.created,
      updated: this.updated,
      unchanged: this.unchanged,
      closed: this.closed,
      rejected: [...this.rejected].sort((a, b) => a.line - b.line),
      rejectedTotal: this.rejectedTotal,
      duplicates: this.duplicates,
      duplicatesTotal: this.duplicatesTotal,
      layout: scan.layout,
      encoding: scan.encoding,
      committed,
      warnings,
    };
  }

  /** Stored schools of the file's départements that the file does not list. */
  private absent(): number {
    let absent = 0;
    for (const [uai, { departmentCode }] of this.stored)
      if (this.departments.has(departmentCode) && !this.firstLineOf.has(uai)) absent++;
    return absent;
  }
}
