/**
 * Reading cell values written with French administrative habits: decimal comma, `NA` for
 * missing, dates as ISO or `JJ/MM/AAAA`, text neutralised against formula injection.
 */

const MISSING = new Set(["", "NA", "N/A", "NULL", "None"]);

/** A code or number cell: trimmed, null when missing. */
export function codeCell(raw: string | undefined): string | null {
  const value = (raw ?? "").trim();
  return MISSING.has(value) ? null : value;
}

/** Cells starting with one of these are formulas in a spreadsheet. */
const FORMULA_START = /^'*[=+\-@]/;

/**
 * A free-text cell (a name, a label): trimmed, null when empty. A leading `'` put by a writer to
 * neutralise a formula (`'=…`, `'-…`) is removed, so that neutralised files read back exactly.
 */
export function textCell(raw: string | undefined): string | null {
  const value = (raw ?? "").trim();
  if (value === "") return null;
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value;
}

/** The inverse of `textCell`'s un-neutralisation: prefixes `'` to a text a spreadsheet would evaluate. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** A decimal number, with `.` or `,`; null when missing or not a finite number. */
export function decimalCell(raw: string | undefined): number | null | "invalid" {
  const value = codeCell(raw);
  if (value === null) return null;
  if (!NUMBER.test(value)) return "invalid";
  const n = Number(value.replace(",", "."));
  if (!Number.isFinite(n)) return "invalid";
  return n === 0 ? 0 : n; // no -0
}

/** A count: a non-negative integer (spaces as thousands separators accepted). */
export function countCell(raw: string | undefined): number | null | "invalid" {
  const value = codeCell(raw)?.replace(/[\s\u00a0\u202f]/g, "") ?? null;
  if (value === null || value === "") return null;
  if (!/^\d+$/.test(value)) return "invalid";
  const n = Number(value);
  return n <= 2_147_483_647 ? n : "invalid";
}

/** `0`/`1`, `Oui`/`Non`, `true`/`false`. */
export function flagCell(raw: string | undefined): boolean {
  const value = (raw ?? "").trim().toLowerCase();
  return value === "1" || value === "oui" || value === "true" || value === "o";
}

/** An ISO date `AAAA-MM-JJ` (a time part is ignored) or `JJ/MM/AAAA`; "invalid" when not a real date. */
export function dateCell(raw: string | undefined): string | null | "invalid" {
  const value = codeCell(raw);
  if (value === null) return null;
  let y: string;
  let m: string;
  let d: string;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value);
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (iso) [, y, m, d] = iso as unknown as [string, string, string, string];
  else if (fr) [, d, m, y] = fr as unknown as [string, string, string, string];
  else return "invalid";
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(m) - 1 ||
    date.getUTCDate() !== Number(d)
  ) {
    return "invalid";
  }
  return `${y}-${m}-${d}`;
}
