import { createHash } from "node:crypto";
import fs from "node:fs";
import type ExcelJS from "exceljs";
import {
  type CsvRecord,
  CsvTokenizer,
  createDecoder,
  detectFileEncoding,
  detectSeparator,
  type FileEncoding,
  loadExcel,
} from "../../platform/index.ts";
import { cleanCell } from "./cells.ts";
import type { RowIssue } from "./types.ts";

/**
 * Reading an import file by its path, in slices (never whole in memory): CSV in UTF-8 with or
 * without BOM, Windows-1252 or UTF-16, any line end, `;` `,` or tab, quoted fields (platform's
 * `CsvTokenizer`); or the first sheet of an XLSX workbook (exceljs's streaming reader). The
 * header's labels lose any BOM (a re-saved file may carry one inside the first label, even in
 * quotes); the cells are cleaned as `cells.ts` says. A row whose cell count is not the header's
 * (a truncated last line, an unclosed quote) comes with its issue, for the runner to reject it.
 * A file that is not a table at all (binary bytes, an archive) is refused with a `FileRefusal`.
 */

export type TableFormat = "csv" | "xlsx";

export interface TableInfo {
  readonly format: TableFormat;
  /** The text encoding (CSV), or null (XLSX). */
  readonly encoding: FileEncoding | null;
  readonly separator: string | null;
  readonly sha256: string;
  readonly size: number;
  /** An uncertain encoding, to check the accents. */
  readonly warning?: string;
}

export interface TableRow {
  /** Physical line where the row starts (the sheet's row number in XLSX). */
  readonly line: number;
  readonly cells: string[];
  /** Why the row cannot be read (wrong cell count, unclosed quote): rejected as is. */
  readonly issue?: RowIssue;
}

export interface TableHeader {
  readonly line: number;
  readonly labels: readonly string[];
}

/** A file-level refusal (binary bytes, no header…), in French. */
export class FileRefusal extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
    readonly column: string | null = null,
  ) {
    super(message);
    this.name = "FileRefusal";
  }
}

export interface ReadOptions {
  /** Bytes read at a time (tests use small slices to cross every boundary). */
  readonly sliceBytes?: number;
  /** The file's name (its extension says XLSX when its bytes do too). */
  readonly fileName?: string;
}

const DEFAULT_SLICE_BYTES = 64 * 1024;
/**
 * The position of the first control character that never occurs in a text table (tab, CR, LF
 * and form feed excepted), or -1.
 */
function firstBinary(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 127) return i;
  }
  return -1;
}
const BOM = /\uFEFF/g;

function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

