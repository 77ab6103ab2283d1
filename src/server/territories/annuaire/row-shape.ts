/**
 * Is a row aligned with its header? An unquoted `;` too many or too few shifts every cell after
 * it into the wrong column: the school would get its latitude as longitude, its nature code as
 * nature label, an EPSG code as circonscription. Two checks catch it before any value is read:
 * the row has exactly as many cells as the header, and every cell has the shape of its column
 * (a coordinate is a number, a nature code is a code, a date is a date, a flag is 0 or 1).
 * Shapes are loose on purpose: they say "this cannot belong to this column", not "this value is
 * right"; a value of the right shape that is still wrong (latitude 95, 30 February) is left to
 * the row mapper, which empties it with a warning.
 */
import { type AnnuaireField, normalizeColumnName, type ResolvedColumns } from "./columns.ts";

/** What a column holds: its French name in the rejection, and the test of a non-empty cell. */
interface Shape {
  /** « n'est pas … » completes the reason: « une coordonnée », « un code de département »… */
  noun: string;
  fits: (value: string) => boolean;
}

const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

const number: Shape = { noun: "un nombre", fits: (v) => NUMBER.test(v) };
const coordinate: Shape = { noun: "une coordonnée", fits: (v) => NUMBER.test(v) };
const date: Shape = {
  noun: "une date",
  fits: (v) => /^\d{4}-\d{2}-\d{2}(?:[T ].*)?$/.test(v) || /^\d{2}\/\d{2}\/\d{4}$/.test(v),
};
const word: Shape = { noun: "un libellé", fits: (v) => /^[\p{L}' .-]+$/u.test(v) };
const flag: Shape = { noun: "un indicateur 0/1", fits: (v) => /^(0|1|oui|non|o|n|true|false)$/i.test(v) };
const digits = (noun: string, min: number, max: number): Shape => {
  const pattern = new RegExp(`^\\d{${min},${max}}$`);
  return { noun, fits: (v) => pattern.test(v) };
};

/**
 * Shapes of the fields the importer reads. The UAI has its own, more precise check (`checkUai`).
 * Free texts (names, labels) and district codes have none: any text can be a name, and a file
 * Vigie writes must read back whatever its names contain.
 */
const FIELD_SHAPES: Partial<Record<AnnuaireField, Shape>> = {
  publicPrivate: word,
  // Four digits: a spreadsheet drops the leading zero of 01000.
  postalCode: digits("un code postal", 4, 5),
  communeCode: { noun: "un code commune", fits: (v) => /^(\d{4,5}|2[AB]\d{3})$/i.test(v) },
  departmentCode: { noun: "un code de département", fits: (v) => /^(\d{1,3}|0?2[AB])$/i.test(v) },
  academyCode: digits("un code d'académie", 1, 3),
  nurseryFlag: flag,
  elementaryFlag: flag,
  pupils: { noun: "un nombre d'élèves", fits: (v) => /^\d[\d\s\u00a0\u202f]*$/.test(v) },
  position: {
    noun: "une position « latitude, longitude »",
    fits: (v) => {
      const parts = v.split(/,\s+|\s*;\s*/);
      return parts.length === 2 && parts.every((p) => NUMBER.test(p.trim()));
    },
  },
  contractCode: digits("un code de contrat", 1, 3),
  latitude: coordinate,
  longitude: coordinate,
  openedOn: date,
  sourceUpdatedOn: date,
  state: word,
  natureCode: digits("un code nature", 2, 4),
};

/** Columns the importer does not read but whose shape is fixed: more chances to see a shift. */
const COLUMN_SHAPES: Readonly<Record<string, Shape>> = {
  code_region: digits("un code de région", 1, 3),
  epsg: { noun: "un code EPSG", fits: (v) => /^(EPSG:)?\d{4,5}$/i.test(v) },
  epsg_origine: { noun: "un code EPSG", fits: (v) => /^(EPSG:)?\d{4,5}$/i.test(v) },
  coordonnee_x: number,
  coordonnee_y: number,
  coordx_origine: number,
  coordy_origine: number,
  // The UAI of another establishment: its shape only (the importer does not read them).
  pial: { noun: "un UAI", fits: (v) => /^\d{7}[A-Z]$/i.test(v) },
  etablissement_mere: { noun: "un UAI", fits: (v) => /^\d{7}[A-Z]$/i.test(v) },
  siren_siret: { noun: "un numéro SIREN ou SIRET", fits: (v) => /^\d{9}(\d{5})?$/.test(v) },
};

/** Cells that mean "no value" in ministry files: they fit every column. */
const MISSING = new Set(["", "NA", "N/A", "NULL", "None"]);

export interface CheckedColumn {
  index: number;
  /** The file's own header name. */
  label: string;
  field?: AnnuaireField;
  shape: Shape;
}

const checkedColumnsCache = new WeakMap<ResolvedColumns, readonly CheckedColumn[]>();

/** The columns of a header that have a shape, in file order (computed once per header). */
export function checkedColumns(columns: ResolvedColumns): readonly CheckedColumn[] {
  const cached = checkedColumnsCache.get(columns);
  if (cached) return cached;
  const byIndex = new Map<number, CheckedColumn>();
  for (const [field, shape] of Object.entries(FIELD_SHAPES) as [AnnuaireField, Shape][]) {
    const index = columns.index[field];
    if (index === undefined) continue;
    byIndex.set(index, { index, label: headerLabel(columns, index), field, shape });
  }
  columns.header.forEach((name, index) => {
    const shape = COLUMN_SHAPES[normalizeColumnName(name)];
    if (shape && !byIndex.has(index))
      byIndex.set(index, { index, label: headerLabel(columns, index), shape });
  });
  const list = [...byIndex.values()].sort((a, b) => a.index - b.index);
  checkedColumnsCache.set(columns, list);
  return list;
}

function headerLabel(columns: ResolvedColumns, index: number): string {
  return (columns.header[index] ?? "").replace(/^\uFEFF/, "").trim() || `colonne ${index + 1}`;
}

export interface Misalignment {
  reason: string;
  /** The file's name of the first column that does not fit, when the count was right. */
  column?: string;
}

/** At most this many characters of a cell are echoed in a reason. */
const ECHO = 40;

/** Longer cells are refused. */
export const MAX_CELL_LENGTH = 1_000;

const formatCount = (n: number) => n.toLocaleString("fr-FR");

/**
 * Null when the row is aligned with the header; otherwise why not, naming the first column, in
 * file order, whose cell does not have the column's shape. A row with more or fewer cells than
 * the header is refused whatever its cells contain: even empty extra cells mean a `;` too many
 * somewhere, and nothing tells where.
 */
export function checkRowShape(cells: readonly string[], columns: ResolvedColumns): Misalignment | null {
  const expected = columns.header.length;
  if (cells.length !== expected) {
    return { reason: `La ligne compte ${cells.length} colonnes au lieu de ${expected}` };
  }
  // A cell of kilobytes is a quote swallowing the following rows, or not an Annuaire file at all
  // (the longest cell of a real export is about 100 characters).
  const long = cells.findIndex((cell) => cell.length > MAX_CELL_LENGTH);
  if (long >= 0) {
    const label = headerLabel(columns, long);
    return {
      reason: `Colonne « ${label} » : cellule de ${formatCount((cells[long] as string).length)} caractères (au plus ${formatCount(MAX_CELL_LENGTH)})`,
      column: label,
    };
  }
  for (const column of checkedColumns(columns)) {
    const value = (cells[column.index] ?? "").trim();
    if (MISSING.has(value) || column.shape.fits(value)) continue;
    return {
      reason: `Colonne « ${column.label} » : « ${echo(value)} » n'est pas ${column.shape.noun} ; la ligne est sans doute décalée (un « ; » en trop ou en moins)`,
      column: column.label,
    };
  }
  return null;
}

function echo(value: string): string {
  return value.length <= ECHO ? value : `${value.slice(0, ECHO)}…`;
}
