import { createHash, randomBytes } from "node:crypto";
import {
  CRCN_COMPETENCES,
  type CrcnCompetence,
  crcnKey,
  findCompetence,
  levelOfPix,
  PIX_MAX_LEVEL,
  PIX_MAX_PER_COMPETENCE,
} from "../../../contracts/crcn.ts";
import type { MatchedHeader, ProfileContext, ProfileRow, RowIssue } from "../framework/types.ts";

/**
 * What the three Pix profiles share: cells (missing, yes/no, integers, dates), the school year
 * of a date, the class level a class label names, the one-way pupil key, and the competence
 * columns of a header. Pure; nothing here keeps a personal cell.
 */

// ——— cells ———

/** `NA` (what Pix writes after the date column of a participant who has not shared), `-` or empty. */
export function isMissing(cell: string | undefined): boolean {
  if (cell === undefined) return true;
  const t = cell.trim();
  return t === "" || /^(na|n\/a|-)$/i.test(t);
}

export function yesNo(cell: string | undefined): boolean | null | "invalid" {
  if (isMissing(cell)) return null;
  const t = (cell as string).trim().toLowerCase();
  if (t === "oui" || t === "o" || t === "yes" || t === "y" || t === "1" || t === "vrai") return true;
  if (t === "non" || t === "n" || t === "no" || t === "0" || t === "faux") return false;
  return "invalid";
}

/** A non-negative integer (a count of pix, a level, a number of skills); spaces as thousands separators allowed. */
export function integerCell(cell: string | undefined): number | null | "invalid" {
  // Fast path (every level and pix cell of a file): plain digits, read without a regular expression.
  if (cell !== undefined && cell.length > 0 && cell.length < 10) {
    let n = 0;
    let i = 0;
    for (; i < cell.length; i++) {
      const d = cell.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === cell.length) return n;
  }
  if (isMissing(cell)) return null;
  const t = (cell as string).replace(/[\s\u00a0\u202f]/g, "");
  if (!/^\d{1,9}$/.test(t)) return "invalid";
  return Number(t);
}

/**
 * A rate Pix writes as a fraction with a decimal comma (« 0,67 ») or, in some exports, as a
 * percentage (« 67 % »); returned in percent, 0 to 100.
 */
export function percentCell(cell: string | undefined): number | null | "invalid" {
  if (isMissing(cell)) return null;
  const t = (cell as string).replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  const withSign = /^(\d{1,3}(?:\.\d+)?)%$/.exec(t);
  if (withSign) {
    const v = Number(withSign[1]);
    return v <= 100 ? v : "invalid";
  }
  if (!/^\d(?:\.\d+)?$/.test(t)) return "invalid";
  const v = Number(t);
  return v <= 1 ? Math.round(v * 10000) / 100 : "invalid";
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > (DAYS_IN_MONTH[m - 1] as number)) return null;
  if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * The day of a Pix date: `YYYY-MM-DD` (older exports, optionally with a time), `DD/MM/YYYY` and
 * `DD/MM/YYYY HH:mm` (newer exports, Europe/Paris time: the day is the one written).
 */
export function pixDay(cell: string | undefined): string | null | "invalid" {
  if (isMissing(cell)) return null;
  const t = (cell as string).trim();
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(t);
  let day: string | null = null;
  let time: [string | undefined, string | undefined] = [undefined, undefined];
  if (iso) {
    day = validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    time = [iso[4], iso[5]];
  } else if (fr) {
    day = validDay(Number(fr[3]), Number(fr[2]), Number(fr[1]));
    time = [fr[4], fr[5]];
  }
  if (!day) return "invalid";
  if (time[0] !== undefined && (Number(time[0]) > 23 || Number(time[1]) > 59)) return "invalid";
  return day;
}

/** The school year (1 September → 31 August) of a day: `2024-10-03` → `2024-2025`. */
export function schoolYearOf(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const start = m >= 9 ? y : y - 1;
  return `${start}-${start + 1}`;
}

