import { createHash } from "node:crypto";
import fs from "node:fs";
import type { Kysely } from "kysely";
import {
  AppError,
  type CsvRecord,
  CsvTokenizer,
  codeCell,
  createDecoder,
  type Database,
  decimalCell,
  detectEncoding,
  detectFileEncoding,
  detectSeparator,
  type FileEncoding,
} from "../platform/index.ts";
import { checkUai, findSchoolIds } from "../territories/index.ts";
import {
  type Catalogue,
  disaggregationKey,
  ensureDataElements,
  parseDisaggregationKey,
} from "./catalogue.ts";
import { checkValue, valueRule } from "./domain/bounds.ts";
import { parsePeriod } from "./domain/periods.ts";
import { type SchoolValueInput, writeSchoolValues } from "./store.ts";

/**
 * Import of school values from a CSV file in long format — one line per school, data element,
 * period and disaggregation:
 *
 *     uai;element;periode;ventilation;valeur
 *     0330001A;computers;2024-2025;;112
 *     0330001A;ent_connections;2025-03;profile=pupil;4 512
 *
 * French habits are accepted (`;` or `,`, Windows-1252, decimal comma, `NA`/empty = missing, so
 * the line is skipped). Like every import it runs first as a dry run; the commit writes the
 * accepted lines in one transaction with its import batch, and re-importing the same file
 * changes nothing (unchanged values are not rewritten and trigger no roll-up).
 *
 * Hygiene (issue 9): a line whose cell count differs from the header's is rejected (« la ligne
 * compte N colonnes au lieu de M »), so that a shifted or padded line is never half read; each
 * value is checked against its element's type and bounds (an integer has no decimal part); a bad
 * cell is echoed on at most 80 characters. The file is read in slices (never whole, decoded or as
 * records) and the report keeps the first 1 000 rejections and duplicates, with their totals.
 */

export interface ValueLineError {
  line: number;
  column: string;
  reason: string;
}

export interface ValuesImportReport {
  fileName: string;
  encoding: string;
  read: number;
  accepted: number;
  missing: number;
  /** The first REPORT_LIST_CAP rejections (all of them: `rejectedTotal`). */
  rejected: ValueLineError[];
  rejectedTotal: number;
  /** The first REPORT_LIST_CAP duplicates (all of them: `duplicatesTotal`). */
  duplicates: { line: number; firstLine: number }[];
  duplicatesTotal: number;
  unknownUai: number;
  /** After a commit: lines written (new or changed) and unchanged. */
  written: number;
  unchanged: number;
  /** After a commit: values stored but held for review (implausible among their peers). */
  held: number;
  committed: boolean;
  batchId: string | null;
}

/** A values file: its bytes (tests, small uploads) or a path read in slices (the CLI). */
export type ValuesInput = Uint8Array | { readonly path: string };

/**
 * Bytes read at a time. Smaller than the platform's FILE_SLICE_BYTES on purpose: the text of a
 * 64 KiB slice and its records die young, whereas each megabyte-long decoded string lands in
 * V8's large-object space and stays until a full collection (measured on a 63 MB file: peak heap
 * 146 MB with 1 MiB slices, 52 MB with 64 KiB).
 */
const VALUES_SLICE_BYTES = 64 * 1024;

/** Rejections and duplicates kept in a report; beyond, only their totals grow. */
export const REPORT_LIST_CAP = 1000;
/** Characters of a bad cell quoted in a rejection. */
export const ECHO_MAX = 80;

/**
 * A string of its own. The tokenizer's cells are slices of the decoded text: a cell kept past its
 * slice (a school's UAI, a reason in the report) would keep the whole megabyte of text alive, and
 * with it, over a national file, the whole file.
 */
