import { createHash } from "node:crypto";
import fs from "node:fs";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import {
  type CsvRecord,
  CsvTokenizer,
  createDecoder,
  detectEncoding,
  detectFileEncoding,
  detectSeparator,
  FILE_SLICE_BYTES,
  type FileEncoding,
  releaseGarbage,
} from "../../platform/index.ts";
import type { SchoolRecord } from "../school-record.ts";
import { type AnnuaireField, columnLabel, type ResolvedColumns, resolveColumns } from "./columns.ts";
import { AnnuaireFormatError } from "./errors.ts";
import { mapAnnuaireRow, type RowRejection } from "./map-row.ts";
import { StringPool } from "./string-pool.ts";
import { WarningCounter } from "./warnings.ts";

export interface AnnuaireDuplicate {
  line: number;
  uai: string;
  firstLine: number;
}

/** What a file says, before any comparison with the database. */
export interface ParsedAnnuaire {
  /** Export version recognised from the columns: "2023", "2026" or "inconnue". */
  layout: string;
  /** "utf-8-bom", "utf-8", "windows-1252"… (see FileEncoding). */
  encoding: FileEncoding | string;
  separator: string;
  /** Data rows read (blank rows are not counted). */
  read: number;
  /** One record per UAI, in file order (the first occurrence of a repeated UAI). */
  records: SchoolRecord[];
  /** The file line of each record (same order), for rejections decided after parsing. */
  recordLines?: number[];
  rejected: RowRejection[];
  duplicates: AnnuaireDuplicate[];
  warnings: string[];
  /** SHA-256 of the file's bytes, hex. */
  fileSha256: string;
}

/** Fields a usable file cannot do without; the others are left empty when their column is missing. */
const REQUIRED: readonly { field: AnnuaireField; label: string }[] = [
  { field: "uai", label: "Identifiant_de_l_etablissement (UAI)" },
  { field: "name", label: "Nom_etablissement" },
];
const EXPECTED: readonly AnnuaireField[] = [
  "departmentCode",
  "natureCode",
  "publicPrivate",
  "communeName",
  "state",
  "latitude",
  "longitude",
];

/** An Annuaire file: its bytes in memory, or the path of a file read in slices. */
export type AnnuaireInput = Uint8Array | string;

/** What a scan says about the file as a whole (its rows went to the visitor). */
export interface AnnuaireScan {
  layout: string;
  encoding: FileEncoding | string;
  separator: string;
  /** Data rows read (blank rows are not counted). */
  read: number;
  warnings: string[];
  /** SHA-256 of the file's bytes, hex. */
  fileSha256: string;
}

/** Receives the rows of a scan, in file order. */
export interface AnnuaireRowVisitor {
  record(record: SchoolRecord, line: number): void;
  rejected(rejection: RowRejection): void;
  /** Awaited after each slice of the file (about 1 MB): where a caller writes what it gathered. */
  slice?(): Promise<void>;
}

/**
 * Reads an Annuaire de l'éducation CSV export row by row, in slices of about 1 MB: encoding
 * (UTF-8 with or without BOM, Windows-1252), separator, columns by name in any export version,
 * rows mapped to SchoolRecords handed to `visitor` and then forgotten. Memory stays that of one
 * slice whatever the file's size (a path is never read whole). Never throws on a row; throws an
 * AnnuaireFormatError only when the file as a whole cannot be an Annuaire export. Duplicates are
 * the caller's business (it keeps the keys it needs).
 */
