import { createHash } from "node:crypto";
import type { DistrictRecord } from "../school-record.ts";
import type { StringPool } from "./string-pool.ts";

/**
 * District codes. `district.code` is one primary key for bassins and circonscriptions, and the
 * ministry's codes for the two are unrelated (a circonscription code is the UAI of the
 * inspection, a bassin code a number), so every stored code carries its kind: `B-<code>` for a
 * bassin, `C-<code>` for a circonscription. When the file names a district without a code (2023
 * exports have `nom_circonscription` only), the code is derived from the département and the
 * name, stably: `C-035-<slug of the name>`.
 */

export type DistrictKind = "bassin" | "circonscription";

const PREFIX: Record<DistrictKind, string> = { bassin: "B-", circonscription: "C-" };

/** Lower-case ASCII words joined by `-`; never empty (a hash stands in for names without letters). */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || `x${createHash("sha1").update(text).digest("hex").slice(0, 8)}`;
}

/** Keeps a code usable in URLs (`district:C-0351916T`): letters, digits, `_` and `-`. */
function sanitizeCode(code: string): string {
  return code.replace(/[^0-9A-Za-z_-]+/g, "-");
}

/** The stored code of a district the file gives a code for. */
export function districtCodeFromSource(kind: DistrictKind, sourceCode: string): string {
  return PREFIX[kind] + sanitizeCode(sourceCode.trim());
}

/** The words every circonscription name starts with, which would make every code long. */
const BOILERPLATE: Record<DistrictKind, RegExp> = {
  bassin: /^bassin-(de-formation-)?(de-|du-|des-|d-)?/,
  circonscription:
    /^circonscription-(d-inspection-)?(de-l-education-nationale-|du-1er-degre-|du-premier-degre-|ien-)?(de-|du-|des-|d-)?/,
};

/**
 * The stored code of a district the file only names, within a département:
 * "Circonscription d'inspection du 1er degré de Saint-Malo" in 35 → `C-035-saint-malo`.
 */
export function districtCodeFromName(kind: DistrictKind, departmentCode: string, name: string): string {
  const slug = slugify(name);
  const short = slug.replace(BOILERPLATE[kind], "");
  return `${PREFIX[kind]}${departmentCode.padStart(3, "0")}-${short || slug}`;
}

/** The code to write back in a file's `code_…` column: the stored code without its kind prefix. */
export function sourceDistrictCode(kind: DistrictKind, storedCode: string): string {
  return storedCode.startsWith(PREFIX[kind]) ? storedCode.slice(PREFIX[kind].length) : storedCode;
}

const DEFAULT_NAMES: Record<DistrictKind, string> = {
  bassin: "Bassin de formation",
  circonscription: "Circonscription",
};

/**
 * The district of one row from its code and name cells (either may be empty); null when both are.
 * With a pool, the rows of one district share one object (a national file has 60 000 rows and
 * about 2 000 districts).
 */
export function districtOf(
  kind: DistrictKind,
  departmentCode: string,
  code: string | null,
  name: string | null,
  pool?: StringPool,
): DistrictRecord | null {
  if (!code && !name) return null;
  const key = `${kind}|${departmentCode}|${code ?? ""}|${name ?? ""}`;
  const known = pool?.object(key);
  if (known) return known as DistrictRecord;
  const district = code
    ? { code: districtCodeFromSource(kind, code), name: name ?? `${DEFAULT_NAMES[kind]} ${code}` }
    : { code: districtCodeFromName(kind, departmentCode, name as string), name: name as string };
  if (!pool) return district;
  const shared = { code: pool.shared(district.code), name: pool.shared(district.name) };
  pool.setObject(pool.shared(key), shared);
  return shared;
}
