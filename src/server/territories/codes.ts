/**
 * Pure checks and normalisations of the codes found in ministry files: UAI and département codes.
 */

const UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
const UAI_PATTERN = /^(\d{7})([A-Z])$/;

/** The check letter of a 7-digit UAI number: `ABCDEFGHJKLMNPRSTUVWXYZ`[number mod 23]. */
export function uaiCheckLetter(digits: string): string {
  return UAI_LETTERS[Number(digits) % 23] as string;
}

/** Trims and upper-cases a raw UAI; does not validate it. */
export function normalizeUai(raw: string): string {
  return raw.trim().toUpperCase();
}

export type UaiCheck = { ok: true; uai: string } | { ok: false; reason: string };

/** Validates a UAI and explains, in French, why it is not valid. */
export function checkUai(raw: string | undefined | null): UaiCheck {
  const uai = normalizeUai(raw ?? "");
  if (uai === "") return { ok: false, reason: "UAI manquant" };
  const match = UAI_PATTERN.exec(uai);
  if (!match) return { ok: false, reason: `UAI « ${uai} » mal formé (attendu : 7 chiffres et une lettre)` };
  const expected = uaiCheckLetter(match[1] as string);
  if (match[2] !== expected) {
    return { ok: false, reason: `UAI « ${uai} » invalide : la lettre de contrôle devrait être ${expected}` };
  }
  return { ok: true, uai };
}

export function isValidUai(raw: string): boolean {
  return checkUai(raw).ok;
}

/** Builds a valid UAI from its number (used by the demo generator and tests). */
export function makeUai(num: number): string {
  const digits = String(num).padStart(7, "0");
  return digits + uaiCheckLetter(digits);
}

/**
 * Normalises a département code as written in ministry files to its COG code:
 * `035` → `35`, `1` → `01`, `620` → `2A`, `720` → `2B`, `971` stays `971`, `2a` → `2A`.
 * Returns undefined when the text cannot be a département code.
 */
export function normalizeDepartmentCode(raw: string | undefined | null): string | undefined {
  const code = (raw ?? "").trim().toUpperCase();
  if (code === "") return undefined;
  if (code === "620" || code === "02A" || code === "2A") return "2A";
  if (code === "720" || code === "02B" || code === "2B") return "2B";
  if (!/^\d{1,3}$/.test(code)) return undefined;
  if (/^97[1-6]$/.test(code)) return code;
  const n = Number(code);
  if (n >= 1 && n <= 95 && n !== 20) return String(n).padStart(2, "0");
  return undefined;
}
