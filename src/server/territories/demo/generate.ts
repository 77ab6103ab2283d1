import fs from "node:fs";
import { createRequire } from "node:module";
import type { PriorityEducation, SchoolSector, SchoolType } from "../../../contracts/territories.ts";
import { districtCodeFromSource } from "../annuaire/index.ts";
import { makeUai } from "../codes.ts";
import { ACADEMIES, DEPARTMENTS, type Department } from "../referential.ts";
import type { SchoolRecord } from "../school-record.ts";
import { Random } from "./random.ts";

/**
 * Synthetic, deterministic demo territory: schools spread over real communes in proportion to
 * their population, with type, sector, éducation prioritaire and pupil distributions close to
 * the national ones. Nothing here is real data about a real school.
 */

export const DEMO_SCALES = ["tiny", "academy", "region", "nation"] as const;
export type DemoScale = (typeof DEMO_SCALES)[number];

/** Which départements each scale covers, and how many schools per inhabitant it creates. */
const NATION_SCHOOLS = 60_000;
const SCALE_DEPARTMENTS: Record<DemoScale, (d: Department) => boolean> = {
  tiny: (d) => d.academicRegionCode === "75",
  academy: (d) => d.academyCode === "04",
  region: (d) => d.academicRegionCode === "75",
  nation: () => true,
};
const SCALE_DENSITY: Record<DemoScale, number> = { tiny: 1 / 15, academy: 1, region: 1, nation: 1 };

interface Commune {
  code: string;
  name: string;
  postalCode: string | null;
  population: number;
}

/**
 * Read on demand, not imported: the 8 MB list of communes would otherwise stay in the memory of
 * every process that merely links the demo (the server, the CLI).
 */
function readCommunes(): unknown[] {
  const file = createRequire(import.meta.url).resolve("@etalab/decoupage-administratif/data/communes.json");
  return JSON.parse(fs.readFileSync(file, "utf8")) as unknown[];
}

function communesByDepartment(): Map<string, Commune[]> {
  const byDep = new Map<string, Commune[]>();
  for (const c of readCommunes() as {
    code: string;
    nom: string;
    departement?: string;
    type: string;
    population?: number;
    codesPostaux?: string[];
  }[]) {
    if (c.type !== "commune-actuelle" || !c.departement) continue;
    const list = byDep.get(c.departement) ?? [];
    list.push({
      code: c.code,
      name: c.nom,
      postalCode: c.codesPostaux?.[0] ?? null,
      population: c.population ?? 0,
    });
    byDep.set(c.departement, list);
  }
  return byDep;
}

/** Share of each school type among a département's schools. */
const TYPE_MIX: readonly [SchoolType, number][] = [
  ["ecole_maternelle", 0.22],
  ["ecole_elementaire", 0.27],
  ["ecole_primaire", 0.33],
  ["college", 0.11],
  ["lycee_gt", 0.024],
  ["lycee_polyvalent", 0.02],
  ["lycee_professionnel", 0.02],
  ["lycee_agricole", 0.004],
  ["erea", 0.002],
];

const NATURE: Record<SchoolType, [string, string]> = {
  ecole_maternelle: ["101", "ECOLE MATERNELLE"],
  ecole_elementaire: ["151", "ECOLE DE NIVEAU ELEMENTAIRE"],
  ecole_primaire: ["151", "ECOLE DE NIVEAU ELEMENTAIRE"],
  college: ["340", "COLLEGE"],
  lycee_gt: ["300", "LYCEE ENSEIGNT GENERAL ET TECHNOLOGIQUE"],
  lycee_polyvalent: ["306", "LYCEE POLYVALENT"],
  lycee_professionnel: ["320", "LYCEE PROFESSIONNEL"],
  lycee_agricole: ["307", "LYCEE ENS GENERAL TECHNO PROF AGRICOLE"],
  erea: ["370", "ETAB REGIONAL/LYCEE ENSEIGNEMENT ADAPTE"],
  medico_social: ["240", "INSTITUT MEDICO-EDUCATIF"],
  administration: ["806", "SERVICE DE LA DSDEN"],
  autre: ["000", "AUTRE"],
};

/** Mean and spread of pupils by type. */
const PUPILS: Record<SchoolType, [number, number, number, number]> = {
  ecole_maternelle: [95, 35, 15, 280],
  ecole_elementaire: [175, 70, 20, 450],
  ecole_primaire: [125, 65, 12, 400],
  college: [520, 180, 80, 1100],
  lycee_gt: [1100, 350, 200, 2300],
  lycee_polyvalent: [1200, 400, 250, 2500],
  lycee_professionnel: [430, 150, 80, 1000],
  lycee_agricole: [330, 110, 60, 800],
  erea: [140, 40, 40, 300],
  medico_social: [60, 20, 10, 150],
  administration: [0, 0, 0, 0],
  autre: [0, 0, 0, 0],
};