export async function scanAnnuaire(input: AnnuaireInput, visitor: AnnuaireRowVisitor): Promise<AnnuaireScan> {
  const detection =
    typeof input === "string"
      ? await detectFileEncoding(input)
      : { ...detectEncoding(input), sha256: createHash("sha256").update(input).digest("hex") };
  const warnings = new WarningCounter();
  if (detection.warning) warnings.file(detection.warning);

  let columns: ResolvedColumns | undefined;
  let separator = ";";
  let read = 0;
  const pool = new StringPool();

  const onRecord = (row: CsvRecord) => {
    if (isBlank(row.fields)) return;
    if (!columns) {
      columns = checkedColumns(row.fields, warnings);
      return;
    }
    read++;
    if (row.unterminatedQuote) {
      visitor.rejected({
        line: row.line,
        uai: "",
        reason: "Guillemet ouvert et jamais fermé : la suite du fichier n'a pas pu être lue",
      });
      return;
    }
    const result = mapAnnuaireRow(row.fields, row.line, columns, warnings, pool);
    if (result.ok) visitor.record(result.record, row.line);
    else visitor.rejected(result.rejection);
  };

  const decoder = createDecoder(detection.encoding);
  let tokenizer: CsvTokenizer | undefined;
  let pending = "";
  const feed = (text: string, last: boolean) => {
    if (!tokenizer) {
      // The separator is guessed from the header line, so wait until it is complete.
      pending += text;
      const headerLine = /^[\s]*([^\r\n]*)(\r|\n)/.exec(pending)?.[1];
      if (headerLine === undefined && !last) return;
      separator = detectSeparator(headerLine ?? pending);
      tokenizer = new CsvTokenizer(separator, onRecord);
      text = pending;
      pending = "";
    }
    tokenizer.push(text);
  };
  for await (const slice of slices(input)) {
    feed(decoder.write(slice), false);
    await visitor.slice?.();
    // What the slice allocated is garbage now: collected before it piles up (platform/memory.ts).
    releaseGarbage();
    // Other requests are served between two slices (the embedded server has one thread).
    await yieldToEventLoop();
  }
  feed(decoder.end(), true);
  tokenizer?.end();
  await visitor.slice?.();

  if (!columns) throw new AnnuaireFormatError("empty_file", "Le fichier est vide : aucune ligne d'en-tête.");
  if (read === 0)
    warnings.file("Le fichier ne contient que la ligne d'en-tête : aucun établissement à importer");
  return {
    layout: columns.layout,
    encoding: detection.encoding,
    separator,
    read,
    warnings: warnings.list(),
    fileSha256: detection.sha256,
  };
}

/** The input in slices of FILE_SLICE_BYTES: views of the bytes, or reads of the file. */
async function* slices(input: AnnuaireInput): AsyncGenerator<Uint8Array> {
  if (typeof input !== "string") {
    for (let offset = 0; offset < input.length; offset += FILE_SLICE_BYTES)
      yield input.subarray(offset, offset + FILE_SLICE_BYTES);
    return;
  }
  for await (const chunk of fs.createReadStream(input, { highWaterMark: FILE_SLICE_BYTES }))
    yield chunk as Buffer;
}

/**
 * Reads a whole Annuaire export into memory (tests, small files): the rows of `scanAnnuaire`, one
 * record per UAI in file order (the first importable occurrence; the next ones are duplicates).
 */
export async function parseAnnuaire(input: AnnuaireInput): Promise<ParsedAnnuaire> {
  const records: SchoolRecord[] = [];
  const recordLines: number[] = [];
  const rejected: RowRejection[] = [];
  const duplicates: AnnuaireDuplicate[] = [];
  const firstLineOf = new Map<string, number>();
  const scan = await scanAnnuaire(input, {
    rejected: (rejection) => rejected.push(rejection),
    record: (record, line) => {
      // Duplicates are counted among importable rows: if a first occurrence is rejected, the
      // next valid one is the one imported.
      const firstLine = firstLineOf.get(record.uai);
      if (firstLine !== undefined) {
        duplicates.push({ line, uai: record.uai, firstLine });
        return;
      }
      firstLineOf.set(record.uai, line);
      records.push(record);
      recordLines.push(line);
    },
  });
  return { ...scan, records, recordLines, rejected, duplicates };
}

function isBlank(fields: readonly string[]): boolean {
  for (const f of fields) if (f.trim() !== "") return false;
  return true;
}

function checkedColumns(header: readonly string[], warnings: WarningCounter): ResolvedColumns {
  const columns = resolveColumns(header);
  const missing = REQUIRED.filter(({ field }) => columns.index[field] === undefined);
  if (missing.length > 0) {
    const seen = header
      .slice(0, 8)
      .map((h) => `« ${h.trim().slice(0, 40)} »`)
      .join(", ");
    throw new AnnuaireFormatError(
      "missing_columns",
      `Colonne${missing.length > 1 ? "s" : ""} introuvable${missing.length > 1 ? "s" : ""} : ${missing
        .map((m) => m.label)
        .join(
          ", ",
        )}. Ce fichier n'est pas un export CSV de l'Annuaire de l'éducation, ou sa première ligne n'est pas l'en-tête (colonnes lues : ${seen}${header.length > 8 ? ", …" : ""}).`,
    );
  }
  if (columns.layout === "inconnue") {
    warnings.file("Version d'export non reconnue : les colonnes ont été reconnues par leur nom");
  }
  const absent = EXPECTED.filter((field) => columns.index[field] === undefined);
  if (absent.length > 0) {
    warnings.file(
      `Colonnes absentes, valeurs laissées vides ou déduites : ${absent.map((field) => columnLabel(columns, field)).join(", ")}`,
    );
  }
  if (columns.repeated.length > 0) {
    warnings.file(`Colonnes en double (la première est lue) : ${columns.repeated.join(", ")}`);
  }
  return columns;
}