function detach(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

/** A cell as quoted in a message: at most ECHO_MAX characters, then « … ». */
export function echo(cell: string): string {
  return cell.length > ECHO_MAX ? `${cell.slice(0, ECHO_MAX)}…` : cell;
}

const COLUMN_ALIASES: Record<string, readonly string[]> = {
  uai: ["uai", "code_uai", "numero_uai", "identifiant_de_l_etablissement"],
  element: ["element", "data_element", "code_element", "element_de_donnee"],
  period: ["periode", "period"],
  disaggregation: ["ventilation", "disaggregation"],
  value: ["valeur", "value"],
};
const COLUMN_LABELS: Record<string, string> = {
  uai: "uai",
  element: "element",
  period: "periode",
  disaggregation: "ventilation",
  value: "valeur",
};

function normalize(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/** A values file that cannot be read at all (no header, missing columns): nothing is imported. */
export class ValuesFormatError extends AppError {
  constructor(message: string) {
    super(400, "invalid_file", message);
    this.name = "ValuesFormatError";
  }
}

/** The file's encoding and SHA-256, from a first reading (in slices for a path). */
async function inspect(input: ValuesInput): Promise<{ encoding: FileEncoding; sha256: string }> {
  if (input instanceof Uint8Array)
    return {
      encoding: detectEncoding(input).encoding,
      sha256: createHash("sha256").update(input).digest("hex"),
    };
  const detection = await detectFileEncoding(input.path);
  return { encoding: detection.encoding, sha256: detection.sha256 };
}

async function* byteSlices(input: ValuesInput, sliceBytes: number): AsyncGenerator<Uint8Array> {
  if (input instanceof Uint8Array) {
    for (let i = 0; i < input.length; i += sliceBytes) yield input.subarray(i, i + sliceBytes);
    return;
  }
  for await (const chunk of fs.createReadStream(input.path, { highWaterMark: sliceBytes }))
    yield chunk as Buffer;
}

/**
 * The file's records, slice by slice: the text is decoded and tokenized as it is read, and only
 * the records of the current slice are held. The separator is guessed from the header line.
 */
async function* recordSlices(
  input: ValuesInput,
  encoding: FileEncoding,
  sliceBytes: number,
): AsyncGenerator<CsvRecord[]> {
  const decoder = createDecoder(encoding);
  let pending: CsvRecord[] = [];
  let tokenizer: CsvTokenizer | null = null;
  let head = "";
  const feed = (text: string, last: boolean) => {
    if (!tokenizer) {
      head += text;
      const eol = head.search(/\r|\n/);
      if (eol === -1 && !last) return;
      tokenizer = new CsvTokenizer(detectSeparator(eol === -1 ? head : head.slice(0, eol)), (r) =>
        pending.push(r),
      );
      text = head;
      head = "";
    }
    tokenizer.push(text);
  };
  for await (const bytes of byteSlices(input, sliceBytes)) {
    feed(decoder.write(bytes), false);
    if (pending.length > 0) {
      yield pending;
      pending = [];
    }
  }
  feed(decoder.end(), true);
  (tokenizer as CsvTokenizer | null)?.end();
  if (pending.length > 0) yield pending;
}

interface Columns {
  readonly index: ReadonlyMap<string, number>;
  readonly width: number;
}

function readHeader(header: CsvRecord | undefined): Columns {
  if (!header) throw new ValuesFormatError("Fichier vide : la ligne d'en-tête est absente.");
  const index = new Map<string, number>();
  header.fields.forEach((h, i) => {
    const n = normalize(h);
    for (const [field, aliases] of Object.entries(COLUMN_ALIASES))
      if (aliases.includes(n) && !index.has(field)) index.set(field, i);
  });
  const missingColumns = ["uai", "element", "period", "value"].filter((c) => !index.has(c));
  if (missingColumns.length > 0) {
    throw new ValuesFormatError(
      `Colonnes obligatoires absentes : ${missingColumns.map((c) => COLUMN_LABELS[c]).join(", ")} (en-tête attendu : uai;element;periode;ventilation;valeur).`,
    );
  }
  return { index, width: header.fields.length };
}

type AcceptedValue = SchoolValueInput & { line: number };

/**
 * The first line of each key, in two typed arrays (open addressing, linear probing): a million
 * keys take 24 MB and no garbage, where a Map of numbers took about 100 MB and kept the
 * collector busy. Keys are integers below 2^53 (LineKeys), -1 marks an empty slot.
 */
export class FirstLines {
  private keys: Float64Array;
  private lines: Int32Array;
  private count = 0;

  /** `capacity`: a power of two (tests start small to go through the growths). */
  constructor(capacity = 1 << 16) {
    this.keys = new Float64Array(capacity).fill(-1);
    this.lines = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The line already recorded for this key, or undefined after recording `line` for it. */
  firstOrSet(key: number, line: number): number | undefined {
    if (this.count * 2 >= this.keys.length) this.grow();
    const slot = this.find(key);
    if (this.keys[slot] === key) return this.lines[slot];
    this.keys[slot] = key;
    this.lines[slot] = line;
    this.count++;
    return undefined;
  }

  private find(key: number): number {
    const mask = this.keys.length - 1;
    // Mixes the high bits in: keys differ mostly in their low bits (the disaggregation) and high
    // bits (the school).
    let slot = (Math.imul((key % 4294967296) ^ Math.floor(key / 4294967296), 0x9e3779b1) >>> 0) & mask;
    while (this.keys[slot] !== -1 && this.keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const keys = this.keys;
    const lines = this.lines;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.lines = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as number;
      if (k === -1) continue;
      const slot = this.find(k);
      this.keys[slot] = k;
      this.lines[slot] = lines[i] as number;
    }
  }
}

/**
 * The key of a line (school, element, period, disaggregation) as one number: a million keys take
 * tens of megabytes as numbers, hundreds as strings. Each part is numbered the first time it is
 * seen (at most 2^20 schools, 2^8 elements, 2^12 periods, 2^13 disaggregations: 53 bits).
 */
class LineKeys {
  private readonly numbers = [
    new Map<string, number>(),
    new Map<string, number>(),
    new Map<string, number>(),
  ];

  private numberOf(part: 0 | 1 | 2, text: string): number {
    const map = this.numbers[part] as Map<string, number>;
    let n = map.get(text);
    if (n === undefined) {
      n = map.size;
      map.set(detach(text), n);
    }
    return n;
  }

  key(schoolNumber: number, element: string, period: string, disaggregation: string): number {
    const e = this.numberOf(0, element);
    const p = this.numberOf(1, period);
    const d = this.numberOf(2, disaggregation);
    if (schoolNumber >= 2 ** 20 || e >= 2 ** 8 || p >= 2 ** 12 || d >= 2 ** 13)
      throw new ValuesFormatError(
        "Fichier trop varié pour un seul import : découpez-le (par académie ou par période).",
      );
    return ((schoolNumber * 2 ** 8 + e) * 2 ** 12 + p) * 2 ** 13 + d;
  }
}

/** What one line gives: a value, a missing value (skipped), or a rejection. */
type LineOutcome =
  | { kind: "value"; value: AcceptedValue; key: number }
  | { kind: "missing" }
  | { kind: "rejected"; column: string; reason: string; unknownUai?: boolean };

/** A school of the file: its id, académie and a number of its own in this import (for the keys). */
type KnownSchool = { id: string; academyCode: string; number: number };
type SchoolLookup = ReadonlyMap<string, KnownSchool | null>;

const reject = (column: string, reason: string, unknownUai = false): LineOutcome => ({
  kind: "rejected",
  column: COLUMN_LABELS[column] ?? column,
  reason,
  ...(unknownUai ? { unknownUai } : {}),
});

/** The cell count, then the cells one by one, in the columns' order. */
function readLine(
  r: CsvRecord,
  cols: Columns,
  catalogue: Catalogue,
  schools: SchoolLookup,
  keys: LineKeys,
): LineOutcome {
  if (r.unterminatedQuote)
    return reject("uai", "guillemet non refermé : la fin du fichier a été atteinte dans cette cellule");
  if (r.fields.length !== cols.width) {
    const extra = r.fields.slice(cols.width).filter((c) => c.trim() !== "");
    const detail = extra.length > 0 ? ` (cellules en trop : « ${echo(extra.join(" ; "))} »)` : "";
    return reject("ligne", `la ligne compte ${r.fields.length} colonnes au lieu de ${cols.width}${detail}`);
  }
  const cell = (field: string) => {
    const i = cols.index.get(field);
    return i === undefined ? undefined : r.fields[i];
  };
  const uai = codeCell(cell("uai"))?.toUpperCase() ?? null;
  if (!uai) return reject("uai", "UAI manquant");
  if (uai.length > 16)
    return reject("uai", `UAI « ${echo(uai)} » mal formé (attendu : 7 chiffres et une lettre)`);
  const uaiCheck = checkUai(uai);
  if (!uaiCheck.ok) return reject("uai", uaiCheck.reason);
  const school = schools.get(uai);
  if (!school) return reject("uai", `UAI ${uai} inconnu de Vigie (importez d'abord l'Annuaire)`, true);
  const elementCode = codeCell(cell("element")) ?? "";
  const element = catalogue.elements.get(elementCode);
  if (!element)
    return reject(
      "element",
      elementCode ? `élément de donnée inconnu : « ${echo(elementCode)} »` : "élément de donnée manquant",
    );
  if (element.collectedAt !== "school")
    return reject(
      "element",
      `« ${elementCode} » se saisit au niveau ${element.collectedAt}, pas par établissement`,
    );
  const rawPeriod = codeCell(cell("period")) ?? "";
  const period = parsePeriod(rawPeriod.length > 40 ? echo(rawPeriod) : rawPeriod);
  if (!period.ok) return reject("period", period.reason);
  const rawDis = codeCell(cell("disaggregation")) ?? "";
  const dis = parseDisaggregationKey(rawDis.replace(/\s/g, ""));
  const badKey = Object.keys(dis).find((k) => !element.disaggregations.includes(k));
  if (badKey || (rawDis !== "" && Object.keys(dis).length === 0))
    return reject(
      "disaggregation",
      `ventilation « ${echo(rawDis)} » non prévue pour « ${elementCode} » (possibles : ${element.disaggregations.join(", ") || "aucune"})`,
    );
  const badOption = Object.entries(dis).find(
    ([k, v]) => !catalogue.raw.disaggregations.find((d) => d.code === k)?.options.some((o) => o.code === v),
  );
  if (badOption)
    return reject(
      "disaggregation",
      `option « ${echo(badOption[1])} » inconnue pour la ventilation « ${echo(badOption[0])} »`,
    );
  const rawValue = cell("value") ?? "";
  const value = decimalCell(rawValue.replace(/[\s\u00a0\u202f]/g, ""));
  if (value === null) return { kind: "missing" };
  if (value === "invalid") return reject("value", `« ${echo(rawValue.trim())} » n'est pas un nombre`);
  const check = checkValue(elementCode, valueRule(element), value);
  if (!check.ok) {
    const reason =
      check.kind === "not-an-integer"
        ? `« ${echo(rawValue.trim())} » n'est pas un entier : « ${elementCode} » se compte en unités (le séparateur des milliers est une espace : 1 234)`
        : check.reason;
    return reject("value", reason);
  }
  const disKey = disaggregationKey(dis);
  return {
    kind: "value",
    key: keys.key(school.number, element.code, period.period.id, disKey),
    value: {
      line: r.line,
      schoolId: school.id,
      academyCode: school.academyCode,
      // The catalogue's own string, not the cell (a slice of the file's text).
      dataElement: element.code,
      period: detach(period.period.id),
      disaggregation: detach(disKey),
      value,
    },
  };
}

/** A blank line (one empty cell) is no line at all: spreadsheets leave some at the end. */
const isBlank = (r: CsvRecord) =>
  r.fields.length === 1 && (r.fields[0] as string).trim() === "" && !r.unterminatedQuote;

export async function importValues(
  db: Kysely<Database>,
  input: ValuesInput,
  options: {
    commit: boolean;
    fileName: string;
    /** Bytes read at a time (default VALUES_SLICE_BYTES); tests cut files at every place with it. */
    sliceBytes?: number;
  },
): Promise<ValuesImportReport> {
  const catalogue = await ensureDataElements(db);
  const { encoding, sha256 } = await inspect(input);
  const report: ValuesImportReport = {
    fileName: options.fileName,
    encoding,
    read: 0,
    accepted: 0,
    missing: 0,
    rejected: [],
    rejectedTotal: 0,
    duplicates: [],
    duplicatesTotal: 0,
    unknownUai: 0,
    written: 0,
    unchanged: 0,
    held: 0,
    committed: false,
    batchId: null,
  };
  let cols: Columns | null = null;
  // Schools seen so far (null: unknown); a nation holds 60 000, a file may have millions of lines.
  const schools = new Map<string, KnownSchool | null>();
  const keys = new LineKeys();
  const seen = new FirstLines();
  // Kept only for a commit: a dry run holds counts, the capped lists and the duplicates' keys.
  const accepted: AcceptedValue[] = [];
  const rejectLine = (line: number, column: string, reason: string) => {
    report.rejectedTotal++;
    if (report.rejected.length < REPORT_LIST_CAP)
      report.rejected.push({ line, column, reason: detach(reason) });
  };
  for await (const slice of recordSlices(input, encoding, options.sliceBytes ?? VALUES_SLICE_BYTES)) {
    let records = slice;
    if (!cols) {
      cols = readHeader(records[0]);
      records = records.slice(1);
    }
    await lookUpSchools(db, records, cols, schools);
    for (const r of records) {
      if (isBlank(r)) continue;
      report.read++;
      const outcome = readLine(r, cols, catalogue, schools, keys);
      if (outcome.kind === "missing") report.missing++;
      else if (outcome.kind === "rejected") {
        if (outcome.unknownUai) report.unknownUai++;
        rejectLine(r.line, outcome.column, outcome.reason);
      } else {
        const first = seen.firstOrSet(outcome.key, r.line);
        if (first !== undefined) {
          report.duplicatesTotal++;
          if (report.duplicates.length < REPORT_LIST_CAP)
            report.duplicates.push({ line: r.line, firstLine: first });
          rejectLine(
            r.line,
            "uai",
            `doublon de la ligne ${first} (même UAI, élément, période et ventilation)`,
          );
          continue;
        }
        report.accepted++;
        if (options.commit) accepted.push(outcome.value);
      }
    }
  }
  if (!cols) throw new ValuesFormatError("Fichier vide : la ligne d'en-tête est absente.");
  if (!options.commit || accepted.length === 0) return report;
  await commitValues(db, accepted, report, sha256, options.fileName);
  report.committed = true;
  return report;
}

/** Looks up, in one query per slice, the schools of the slice's lines not seen before. */
async function lookUpSchools(
  db: Kysely<Database>,
  records: readonly CsvRecord[],
  cols: Columns,
  schools: Map<string, KnownSchool | null>,
): Promise<void> {
  const i = cols.index.get("uai") as number;
  const wanted = new Set<string>();
  for (const r of records) {
    const u = codeCell(r.fields[i])?.toUpperCase();
    if (u && u.length <= 16 && !schools.has(u)) wanted.add(detach(u));
  }
  if (wanted.size === 0) return;
  const found = await findSchoolIds(db, wanted);
  for (const u of wanted) {
    const school = found.get(u);
    schools.set(u, school ? { ...school, number: schools.size } : null);
  }
}

async function commitValues(
  db: Kysely<Database>,
  accepted: readonly AcceptedValue[],
  report: ValuesImportReport,
  sha256: string,
  fileName: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Unchanged values are left alone: the same file twice changes nothing and refreshes nothing.
    const changed: SchoolValueInput[] = [];
    const existing = new Map<string, number>();
    const bySchool = [...new Set(accepted.map((a) => a.schoolId))];
    const elements = [...new Set(accepted.map((a) => a.dataElement))];
    for (let i = 0; i < bySchool.length; i += 2000) {
      const rows = await trx
        .selectFrom("data_value")
        .select(["school_id", "data_element_code", "period", "disaggregation", "value"])
        .where("school_id", "in", bySchool.slice(i, i + 2000))
        .where("data_element_code", "in", elements)
        .execute();
      for (const r of rows)
        existing.set(`${r.school_id}|${r.data_element_code}|${r.period}|${r.disaggregation}`, r.value);
    }
    for (const a of accepted) {
      const before = existing.get(`${a.schoolId}|${a.dataElement}|${a.period}|${a.disaggregation as string}`);
      if (before === a.value) report.unchanged++;
      else changed.push(a);
    }
    const batch = await trx
      .insertInto("import_batch")
      .values({
        kind: "values",
        file_name: fileName,
        file_sha256: sha256,
        committed_at: new Date(),
        report: JSON.stringify(report),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    report.batchId = batch.id;
    const result = await writeSchoolValues(trx, changed, { source: "import", importBatchId: batch.id });
    report.written = result.written;
    report.held = result.held.length;
  });
}

export function formatValuesReport(r: ValuesImportReport): string {
  const lines = [
    `Fichier : ${r.fileName} (${r.encoding})`,
    `Lignes lues : ${r.read} — acceptées : ${r.accepted} — valeurs manquantes ignorées : ${r.missing} — rejetées : ${r.rejectedTotal}`,
  ];
  if (r.unknownUai > 0) lines.push(`UAI inconnus : ${r.unknownUai}`);
  if (r.duplicatesTotal > 0) lines.push(`Doublons : ${r.duplicatesTotal}`);
  for (const e of r.rejected.slice(0, 50))
    lines.push(`  ligne ${e.line}, colonne « ${e.column} » : ${e.reason}`);
  if (r.rejectedTotal > 50) lines.push(`  … et ${r.rejectedTotal - 50} autres rejets`);
  lines.push(
    r.committed
      ? `Import appliqué (lot ${r.batchId}) : ${r.written} valeurs écrites, ${r.unchanged} inchangées${r.held > 0 ? `, ${r.held} retenues pour vérification (invraisemblables par rapport aux autres établissements)` : ""}.`
      : "Simulation : rien n'a été enregistré (ajoutez --commit pour appliquer).",
  );
  return lines.join("\n");
}