const PRIVATE_SHARE: Partial<Record<SchoolType, number>> = {
  ecole_maternelle: 0.08,
  ecole_elementaire: 0.12,
  ecole_primaire: 0.16,
  college: 0.21,
  lycee_gt: 0.3,
  lycee_polyvalent: 0.25,
  lycee_professionnel: 0.3,
  lycee_agricole: 0.4,
};

const PATRONS = [
  "Jules Ferry",
  "Jean Moulin",
  "Jacques Prévert",
  "Victor Hugo",
  "Marie Curie",
  "Louise Michel",
  "Paul Bert",
  "Jean Jaurès",
  "Simone Veil",
  "Antoine de Saint-Exupéry",
  "Jean de La Fontaine",
  "Pierre Mendès France",
  "Olympe de Gouges",
  "Albert Camus",
  "George Sand",
  "Joséphine Baker",
  "Condorcet",
  "Gisèle Halimi",
  "Aimé Césaire",
  "Rosa Parks",
  "Les Tilleuls",
  "Les Marronniers",
  "Le Petit Prince",
  "Les Coquelicots",
  "La Fontaine",
  "Jean Macé",
  "Camille Claudel",
  "Émile Zola",
  "Montesquieu",
  "Michel de Montaigne",
];
const PRIVATE_PATRONS = [
  "Saint-Joseph",
  "Sainte-Marie",
  "Notre-Dame",
  "Saint-Michel",
  "Jeanne d'Arc",
  "La Salle",
];

const TYPE_NAME: Record<SchoolType, string> = {
  ecole_maternelle: "École maternelle",
  ecole_elementaire: "École élémentaire",
  ecole_primaire: "École primaire",
  college: "Collège",
  lycee_gt: "Lycée général et technologique",
  lycee_polyvalent: "Lycée polyvalent",
  lycee_professionnel: "Lycée professionnel",
  lycee_agricole: "Lycée agricole",
  erea: "EREA",
  medico_social: "Institut médico-éducatif",
  administration: "Service",
  autre: "Établissement",
};

/** First three digits of a UAI for a département (620 = 2A, 720 = 2B). */
function uaiPrefix(departmentCode: string): number {
  if (departmentCode === "2A") return 620;
  if (departmentCode === "2B") return 720;
  return Number(departmentCode);
}

function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => {
    sum += w;
    return sum;
  });
}

function isoDate(rng: Random): string {
  if (rng.chance(0.6)) return "1965-10-01"; // the Annuaire's default for long-standing schools
  const year = rng.int(1950, 2024);
  return `${year}-09-01`;
}

/**
 * The district codes the generator uses. They follow the shape of the 2026 Annuaire columns
 * (`code_circonscription` is the UAI of the inspection; `code_bassin_formation` is académie + number).
 */
export interface DemoOptions {
  seed?: number;
  /** Multiplies the number of schools (the benchmark uses it to reach a 65 000-row file). */
  density?: number;
}

