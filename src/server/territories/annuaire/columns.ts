/**
 * The columns of the Annuaire de l'éducation, recognised by name. The ministry renames and
 * reorders columns between export versions (`Code postal` → `Code_postal`, `coordonnee_X` →
 * `coordX_origine`, `Nombre_d_eleves` dropped…), so a column is found by its normalised name
 * and a list of aliases, never by its position.
 */

/** The header of the 2023 exports (69 columns), as found in the open-data files of that year. */
export const ANNUAIRE_2023_COLUMNS = [
  "Identifiant_de_l_etablissement",
  "Nom_etablissement",
  "Type_etablissement",
  "Statut_public_prive",
  "Adresse_1",
  "Adresse_2",
  "Adresse_3",
  "Code postal",
  "Code_commune",
  "Nom_commune",
  "Code_departement",
  "Code_academie",
  "Code_region",
  "Ecole_maternelle",
  "Ecole_elementaire",
  "Voie_generale",
  "Voie_technologique",
  "Voie_professionnelle",
  "Telephone",
  "Fax",
  "Web",
  "Mail",
  "Restauration",
  "Hebergement",
  "ULIS",
  "Apprentissage",
  "Segpa",
  "Section_arts",
  "Section_cinema",
  "Section_theatre",
  "Section_sport",
  "Section_internationale",
  "Section_europeenne",
  "Lycee_Agricole",
  "Lycee_militaire",
  "Lycee_des_metiers",
  "Post_BAC",
  "Appartenance_Education_Prioritaire",
  "GRETA",
  "SIREN_SIRET",
  "Nombre_d_eleves",
  "Fiche_onisep",
  "position",
  "Type_contrat_prive",
  "Libelle_departement",
  "Libelle_academie",
  "Libelle_region",
  "coordonnee_X",
  "coordonnee_Y",
  "epsg",
  "nom_circonscription",
  "latitude",
  "longitude",
  "precision_localisation",
  "date_ouverture",
  "date_maj_ligne",
  "etat",
  "ministere_tutelle",
  "etablissement_multi_lignes",
  "rpi_concentre",
  "rpi_disperse",
  "code_nature",
  "libelle_nature",
  "Code_type_contrat_prive",
  "PIAL",
  "etablissement_mere",
  "type_rattachement_etablissement_mere",
  "code_bassin_formation",
  "libelle_bassin_formation",
] as const;

/**
 * The header Vigie writes for the current ("2026") layout: the circonscription and the zone
 * d'animation pédagogique have codes, origin coordinates are renamed, the pupil count is gone.
 */
export const ANNUAIRE_2026_COLUMNS = [
  "Identifiant_de_l_etablissement",
  "Nom_etablissement",
  "Type_etablissement",
  "Statut_public_prive",
  "Adresse_1",
  "Adresse_2",
  "Adresse_3",
  "Code_postal",
  "Code_commune",
  "Nom_commune",
  "Code_departement",
  "Code_academie",
  "Code_region",
  "Ecole_maternelle",
  "Ecole_elementaire",
  "Voie_generale",
  "Voie_technologique",
  "Voie_professionnelle",
  "Telephone",
  "Fax",
  "Web",
  "Mail",
  "Restauration",
  "Hebergement",
  "ULIS",
  "Apprentissage",
  "Segpa",
  "Section_arts",
  "Section_cinema",
  "Section_theatre",
  "Section_sport",
  "Section_internationale",
  "Section_europeenne",
  "Lycee_Agricole",
  "Lycee_militaire",
  "Lycee_des_metiers",
  "Post_BAC",
  "Appartenance_Education_Prioritaire",
  "GRETA",
  "SIREN_SIRET",
  "Fiche_onisep",
  "position",
  "Type_contrat_prive",
  "Libelle_departement",
  "Libelle_academie",
  "Libelle_region",
  "coordX_origine",
  "coordY_origine",
  "epsg_origine",
  "nom_circonscription",
  "latitude",
  "longitude",
  "precision_localisation",
  "date_ouverture",
  "date_maj_ligne",
  "etat",
  "ministere_tutelle",
  "multi_uai",
  "rpi_concentre",
  "rpi_disperse",
  "code_nature",
  "libelle_nature",
  "Code_type_contrat_prive",
  "pial",
  "etablissement_mere",
  "type_rattachement_etablissement_mere",
  "code_circonscription",
  "code_zone_animation_pedagogique",
  "libelle_zone_animation_pedagogique",
  "code_bassin_formation",
  "libelle_bassin_formation",
] as const;

export type AnnuaireLayout = "2023" | "2026";