/** First and last day of a period in the indicators' syntax, or null when it is not one Vigie knows. */
export function periodBounds(period: string): readonly [string, string] | null {
  const school = /^(\d{4})-(\d{4})$/.exec(period);
  if (school && Number(school[2]) === Number(school[1]) + 1)
    return [`${school[1]}-09-01`, `${school[2]}-08-31`];
  if (/^\d{4}$/.test(period)) return [`${period}-01-01`, `${period}-12-31`];
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const m = Number(month[2]);
    if (m < 1 || m > 12) return null;
    const days = validDay(Number(month[1]), m, 31)
      ? 31
      : validDay(Number(month[1]), m, 30)
        ? 30
        : validDay(Number(month[1]), m, 29)
          ? 29
          : 28;
    return [`${period}-01`, `${period}-${days}`];
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return [period, period];
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) {
    const jan4 = Date.UTC(Number(week[1]), 0, 4);
    const monday =
      jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86400000 + (Number(week[2]) - 1) * 7 * 86400000;
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    return [iso(monday), iso(monday + 6 * 86400000)];
  }
  return null;
}

/** Why a row's day cannot be used: in the future, or outside the period asked. Null when it can. */
export function dayProblem(day: string, context: ProfileContext): string | null {
  if (day > context.today)
    return `date dans le futur (${frenchDay(day)}, après le ${frenchDay(context.today)})`;
  if (context.period) {
    const bounds = periodBounds(context.period);
    if (bounds && (day < bounds[0] || day > bounds[1]))
      return `date hors de la période ${context.period} (${frenchDay(day)})`;
  }
  return null;
}

export const frenchDay = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

// ——— class levels ———

const TECHNOLOGICAL = "stmg|sti2d|st2s|stl|std2a|sthr|stav|s2tmd";
const TERMINALE = new RegExp(
  `^(terminale|term|tle|tale)|^t(\\d|g[a-z]?\\d*$|gt|pro|bpro|${TECHNOLOGICAL}|(es|s|l)\\d*$|[a-z]?\\d*$)`,
);
const SECTION = /^[a-z]?\d*$/;

/**
 * The class level (`level` breakdown) a class label names, when it is recognisable: « 3e A »,
 * « 3A », « 3ème 2 », « 301 » → troisieme; « T1 », « TG2 », « Tle 3 », « Terminale B »,
 * « TSTMG » → terminale; « 2nde 4 », « 2GT3 », « 2PRO » → seconde; « 1G2 » → premiere_generale;
 * « 1STMG » → premiere_technologique; « 1PRO » → premiere_professionnelle; « 6e », « 5B »,
 * « 4ème » likewise. Null for anything else (« CAP 1 », « 1ère 3 » without its track, « Groupe
 * Pix »): such a class counts in the school's total only.
 */