export function generateDemoSchools(scale: DemoScale, options: DemoOptions = {}): SchoolRecord[] {
  const rng = new Random(options.seed ?? 2026);
  const communes = communesByDepartment();
  const nationPopulation = DEPARTMENTS.reduce(
    (sum, d) => sum + (communes.get(d.code) ?? []).reduce((s, c) => s + c.population, 0),
    0,
  );
  const perInhabitant = (NATION_SCHOOLS / nationPopulation) * SCALE_DENSITY[scale] * (options.density ?? 1);
  const records: SchoolRecord[] = [];
  const academyName = new Map(ACADEMIES.map((a) => [a.code, a.name]));

  for (const dep of DEPARTMENTS.filter(SCALE_DEPARTMENTS[scale])) {
    const depCommunes = (communes.get(dep.code) ?? []).filter((c) => c.population > 0);
    if (depCommunes.length === 0) continue;
    const population = depCommunes.reduce((s, c) => s + c.population, 0);
    const total = Math.max(8, Math.round(population * perInhabitant));
    // Écoles spread widely (population^0.75); secondary schools concentrate in larger communes.
    const primaryWeights = cumulative(depCommunes.map((c) => c.population ** 0.75));
    const secondaryWeights = cumulative(depCommunes.map((c) => (c.population >= 2500 ? c.population : 0)));
    const hasSecondaryTown = (secondaryWeights.at(-1) ?? 0) > 0;
    const prefix = uaiPrefix(dep.code) * 10_000;
    let serial = 1;
    const depRecords: (SchoolRecord & { communePopulation: number })[] = [];

    for (const [type, share] of TYPE_MIX) {
      const count = Math.max(type === "college" ? 1 : 0, Math.round(total * share));
      for (let i = 0; i < count; i++) {
        const primary = type.startsWith("ecole_");
        const weights = primary || !hasSecondaryTown ? primaryWeights : secondaryWeights;
        const commune = depCommunes[rng.weightedIndex(weights)] as Commune;
        const isPrivate = rng.chance(PRIVATE_SHARE[type] ?? 0);
        const sector: SchoolSector = isPrivate
          ? rng.chance(0.08)
            ? "private_no_contract"
            : "private_contract"
          : "public";
        let priorityEducation: PriorityEducation | null = null;
        if (sector === "public" && (primary || type === "college")) {
          const urban = commune.population > 20_000;
          const r = rng.next();
          if (r < (urban ? 0.1 : 0.006)) priorityEducation = "REP+";
          else if (r < (urban ? 0.38 : 0.06)) priorityEducation = "REP";
        }
        const patron = isPrivate ? rng.pick(PRIVATE_PATRONS) : rng.pick(PATRONS);
        const sectorWord = primary ? (isPrivate ? " privée" : " publique") : isPrivate ? " privé" : "";
        const [mean, spread, min, max] = PUPILS[type];
        const [natureCode, natureLabel] = NATURE[type];
        depRecords.push({
          uai: makeUai(prefix + serial++),
          name: `${TYPE_NAME[type]}${sectorWord} ${patron}`,
          type,
          natureCode,
          natureLabel,
          sector,
          priorityEducation,
          communeCode: commune.code,
          communeName: commune.name,
          postalCode: commune.postalCode,
          latitude: null,
          longitude: null,
          departmentCode: dep.code,
          academyCode: dep.academyCode,
          academicRegionCode: dep.academicRegionCode,
          bassin: null,
          circonscription: null,
          status: rng.chance(0.01) ? "closed" : "open",
          openedOn: isoDate(rng),
          pupils: rng.around(mean, spread, min, max),
          sourceUpdatedOn: "2026-09-01",
          communePopulation: commune.population,
        });
      }
    }
    assignDistricts(depRecords, dep, academyName.get(dep.academyCode) ?? dep.academyCode, prefix);
    for (const { communePopulation: _, ...record } of depRecords) records.push(record);
  }
  return records;
}

/**
 * Circonscriptions group about 45 écoles, bassins about 20 secondary schools, by neighbouring
 * communes (INSEE codes are roughly geographic within a département).
 */
function assignDistricts(
  schools: (SchoolRecord & { communePopulation: number })[],
  dep: Department,
  _academyName: string,
  prefix: number,
): void {
  const byCommune = (a: SchoolRecord, b: SchoolRecord) =>
    (a.communeCode ?? "").localeCompare(b.communeCode ?? "");
  const primary = schools.filter((s) => s.type.startsWith("ecole_")).sort(byCommune);
  const secondary = schools.filter((s) => !s.type.startsWith("ecole_")).sort(byCommune);
  const group = (list: typeof schools, size: number, make: (index: number, first: SchoolRecord) => void) => {
    const groups = Math.max(1, Math.round(list.length / size));
    const per = Math.ceil(list.length / groups);
    for (let g = 0; g < groups; g++) {
      const members = list.slice(g * per, (g + 1) * per);
      if (members.length === 0) continue;
      const main = members.reduce((a, b) => (b.communePopulation > a.communePopulation ? b : a));
      make(g, main);
      for (const m of members) make(g, m);
    }
  };
  const circos = new Map<number, { code: string; name: string }>();
  group(primary, 45, (g, s) => {
    let c = circos.get(g);
    if (!c) {
      // The first school seen for a group is its most populated commune's: it names the district.
      c = {
        code: districtCodeFromSource("circonscription", makeUai(prefix + 9999 - g)),
        name: `Circonscription ${ofPlace(s.communeName)}`,
      };
      circos.set(g, c);
      return;
    }
    s.circonscription = c;
  });
  const bassins = new Map<number, { code: string; name: string }>();
  group(secondary, 20, (g, s) => {
    let b = bassins.get(g);
    if (!b) {
      const sourceCode = `${dep.academyCode}${dep.code}${String(g + 1).padStart(2, "0")}`;
      b = { code: districtCodeFromSource("bassin", sourceCode), name: `Bassin ${ofPlace(s.communeName)}` };
      bassins.set(g, b);
      return;
    }
    s.bassin = b;
  });
}

/** "de Bordeaux", "d'Angoulême", "du Mans" is not attempted: articles stay in the name. */
function ofPlace(name: string | null): string {
  const n = name ?? "";
  return /^[AEIOUYÂÉÈÊÎÔÛH]/i.test(n) ? `d'${n}` : `de ${n}`;
}
