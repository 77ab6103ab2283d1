import type { PriorityEducation, SchoolSector, SchoolType } from "../../../contracts/territories.ts";

/**
 * School type, sector and éducation prioritaire from the Annuaire's codes and labels. The nature
 * code (`code_nature`, the BCE nomenclature) is precise; `Type_etablissement` is only a fallback
 * for codes Vigie does not classify, because "Lycée" does not say which kind of lycée.
 */

const NATURE_TYPES: readonly [SchoolType, readonly string[]][] = [
  ["ecole_maternelle", ["101", "102", "103", "111"]],
  ["ecole_elementaire", ["151", "152", "153", "160", "162", "169", "170"]],
  ["college", ["340", "350", "352"]],
  ["lycee_gt", ["300", "301", "302"]],
  ["lycee_polyvalent", ["306"]],
  ["lycee_professionnel", ["320", "332", "334"]],
  ["lycee_agricole", ["307"]],
  ["erea", ["370"]],
];
const typeOfNature = new Map<string, SchoolType>(
  NATURE_TYPES.flatMap(([type, codes]) => codes.map((code) => [code, type] as [string, SchoolType])),
);

export interface TypeInputs {
  natureCode: string | null;
  typeLabel: string | null;
  /** `Ecole_maternelle` / `Ecole_elementaire` flags ("1" when the school has such classes). */
  nursery: boolean;
  elementary: boolean;
}

export function schoolTypeOf({ natureCode, typeLabel, nursery, elementary }: TypeInputs): SchoolType {
  const code = natureCode?.trim() ?? "";
  const byCode = typeOfNature.get(code);
  if (byCode === "ecole_elementaire" && nursery && elementary) return "ecole_primaire";
  if (byCode) return byCode;
  if (/^2\d\d$/.test(code)) return "medico_social";
  if (/^8\d\d$/.test(code)) return "administration";
  return typeFromLabel(typeLabel, nursery, elementary);
}

function typeFromLabel(label: string | null, nursery: boolean, elementary: boolean): SchoolType {
  const key = simplify(label ?? "");
  if (key === "ecole") {
    if (nursery && !elementary) return "ecole_maternelle";
    if (elementary && !nursery) return "ecole_elementaire";
    return "ecole_primaire";
  }
  if (key === "college") return "college";
  if (key === "lycee") return "lycee_gt";
  if (key === "erea") return "erea";
  if (key === "medico social") return "medico_social";
  if (key === "service administratif" || key === "information et orientation") return "administration";
  return "autre";
}

/** The `Type_etablissement` label the Annuaire gives each type (used by the writer). */
export const TYPE_LABELS: Record<SchoolType, string> = {
  ecole_maternelle: "Ecole",
  ecole_elementaire: "Ecole",
  ecole_primaire: "Ecole",
  college: "Collège",
  lycee_gt: "Lycée",
  lycee_polyvalent: "Lycée",
  lycee_professionnel: "Lycée",
  lycee_agricole: "Lycée",
  erea: "EREA",
  medico_social: "Médico-social",
  administration: "Service Administratif",
  autre: "Autre",
};

/** A typical nature code and label for each type, for generated records. */
export const CANONICAL_NATURE: Record<SchoolType, { code: string; label: string }> = {
  ecole_maternelle: { code: "101", label: "ECOLE MATERNELLE" },
  ecole_elementaire: { code: "151", label: "ECOLE DE NIVEAU ELEMENTAIRE" },
  ecole_primaire: { code: "151", label: "ECOLE DE NIVEAU ELEMENTAIRE" },
  college: { code: "340", label: "COLLEGE" },
  lycee_gt: { code: "300", label: "LYCEE ENSEIGNT GENERAL ET TECHNOLOGIQUE" },
  lycee_polyvalent: { code: "306", label: "LYCEE POLYVALENT" },
  lycee_professionnel: { code: "320", label: "LYCEE PROFESSIONNEL" },
  lycee_agricole: { code: "307", label: "LYCEE ENS GENERAL TECHNO PROF AGRICOLE" },
  erea: { code: "370", label: "ETAB REGIONAL/LYCEE ENSEIGNEMENT ADAPTE" },
  medico_social: { code: "240", label: "INSTITUT MEDICO-EDUCATIF" },
  administration: { code: "806", label: "SERVICE DE LA DSDEN" },
  autre: { code: "380", label: "MAISON FAMILIALE RURALE EDUCATION ORIENT" },
};

/** `Ecole_maternelle` / `Ecole_elementaire` as the Annuaire fills them for each type. */
export function schoolLevelFlags(type: SchoolType): { nursery: string; elementary: string } {
  if (type === "ecole_maternelle") return { nursery: "1", elementary: "0" };
  if (type === "ecole_elementaire") return { nursery: "0", elementary: "1" };
  if (type === "ecole_primaire") return { nursery: "1", elementary: "1" };
  return { nursery: "", elementary: "" };
}

export interface SectorInputs {
  publicPrivate: string | null;
  contractCode: string | null;
  contractLabel: string | null;
}

/**
 * Public → public; Privé hors contrat (code 10) → private_no_contract; other Privé (contrat
 * simple 20/21, d'association 30/31, or sans objet) → private_contract. The Annuaire leaves the
 * status empty for administrative services, which are public.
 */
export function schoolSectorOf({ publicPrivate, contractCode, contractLabel }: SectorInputs): SchoolSector {
  const status = simplify(publicPrivate ?? "");
  if (!status.startsWith("pr")) return "public";
  const code = (contractCode ?? "").trim();
  if (code === "10" || simplify(contractLabel ?? "").includes("hors contrat")) return "private_no_contract";
  return "private_contract";
}

/** The three columns the writer fills for a sector. */
export const SECTOR_COLUMNS: Record<
  SchoolSector,
  { status: string; contractCode: string; contractLabel: string }
> = {
  public: { status: "Public", contractCode: "99", contractLabel: "SANS OBJET" },
  private_contract: {
    status: "Privé",
    contractCode: "30",
    contractLabel: "CONTRAT D'ASSOCIATION TOUTES CLASSES",
  },
  private_no_contract: { status: "Privé", contractCode: "10", contractLabel: "HORS CONTRAT" },
};

/** `REP`, `REP+` (also written `REP +`); anything else means none. */
export function priorityEducationOf(raw: string | null): PriorityEducation | null {
  const value = (raw ?? "").replace(/\s+/g, "").toUpperCase();
  if (value === "REP+") return "REP+";
  if (value === "REP") return "REP";
  return null;
}

/** Lower case, no accents, words separated by one space: for comparing labels. */
export function simplify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9+]+/g, " ")
    .trim();
}