export function levelOfClass(label: string | null | undefined): string | null {
  if (!label) return null;
  const k = crcnKey(label).replace(/[\s._/'-]+/g, "");
  if (k === "" || /cap/.test(k)) return null;
  if (TERMINALE.test(k)) return "terminale";
  if (/^(seconde|2nde|2nd|2de)/.test(k)) return "seconde";
  const premiere = /^(premiere|1ere|1re)(.*)$/.exec(k);
  if (premiere) return premiereOf(premiere[2] as string);
  const digit = /^([1-6])(ieme|eme|em|e)?(.*)$/.exec(k);
  if (!digit) return null;
  const rest = digit[3] as string;
  switch (digit[1]) {
    case "6":
      return SECTION.test(rest) ? "sixieme" : null;
    case "5":
      return SECTION.test(rest) ? "cinquieme" : null;
    case "4":
      return SECTION.test(rest) ? "quatrieme" : null;
    case "3":
      return SECTION.test(rest) || /^(prepa|pm|segpa|ulis)/.test(rest) ? "troisieme" : null;
    case "2":
      return SECTION.test(rest) || /^(gt|g\d|pro|bpro)/.test(rest) ? "seconde" : null;
    default:
      return premiereOf(rest);
  }
}

/** A première's track from what follows « 1 » / « 1ère »: G, a technological series, or PRO. */
function premiereOf(track: string): string | null {
  if (/^(g|gen|generale?)([a-z]?\d*)$/.test(track)) return "premiere_generale";
  if (new RegExp(`^(${TECHNOLOGICAL})`).test(track)) return "premiere_technologique";
  if (/^(pro|bpro|bacpro)/.test(track)) return "premiere_professionnelle";
  return null;
}

// ——— one-way pupil keys ———

/**
 * One-way keys for de-duplicating pupils during one import: SHA-256 of a random salt drawn for
 * the import and the normalised personal cells. The salt never leaves memory, so a key cannot be
 * recomputed from a name afterwards, and keys of two imports never match. The store keeps the
 * digest's first 64 bits (two pupils of a million share them with a probability of 3 × 10⁻⁸).
 */
export function pupilKeyer(): (parts: readonly (string | undefined)[]) => Buffer {
  const salt = randomBytes(16).toString("hex");
  return (parts) => {
    let text = salt;
    for (const p of parts) text += `\u0000${keyPart(p ?? "")}`;
    return createHash("sha256").update(text).digest();
  };
}

/** A personal cell as the key reads it: case and spaces ignored, and accents when there are any. */
function keyPart(text: string): string {
  const t = text.trim().toLowerCase();
  // Plain printable ASCII needs no Unicode normalisation (the costly part, once per row).
  return /[^\u0020-\u007e]/.test(t) ? crcnKey(t) : t.replace(/ +/g, " ");
}

// ——— header ———

/** A cell of a row by column key (undefined when the column is absent from the file). */
export function cellOf(header: MatchedHeader, row: ProfileRow, key: string): string | undefined {
  const i = header.columns.get(key);
  return i === undefined ? undefined : row.cells[i];
}

/** The column label as written in the file's header, for a rejection. */
export function labelOf(header: MatchedHeader, key: string): string | null {
  const i = header.columns.get(key);
  return i === undefined ? null : (header.labels[i] ?? null);
}

export function issue(header: MatchedHeader, row: ProfileRow, key: string | null, reason: string): RowIssue {
  return { line: row.line, column: key === null ? null : labelOf(header, key), reason };
}

/** Column indexes of a family, by competence (the family's item is the competence's name or code). */
export interface CompetenceColumns {
  readonly byCompetence: ReadonlyMap<string, number>;
  /** Items of the family that name no CRCN competence. */
  readonly unknown: readonly string[];
}

export function competenceColumns(header: MatchedHeader, family: string): CompetenceColumns {
  const byCompetence = new Map<string, number>();
  const unknown: string[] = [];
  for (const [item, index] of header.families.get(family) ?? new Map<string, number>()) {
    const c = findCompetence(item);
    if (c) byCompetence.set(c.code, index);
    else unknown.push(item);
  }
  return { byCompetence, unknown };
}

/** The competences in the CRCN order. */
export const COMPETENCE_CODES: readonly string[] = CRCN_COMPETENCES.map((c) => c.code);
export const COMPETENCE_BY_CODE: ReadonlyMap<string, CrcnCompetence> = new Map(
  CRCN_COMPETENCES.map((c) => [c.code, c]),
);

/**
 * A competence's level and pix as Pix Orga writes them: level 0 to 8, pix 0 to 64, and the level
 * the pix give (8 per level). The French reason when they do not fit.
 */
export function checkCompetence(level: number, pix: number | null): string | null {
  if (level > PIX_MAX_LEVEL) return `niveau ${level} hors de l'échelle 0 à ${PIX_MAX_LEVEL}`;
  if (pix === null) return null;
  if (pix > PIX_MAX_PER_COMPETENCE)
    return `${pix} pix pour une compétence (au plus ${PIX_MAX_PER_COMPETENCE})`;
  if (levelOfPix(pix) !== level)
    return `${pix} pix ne correspondent pas au niveau ${level} (8 pix par niveau : ${pix} pix donnent le niveau ${levelOfPix(pix)})`;
  return null;
}

/** A label's words, to recognise another Pix export in a header (`checkHeader` of each profile). */
export function hasLabel(header: MatchedHeader, label: string): boolean {
  const key = crcnKey(label);
  return header.labels.some((l) => crcnKey(l.replace(/^\uFEFF/, "")) === key);
}

/** Which Pix export a header is, from the columns only that export has. */
export function pixExportOf(
  header: MatchedHeader,
): "pix-profiles" | "pix-assessment" | "pix-certification" | null {
  if (hasLabel(header, "Nombre de pix total") || hasLabel(header, "Nombre de compétences certifiables"))
    return "pix-profiles";
  if (
    hasLabel(header, "% maitrise de l'ensemble des acquis du profil") ||
    hasLabel(header, "% de progression")
  )
    return "pix-assessment";
  if (hasLabel(header, "Numéro de certification")) return "pix-certification";
  return null;
}

const EXPORT_NAMES: Record<string, string> = {
  "pix-profiles": "un export Pix Orga de collecte de profils",
  "pix-assessment": "un export Pix Orga de campagne d'évaluation",
  "pix-certification": "un export des résultats de certification Pix",
};

/** The refusal of a Pix file given to the wrong Pix profile, or null. */
export function wrongPixProfile(header: MatchedHeader, self: string): string | null {
  const found = pixExportOf(header);
  if (found === null || found === self) return null;
  return `Ce fichier est ${EXPORT_NAMES[found]} : importez-le avec le profil « ${found} », pas « ${self} ».`;
}

// ——— per-pupil records, for de-duplication ———

/**
 * One fixed-width record of small integers per pupil key, in growable typed arrays, with the
 * line where the key was first read. Slots before `narrowFrom` are 32-bit; the others are
 * narrow: 4 bits (levels, -1 to 14) or 16 bits (counts, -1 to 65 534), so that a million
 * pupils stay within tens of megabytes. Only counts, levels, day numbers and indexes go in:
 * never a personal cell.
 */
export class RecordStore {
  private readonly index = new KeyIndex();
  private readonly wide: number;
  private readonly narrow: number;
  private ints: Int32Array;
  private small: Uint8Array | Uint16Array;
  private readonly smallWidth: number;
  private firstLines: Int32Array;
  size = 0;

  constructor(
    readonly width: number,
    narrowFrom = width,
    private readonly narrowBits: 4 | 16 = 4,
  ) {
    this.wide = narrowFrom;
    this.narrow = width - narrowFrom;
    this.smallWidth = narrowBits === 4 ? Math.ceil(this.narrow / 2) : this.narrow;
    this.ints = new Int32Array(this.wide * 64);
    this.small =
      narrowBits === 4 ? new Uint8Array(this.smallWidth * 64) : new Uint16Array(this.smallWidth * 64);
    this.firstLines = new Int32Array(64);
  }

  /** The record of a key (null: a row that names nobody, never a repeat). */
  find(key: Buffer | null): number | undefined {
    return key === null ? undefined : this.index.get(key);
  }

  firstLine(record: number): number {
    return this.firstLines[record] as number;
  }

  /** A new record for `key`, its slots zeroed. */
  add(key: Buffer | null, line: number): number {
    if (this.size === this.firstLines.length) {
      const ints = new Int32Array(this.ints.length * 2);
      ints.set(this.ints);
      this.ints = ints;
      const small =
        this.small instanceof Uint8Array
          ? new Uint8Array(this.small.length * 2)
          : new Uint16Array(this.small.length * 2);
      small.set(this.small);
      this.small = small;
      const lines = new Int32Array(this.firstLines.length * 2);
      lines.set(this.firstLines);
      this.firstLines = lines;
    }
    const record = this.size++;
    if (key !== null) this.index.set(key, record);
    this.firstLines[record] = line;
    return record;
  }

  get(record: number, slot: number): number {
    if (slot < this.wide) return this.ints[record * this.wide + slot] as number;
    const n = slot - this.wide;
    if (this.narrowBits === 16) {
      const v = this.small[record * this.smallWidth + n] as number;
      return v === 0xffff ? -1 : v;
    }
    const byte = this.small[record * this.smallWidth + (n >> 1)] as number;
    const v = n & 1 ? byte >> 4 : byte & 15;
    return v === 15 ? -1 : v;
  }

  set(record: number, values: ArrayLike<number>): void {
    for (let s = 0; s < this.wide; s++) this.ints[record * this.wide + s] = values[s] as number;
    const base = record * this.smallWidth;
    if (this.narrowBits === 16) {
      for (let n = 0; n < this.narrow; n++) {
        const v = values[this.wide + n] as number;
        this.small[base + n] = v < 0 ? 0xffff : Math.min(0xfffe, v);
      }
      return;
    }
    this.small.fill(0, base, base + this.smallWidth);
    for (let n = 0; n < this.narrow; n++) {
      const x = values[this.wide + n] as number;
      const v = x < 0 ? 15 : Math.min(14, x);
      this.small[base + (n >> 1)] = (this.small[base + (n >> 1)] as number) | (n & 1 ? v << 4 : v);
    }
  }

  /** The record's slots as a copy (for comparing a duplicate with the record it repeats). */
  slots(record: number): Int32Array {
    const out = new Int32Array(this.width);
    for (let s = 0; s < this.width; s++) out[s] = this.get(record, s);
    return out;
  }
}

/** Open-addressing table from a key's first 64 bits to a record: no string per pupil. */
class KeyIndex {
  private hi = new Int32Array(1024);
  private lo = new Int32Array(1024);
  /** Record + 1; 0 is an empty slot. */
  private at = new Int32Array(1024);
  private count = 0;

  private slot(hi: number, lo: number): number {
    const mask = this.at.length - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    while (this.at[i] !== 0 && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & mask;
    return i;
  }

  get(key: Buffer): number | undefined {
    const i = this.slot(key.readInt32LE(0), key.readInt32LE(4));
    const v = this.at[i] as number;
    return v === 0 ? undefined : v - 1;
  }

  set(key: Buffer, record: number): void {
    if (2 * (this.count + 1) > this.at.length) this.grow();
    const hi = key.readInt32LE(0);
    const lo = key.readInt32LE(4);
    const i = this.slot(hi, lo);
    if (this.at[i] === 0) this.count++;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.at[i] = record + 1;
  }

  private grow(): void {
    const { hi, lo, at } = this;
    this.hi = new Int32Array(at.length * 2);
    this.lo = new Int32Array(at.length * 2);
    this.at = new Int32Array(at.length * 2);
    for (let j = 0; j < at.length; j++) {
      if (at[j] === 0) continue;
      const i = this.slot(hi[j] as number, lo[j] as number);
      this.hi[i] = hi[j] as number;
      this.lo[i] = lo[j] as number;
      this.at[i] = at[j] as number;
    }
  }
}

/** Day number (days since 1970-01-01) of a `YYYY-MM-DD` day; 0 stands for « no day ». */
export function dayNumber(day: string): number {
  return Math.round(
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86400000,
  );
}

export function dayOfNumber(n: number): string {
  return new Date(n * 86400000).toISOString().slice(0, 10);
}

/**
 * Compares two records of the same pupil: the preferred one is the later (by `order`, a list of
 * slots compared in turn, higher wins), then, so that the choice never depends on the rows'
 * order, the greater content. Positive when `a` is preferred.
 */
export function preferRecord(a: ArrayLike<number>, b: ArrayLike<number>, order: readonly number[]): number {
  for (const s of order) {
    const d = (a[s] as number) - (b[s] as number);
    if (d !== 0) return d;
  }
  for (let s = 0; s < a.length; s++) {
    const d = (a[s] as number) - (b[s] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Index of a small set of strings (classes, campaigns), in order of first appearance. */
export class Interned {
  private readonly index = new Map<string, number>();
  readonly items: string[] = [];
  of(item: string): number {
    let i = this.index.get(item);
    if (i === undefined) {
      i = this.items.length;
      this.items.push(item);
      this.index.set(item, i);
    }
    return i;
  }
}

/** Adds `source` into `target`, index by index. */
export function addInto(target: number[], source: readonly number[]): void {
  for (let i = 0; i < source.length; i++) target[i] = (target[i] ?? 0) + (source[i] as number);
}

/** `schoolYearOf` a day number, remembered per day (a file spans a few hundred days). */
export function memoYear(): (day: number) => string {
  const years = new Map<number, string>();
  return (day) => {
    let y = years.get(day);
    if (y === undefined) {
      y = schoolYearOf(dayOfNumber(day));
      years.set(day, y);
    }
    return y;
  };
}