async function fileHead(file: string, n: number): Promise<Uint8Array> {
  const handle = await fs.promises.open(file, "r");
  try {
    const buffer = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buffer, 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** What a binary file is most likely, to say so in the refusal. */
function binaryKind(head: Uint8Array): string {
  const text = Buffer.from(head.subarray(0, 8)).toString("latin1");
  if (text.startsWith("%PDF")) return " (un PDF)";
  if (head[0] === 0x1f && head[1] === 0x8b) return " (une archive gzip)";
  if (head[0] === 0xd0 && head[1] === 0xcf) return " (un classeur Excel .xls d'avant 2007)";
  if (isZip(head)) return " (une archive ZIP)";
  return "";
}

function binaryRefusal(line: number, head: Uint8Array): FileRefusal {
  return new FileRefusal(
    `Le fichier n'est pas un tableau CSV : il contient des octets binaires${binaryKind(head)}, ligne ${line}. Exportez-le en CSV (séparateur « ; », UTF-8) ou en XLSX, puis renvoyez-le.`,
    line,
  );
}

/** Opens a table file: its format, encoding and separator, its header, then its rows in slices. */
export async function openTable(file: string, options: ReadOptions = {}): Promise<TableReading> {
  const head = await fileHead(file, 8);
  if (isZip(head)) {
    if (options.fileName && !/\.xlsx$/i.test(options.fileName) && !/\.xlsm$/i.test(options.fileName))
      throw new FileRefusal(
        `Le fichier est une archive ZIP, pas un tableau : seuls les CSV et les classeurs XLSX sont lus.`,
      );
    return XlsxReading.open(file);
  }
  return CsvReading.open(file, options.sliceBytes ?? DEFAULT_SLICE_BYTES);
}

export interface TableReading {
  readonly info: TableInfo;
  /** Bytes read so far (the progress of a reading). */
  readonly bytesRead: number;
  /** The header (first non-empty row) then the rows, slice by slice; read once. */
  read(): AsyncGenerator<{ header: TableHeader } | { rows: TableRow[] }>;
}

function headerOf(line: number, fields: readonly string[]): TableHeader {
  return { line, labels: fields.map((f) => f.replace(BOM, "").trim()) };
}

const isBlank = (fields: readonly string[]) => fields.every((f) => f.trim() === "");

/** The row as the runner sees it: cleaned cells, or its issue when its shape is wrong. */
function shapeRow(record: CsvRecord, header: TableHeader): TableRow {
  const cells = record.fields.map(cleanCell);
  const width = header.labels.length;
  if (record.unterminatedQuote) {
    const column = header.labels[Math.min(record.fields.length, width) - 1] ?? null;
    return {
      line: record.line,
      cells,
      issue: {
        line: record.line,
        column,
        reason:
          "guillemet ouvert jamais fermé : la ligne est tronquée (le fichier a-t-il été coupé ?), elle n'est pas lue",
      },
    };
  }
  if (record.fields.length < width) {
    return {
      line: record.line,
      cells,
      issue: {
        line: record.line,
        column: header.labels[record.fields.length] ?? null,
        reason: `la ligne compte ${record.fields.length} colonne${record.fields.length > 1 ? "s" : ""} au lieu de ${width} : elle est tronquée, elle n'est pas lue`,
      },
    };
  }
  if (record.fields.length > width) {
    const extra = record.fields.slice(width).filter((f) => f.trim() !== "");
    // Trailing empty cells (a spreadsheet's last separator) are harmless.
    if (extra.length > 0)
      return {
        line: record.line,
        cells,
        issue: {
          line: record.line,
          column: null,
          reason: `la ligne compte ${record.fields.length} colonnes au lieu de ${width} (cellules en trop : « ${extra[0]?.slice(0, 40)} ») : le séparateur apparaît-il dans une cellule sans guillemets ?`,
        },
      };
    cells.length = width;
  }
  return { line: record.line, cells };
}

class CsvReading implements TableReading {
  bytesRead = 0;
  private constructor(
    private readonly file: string,
    readonly info: TableInfo,
    private readonly sliceBytes: number,
  ) {}

  static async open(file: string, sliceBytes: number): Promise<CsvReading> {
    const detection = await detectFileEncoding(file);
    const info: TableInfo = {
      format: "csv",
      encoding: detection.encoding,
      separator: null,
      sha256: detection.sha256,
      size: detection.size,
      ...(detection.warning ? { warning: detection.warning } : {}),
    };
    return new CsvReading(file, info, sliceBytes);
  }

  async *read(): AsyncGenerator<{ header: TableHeader } | { rows: TableRow[] }> {
    const decoder = createDecoder(this.info.encoding as FileEncoding);
    let header: TableHeader | null = null;
    let pending: CsvRecord[] = [];
    let tokenizer: CsvTokenizer | null = null;
    let headText = "";
    let firstBytes: Uint8Array | null = null;
    let line = 1;
    const feed = (text: string, last: boolean) => {
      const at = firstBinary(text);
      if (at !== -1) {
        throw binaryRefusal(line + countLines(text.slice(0, at)), firstBytes ?? new Uint8Array());
      }
      line += countLines(text);
      if (!tokenizer) {
        headText += text;
        const eol = headText.search(/\r|\n/);
        if (eol === -1 && !last) return;
        const separator = detectSeparator(eol === -1 ? headText : headText.slice(0, eol));
        (this.info as { separator: string | null }).separator = separator;
        tokenizer = new CsvTokenizer(separator, (r) => pending.push(r));
        text = headText;
        headText = "";
      }
      tokenizer.push(text);
    };
    const drain = function* (): Generator<{ header: TableHeader } | { rows: TableRow[] }> {
      const rows: TableRow[] = [];
      for (const record of pending) {
        if (isBlank(record.fields) && !record.unterminatedQuote) continue;
        if (!header) {
          header = headerOf(record.line, record.fields);
          yield { header };
          continue;
        }
        rows.push(shapeRow(record, header));
      }
      pending = [];
      if (rows.length > 0) yield { rows };
    };
    for await (const chunk of fs.createReadStream(this.file, { highWaterMark: this.sliceBytes })) {
      firstBytes ??= new Uint8Array(chunk as Buffer).subarray(0, 8);
      this.bytesRead += (chunk as Buffer).length;
      feed(decoder.write(chunk as Buffer), false);
      yield* drain();
    }
    feed(decoder.end(), true);
    (tokenizer as CsvTokenizer | null)?.end();
    yield* drain();
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

const XLSX_SLICE_ROWS = 2000;

/** A cell of a workbook as the text a CSV export would have written. */
function xlsxText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "Oui" : "Non";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("result" in value) return xlsxText((value.result ?? null) as ExcelJS.CellValue);
    if ("text" in value) return String(value.text);
    if ("error" in value) return "";
  }
  return String(value);
}

class XlsxReading implements TableReading {
  /** exceljs does not say how far it has read: the progress jumps from 0 to the end. */
  bytesRead = 0;
  private constructor(
    private readonly file: string,
    readonly info: TableInfo,
  ) {}

  static async open(file: string): Promise<XlsxReading> {
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return new XlsxReading(file, {
      format: "xlsx",
      encoding: null,
      separator: null,
      sha256: hash.digest("hex"),
      size,
    });
  }

  async *read(): AsyncGenerator<{ header: TableHeader } | { rows: TableRow[] }> {
    const Excel = await loadExcel();
    const workbook = new Excel.stream.xlsx.WorkbookReader(this.file, {
      worksheets: "emit",
      sharedStrings: "cache",
      hyperlinks: "ignore",
      styles: "cache",
      entries: "ignore",
    });
    let header: TableHeader | null = null;
    let rows: TableRow[] = [];
    try {
      for await (const sheet of workbook) {
        for await (const row of sheet) {
          const values = Array.isArray(row.values) ? row.values.slice(1) : [];
          const fields = Array.from(values, (v) => xlsxText(v as ExcelJS.CellValue));
          if (isBlank(fields)) continue;
          if (!header) {
            header = headerOf(row.number, fields);
            yield { header };
            continue;
          }
          const width = header.labels.length;
          // A sheet has no truncated line: missing cells at the end are empty cells.
          while (fields.length < width) fields.push("");
          rows.push(shapeRow({ fields, line: row.number, unterminatedQuote: false }, header));
          if (rows.length >= XLSX_SLICE_ROWS) {
            yield { rows };
            rows = [];
          }
        }
        // The first sheet only: the others are notes, lists, pivots.
        break;
      }
    } catch (err) {
      if (err instanceof FileRefusal) throw err;
      throw new FileRefusal(
        `Le classeur XLSX est illisible (${err instanceof Error ? err.message : String(err)}) : enregistrez-le de nouveau, ou exportez-le en CSV.`,
      );
    }
    this.bytesRead = this.info.size;
    if (rows.length > 0) yield { rows };
  }
}
