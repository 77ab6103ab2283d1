import departementsData from "@etalab/decoupage-administratif/data/departements.json" with { type: "json" };

/**
 * The built-in territorial referential: 18 régions académiques, 30 académies (official codes) and
 * the 101 départements (COG codes and names from @etalab/decoupage-administratif). The académie of
 * each département is a typed table here because no official package ships it.
 *
 * Pure data, Zod-free: the server (territories module, re-exported by its door) and the web app
 * (the map) read the same table.
 */
export interface AcademicRegion {
  code: string;
  name: string;
}
export interface Academy {
  code: string;
  name: string;
  academicRegionCode: string;
  departmentCodes: readonly string[];
}
export interface Department {
  code: string;
  name: string;
  academyCode: string;
  academicRegionCode: string;
}

/** Régions académiques, keyed by the INSEE code of their région (as the Annuaire's `Code_region`). */
export const ACADEMIC_REGIONS: readonly AcademicRegion[] = [
  { code: "84", name: "Auvergne-Rhône-Alpes" },
  { code: "27", name: "Bourgogne-Franche-Comté" },
  { code: "53", name: "Bretagne" },
  { code: "24", name: "Centre-Val de Loire" },
  { code: "94", name: "Corse" },
  { code: "44", name: "Grand Est" },
  { code: "32", name: "Hauts-de-France" },
  { code: "11", name: "Île-de-France" },
  { code: "28", name: "Normandie" },
  { code: "75", name: "Nouvelle-Aquitaine" },
  { code: "76", name: "Occitanie" },
  { code: "52", name: "Pays de la Loire" },
  { code: "93", name: "Provence-Alpes-Côte d'Azur" },
  { code: "01", name: "Guadeloupe" },
  { code: "02", name: "Martinique" },
  { code: "03", name: "Guyane" },
  { code: "04", name: "La Réunion" },
  { code: "06", name: "Mayotte" },
];

export const ACADEMIES: readonly Academy[] = [
  { code: "01", name: "Paris", academicRegionCode: "11", departmentCodes: ["75"] },
  { code: "02", name: "Aix-Marseille", academicRegionCode: "93", departmentCodes: ["04", "05", "13", "84"] },
  { code: "03", name: "Besançon", academicRegionCode: "27", departmentCodes: ["25", "39", "70", "90"] },
  { code: "04", name: "Bordeaux", academicRegionCode: "75", departmentCodes: ["24", "33", "40", "47", "64"] },
  {
    code: "06",
    name: "Clermont-Ferrand",
    academicRegionCode: "84",
    departmentCodes: ["03", "15", "43", "63"],
  },
  { code: "07", name: "Dijon", academicRegionCode: "27", departmentCodes: ["21", "58", "71", "89"] },
  { code: "08", name: "Grenoble", academicRegionCode: "84", departmentCodes: ["07", "26", "38", "73", "74"] },
  { code: "09", name: "Lille", academicRegionCode: "32", departmentCodes: ["59", "62"] },
  { code: "10", name: "Lyon", academicRegionCode: "84", departmentCodes: ["01", "42", "69"] },
  {
    code: "11",
    name: "Montpellier",
    academicRegionCode: "76",
    departmentCodes: ["11", "30", "34", "48", "66"],
  },
  { code: "12", name: "Nancy-Metz", academicRegionCode: "44", departmentCodes: ["54", "55", "57", "88"] },
  { code: "13", name: "Poitiers", academicRegionCode: "75", departmentCodes: ["16", "17", "79", "86"] },
  { code: "14", name: "Rennes", academicRegionCode: "53", departmentCodes: ["22", "29", "35", "56"] },
  { code: "15", name: "Strasbourg", academicRegionCode: "44", departmentCodes: ["67", "68"] },
  {
    code: "16",
    name: "Toulouse",
    academicRegionCode: "76",
    departmentCodes: ["09", "12", "31", "32", "46", "65", "81", "82"],
  },
  { code: "17", name: "Nantes", academicRegionCode: "52", departmentCodes: ["44", "49", "53", "72", "85"] },
  {
    code: "18",
    name: "Orléans-Tours",
    academicRegionCode: "24",
    departmentCodes: ["18", "28", "36", "37", "41", "45"],
  },
  { code: "19", name: "Reims", academicRegionCode: "44", departmentCodes: ["08", "10", "51", "52"] },
  { code: "20", name: "Amiens", academicRegionCode: "32", departmentCodes: ["02", "60", "80"] },
  { code: "22", name: "Limoges", academicRegionCode: "75", departmentCodes: ["19", "23", "87"] },
  { code: "23", name: "Nice", academicRegionCode: "93", departmentCodes: ["06", "83"] },
  { code: "24", name: "Créteil", academicRegionCode: "11", departmentCodes: ["77", "93", "94"] },
  { code: "25", name: "Versailles", academicRegionCode: "11", departmentCodes: ["78", "91", "92", "95"] },
  { code: "27", name: "Corse", academicRegionCode: "94", departmentCodes: ["2A", "2B"] },
  { code: "28", name: "La Réunion", academicRegionCode: "04", departmentCodes: ["974"] },
  { code: "31", name: "Martinique", academicRegionCode: "02", departmentCodes: ["972"] },
  { code: "32", name: "Guadeloupe", academicRegionCode: "01", departmentCodes: ["971"] },
  { code: "33", name: "Guyane", academicRegionCode: "03", departmentCodes: ["973"] },
  { code: "43", name: "Mayotte", academicRegionCode: "06", departmentCodes: ["976"] },
  {
    code: "70",
    name: "Normandie",
    academicRegionCode: "28",
    departmentCodes: ["14", "27", "50", "61", "76"],
  },
];

/** Former académie codes still found in older exports (Caen and Rouen merged into Normandie in 2020). */
export const FORMER_ACADEMY_CODES: Readonly<Record<string, string>> = { "05": "70", "21": "70" };

const academyOfDepartment = new Map<string, Academy>();
for (const academy of ACADEMIES) {
  for (const dep of academy.departmentCodes) academyOfDepartment.set(dep, academy);
}

export const DEPARTMENTS: readonly Department[] = (departementsData as { code: string; nom: string }[])
  .filter((d) => academyOfDepartment.has(d.code))
  .map((d) => {
    const academy = academyOfDepartment.get(d.code) as Academy;
    return {
      code: d.code,
      name: d.nom,
      academyCode: academy.code,
      academicRegionCode: academy.academicRegionCode,
    };
  });

export const departmentByCode: ReadonlyMap<string, Department> = new Map(DEPARTMENTS.map((d) => [d.code, d]));
export const academyByCode: ReadonlyMap<string, Academy> = new Map(ACADEMIES.map((a) => [a.code, a]));
export const academicRegionByCode: ReadonlyMap<string, AcademicRegion> = new Map(
  ACADEMIC_REGIONS.map((r) => [r.code, r]),
);
