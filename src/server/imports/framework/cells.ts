import { codeCell, decimalCell, textCell } from "../../platform/index.ts";

/**
 * The cells as every profile receives them (`ProfileRow.cells`): trimmed, the spreadsheet
 * formula guard of Pix exports (a leading `'` before `= + - @`) removed, and missing values
 * (`NA`, `N/A`, empty…) turned into "" so that a profile tests one thing. Then small readers
 * for what French exports write: decimal comma, `Oui`/`Non`, `O`/`N`.
 */

/** A raw cell as the framework hands it to a profile. */
export function cleanCell(raw: string | undefined): string {
  const text = textCell(raw);
  if (text === null) return "";
  return codeCell(text) === null ? "" : text;
}

/** Is the cell missing (after `cleanCell`)? */
export function isMissing(cell: string | undefined): boolean {
  return cleanCell(cell) === "";
}

/** A number with `.` or `,` (spaces between thousands accepted); null when missing. */
export function numberCell(cell: string | undefined): number | null | "invalid" {
  const value = cleanCell(cell).replace(/[\s\u00a0\u202f]/g, "");
  return decimalCell(value);
}

/** A percentage as written: `45`, `45 %`, `45,5%` (the number before the sign); null when missing. */
export function percentCell(cell: string | undefined): number | null | "invalid" {
  const value = cleanCell(cell).replace(/\s*%$/, "");
  return numberCell(value);
}

const YES = new Set(["oui", "o", "yes", "y", "1", "true", "vrai"]);
const NO = new Set(["non", "n", "no", "0", "false", "faux"]);

/** `Oui`/`Non`, `O`/`N` (any case), `1`/`0`, `true`/`false`; null when missing. */
export function yesNoCell(cell: string | undefined): boolean | null | "invalid" {
  const value = cleanCell(cell).toLowerCase();
  if (value === "") return null;
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return "invalid";
}
