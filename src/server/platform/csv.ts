/**
 * CSV output as French administrations expect it (docs/design.md, « Fichiers et interfaces »): `;` as
 * separator, CRLF line ends, UTF-8 with a byte order mark (so that a spreadsheet opened by a
 * double click reads the accents right), and cells that a spreadsheet would evaluate as a formula
 * neutralised by a leading `'` (OWASP "CSV injection": `=`, `+`, `-`, `@`, and tab or carriage
 * return, which some spreadsheets skip before looking for a formula).
 */

export const CSV_BOM = "\uFEFF";
export const CSV_SEPARATOR = ";";
export const CSV_LINE_END = "\r\n";

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: null and undefined are empty, dates are ISO 8601, the rest is text. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  // Numbers are written as they are: `-3` is a number, not a formula, and stays computable.
  if (typeof value !== "number" && FORMULA_START.test(text)) text = `'${text}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(CSV_SEPARATOR) + CSV_LINE_END;
}

/** A whole file in memory (small exports and tests); large ones stream `csvLine` row by row. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  let out = CSV_BOM + csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
}
