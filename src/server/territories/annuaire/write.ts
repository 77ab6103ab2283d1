import { neutralizeFormula } from "../../platform/index.ts";
import { academicRegionByCode, academyByCode, departmentByCode } from "../referential.ts";
import type { SchoolRecord } from "../school-record.ts";
import { SECTOR_COLUMNS, schoolLevelFlags, TYPE_LABELS } from "./classify.ts";
import { ANNUAIRE_2023_COLUMNS, ANNUAIRE_2026_COLUMNS, type AnnuaireLayout } from "./columns.ts";
import { sourceDistrictCode } from "./districts.ts";

/**
 * Writes SchoolRecords as an Annuaire de l'éducation export, in the 2023 or the 2026 layout, so
 * that fixtures, the demo generator and the benchmark produce files the importer reads like the
 * ministry's. What the importer reads back is exactly what was written (a property test checks
 * it), except what the layout cannot carry: pupils in the 2026 layout, circonscription codes in
 * the 2023 one (it only has the name, from which a code is derived).
 */
export interface WriteAnnuaireOptions {
  /** Start with a UTF-8 byte order mark, as the ministry's files do (default true). */
  bom?: boolean;
  /** Default CRLF, as the ministry's files. */
  lineEnding?: "\r\n" | "\n";
  /**
   * Prefix `'` to names and labels a spreadsheet would take for a formula (default true). The
   * importer removes it when reading, so neutralised files read back exactly.
   */
  neutralizeFormulas?: boolean;
  /**
   * Add a `Nombre_d_eleves` column at the end of the 2026 layout (default false). The ministry's
   * 2026 export has no pupil count; generated files (the demo) use this to carry theirs through
   * the importer, which finds the column by name.
   */
  pupilsColumn?: boolean;
}

export function annuaireColumns(
  layout: AnnuaireLayout,
  options: WriteAnnuaireOptions = {},
): readonly string[] {
  if (layout === "2023") return ANNUAIRE_2023_COLUMNS;
  return options.pupilsColumn ? [...ANNUAIRE_2026_COLUMNS, "Nombre_d_eleves"] : ANNUAIRE_2026_COLUMNS;
}

/** The file line by line (each with its line ending), for writing big files without one big string. */
export function* annuaireCsvLines(
  records: Iterable<SchoolRecord>,
  layout: AnnuaireLayout,
  options: WriteAnnuaireOptions = {},
): Generator<string> {
  const eol = options.lineEnding ?? "\r\n";
  const text = options.neutralizeFormulas === false ? (s: string) => s : neutralizeFormula;
  const header = annuaireColumns(layout, options);
  yield `${options.bom === false ? "" : "\uFEFF"}${header.map(cell).join(";")}${eol}`;
  for (const record of records) {
    const values = rowValues(record, layout, text);
    let line = "";
    for (let i = 0; i < header.length; i++) {
      if (i > 0) line += ";";
      line += cell(values[header[i] as string] ?? "");
    }
    yield line + eol;
  }
}

export function writeAnnuaireCsv(
  records: Iterable<SchoolRecord>,
  layout: AnnuaireLayout,
  options: WriteAnnuaireOptions = {},
): string {
  let out = "";
  for (const line of annuaireCsvLines(records, layout, options)) out += line;
  return out;
}

function cell(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Département as the Annuaire writes it: three characters, `620`/`720` for Corsica. */
function annuaireDepartmentCode(code: string): string {
  if (code === "2A") return "620";
  if (code === "2B") return "720";
  return code.padStart(3, "0");
}

const num = (n: number | null) => (n === null ? "" : String(n));

function rowValues(
  r: SchoolRecord,
  layout: AnnuaireLayout,
  text: (s: string) => string,
): Record<string, string | undefined> {
  const sector = SECTOR_COLUMNS[r.sector];
  const flags = schoolLevelFlags(r.type);
  const position = r.latitude !== null && r.longitude !== null ? `${r.latitude}, ${r.longitude}` : "";
  const opt = (s: string | null) => (s === null ? "" : text(s));
  const values: Record<string, string | undefined> = {
    Identifiant_de_l_etablissement: r.uai,
    Nom_etablissement: text(r.name),
    Type_etablissement: TYPE_LABELS[r.type],
    Statut_public_prive: sector.status,
    Code_commune: r.communeCode ?? "",
    Nom_commune: opt(r.communeName),
    Code_departement: annuaireDepartmentCode(r.departmentCode),
    Code_academie: r.academyCode,
    Code_region: r.academicRegionCode,
    Ecole_maternelle: flags.nursery,
    Ecole_elementaire: flags.elementary,
    Appartenance_Education_Prioritaire: r.priorityEducation ?? "",
    position,
    Type_contrat_prive: sector.contractLabel,
    Code_type_contrat_prive: sector.contractCode,
    Libelle_departement: departmentByCode.get(r.departmentCode)?.name,
    Libelle_academie: academyByCode.get(r.academyCode)?.name,
    Libelle_region: academicRegionByCode.get(r.academicRegionCode)?.name,
    nom_circonscription: opt(r.circonscription?.name ?? null),
    latitude: num(r.latitude),
    longitude: num(r.longitude),
    date_ouverture: r.openedOn ?? "",
    date_maj_ligne: r.sourceUpdatedOn ?? "",
    etat: r.status === "closed" ? "FERME" : "OUVERT",
    ministere_tutelle: "MINISTERE DE L'EDUCATION NATIONALE",
    rpi_concentre: "0",
    rpi_disperse: "",
    code_nature: r.natureCode ?? "",
    libelle_nature: opt(r.natureLabel),
    code_bassin_formation: r.bassin ? sourceDistrictCode("bassin", r.bassin.code) : "",
    libelle_bassin_formation: opt(r.bassin?.name ?? null),
  };
  values.Nombre_d_eleves = num(r.pupils);
  if (layout === "2023") {
    values["Code postal"] = r.postalCode ?? "";
    values.etablissement_multi_lignes = "0";
  } else {
    values.Code_postal = r.postalCode ?? "";
    values.multi_uai = "0";
    values.code_circonscription = r.circonscription
      ? sourceDistrictCode("circonscription", r.circonscription.code)
      : "";
  }
  return values;
}