/** The fields the importer reads; everything else in the file is ignored. */
export type AnnuaireField =
  | "uai"
  | "name"
  | "typeLabel"
  | "publicPrivate"
  | "postalCode"
  | "communeCode"
  | "communeName"
  | "departmentCode"
  | "academyCode"
  | "nurseryFlag"
  | "elementaryFlag"
  | "priorityEducation"
  | "pupils"
  | "position"
  | "contractLabel"
  | "contractCode"
  | "circonscriptionName"
  | "circonscriptionCode"
  | "latitude"
  | "longitude"
  | "openedOn"
  | "sourceUpdatedOn"
  | "state"
  | "natureCode"
  | "natureLabel"
  | "bassinCode"
  | "bassinName";

/**
 * Normalised names accepted for each field, best first. The first one is the ministry's name;
 * the others cover the labelled exports of data.education.gouv.fr and hand-made files.
 */
const FIELD_ALIASES: Record<AnnuaireField, readonly string[]> = {
  uai: ["identifiant_de_l_etablissement", "uai", "code_uai", "numero_uai", "identifiant_etablissement"],
  name: ["nom_etablissement", "nom_de_l_etablissement", "appellation_officielle", "denomination"],
  typeLabel: ["type_etablissement", "type_d_etablissement"],
  publicPrivate: ["statut_public_prive", "secteur_public_prive", "secteur"],
  postalCode: ["code_postal", "cp"],
  communeCode: ["code_commune", "code_insee_commune", "code_insee"],
  communeName: ["nom_commune", "libelle_commune", "commune"],
  departmentCode: ["code_departement", "departement"],
  academyCode: ["code_academie"],
  nurseryFlag: ["ecole_maternelle"],
  elementaryFlag: ["ecole_elementaire"],
  priorityEducation: ["appartenance_education_prioritaire", "education_prioritaire"],
  pupils: ["nombre_d_eleves", "nombre_eleves"],
  position: ["position"],
  contractLabel: ["type_contrat_prive"],
  contractCode: ["code_type_contrat_prive"],
  circonscriptionName: ["nom_circonscription", "libelle_circonscription"],
  circonscriptionCode: ["code_circonscription"],
  latitude: ["latitude", "lat"],
  longitude: ["longitude", "lon", "lng"],
  openedOn: ["date_ouverture"],
  sourceUpdatedOn: ["date_maj_ligne", "date_mise_a_jour"],
  state: ["etat"],
  natureCode: ["code_nature"],
  natureLabel: ["libelle_nature"],
  bassinCode: ["code_bassin_formation"],
  bassinName: ["libelle_bassin_formation"],
};

/** Columns only one layout has: they tell which export version a file comes from. */
const LAYOUT_MARKERS: Record<AnnuaireLayout, readonly string[]> = {
  "2023": ["nombre_d_eleves", "coordonnee_x", "coordonnee_y", "etablissement_multi_lignes"],
  "2026": ["code_circonscription", "coordx_origine", "coordy_origine", "epsg_origine", "multi_uai"],
};

/**
 * `Code postal`, `Code_Postal`, `code-postal` and `Identifiant de l'établissement` all become
 * snake case without accents, so that aliases are written once.
 */
export function normalizeColumnName(name: string): string {
  return name
    .replace(/^\uFEFF/, "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export interface ResolvedColumns {
  /** Index of each recognised field in a row. */
  index: Partial<Record<AnnuaireField, number>>;
  /** The file's own header, to name columns in rejections as the user sees them. */
  header: readonly string[];
  layout: AnnuaireLayout | "inconnue";
  /** Header names that appear twice once normalised (the first one is used). */
  repeated: string[];
}

/** Finds the fields in a header row and recognises the export version. */
export function resolveColumns(header: readonly string[]): ResolvedColumns {
  const positions = new Map<string, number>();
  const repeated: string[] = [];
  header.forEach((name, i) => {
    const key = normalizeColumnName(name);
    if (key === "") return;
    if (positions.has(key)) repeated.push(name.trim());
    else positions.set(key, i);
  });
  const index: Partial<Record<AnnuaireField, number>> = {};
  for (const [field, aliases] of Object.entries(FIELD_ALIASES) as [AnnuaireField, readonly string[]][]) {
    for (const alias of aliases) {
      const i = positions.get(alias);
      if (i !== undefined) {
        index[field] = i;
        break;
      }
    }
  }
  const has = (markers: readonly string[]) => markers.some((m) => positions.has(m));
  // A file with a 2026 marker is a 2026 file even if it kept an old column.
  const layout = has(LAYOUT_MARKERS["2026"]) ? "2026" : has(LAYOUT_MARKERS["2023"]) ? "2023" : "inconnue";
  return { index, header, layout, repeated };
}

/** The column name to show in a rejection: the file's own spelling, or the ministry's name. */
export function columnLabel(columns: ResolvedColumns, field: AnnuaireField): string {
  const i = columns.index[field];
  const own = i === undefined ? undefined : columns.header[i]?.trim();
  return own || (FIELD_ALIASES[field][0] as string);
}
