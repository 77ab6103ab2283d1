/**
 * The digital-competences framework (CRCN, « cadre de référence des compétences numériques »)
 * as Pix evaluates it: 5 areas, 16 competences 1.1 … 5.2, levels 0 to 8 with 8 pix per level,
 * a score of 0 to 1 024 pix. One list for the server (the Pix import profiles match the export's
 * column labels against it) and the web app (the competences dashboards, their legends), so that
 * a competence is never spelt twice. Zod-free, no I/O.
 */

export interface CrcnArea {
  /** "1" … "5". */
  readonly code: string;
  /** The catalogue's option code of the `crcn_area` breakdown (area_1 …). */
  readonly option: string;
  readonly name: string;
}

export interface CrcnCompetence {
  /** "1.1" … "5.2", as Pix Certif heads its columns. */
  readonly code: string;
  /** The catalogue's option code of the `competence` breakdown (c1_1 …): codes are snake_case. */
  readonly option: string;
  readonly area: string;
  /** The French name, as Pix writes it in « Niveau pour la compétence {nom} ». */
  readonly name: string;
}

export const CRCN_AREAS: readonly CrcnArea[] = [
  { code: "1", option: "area_1", name: "Information et données" },
  { code: "2", option: "area_2", name: "Communication et collaboration" },
  { code: "3", option: "area_3", name: "Création de contenu" },
  { code: "4", option: "area_4", name: "Protection et sécurité" },
  { code: "5", option: "area_5", name: "Environnement numérique" },
];

export const CRCN_COMPETENCES: readonly CrcnCompetence[] = [
  { code: "1.1", option: "c1_1", area: "1", name: "Mener une recherche et une veille d'information" },
  { code: "1.2", option: "c1_2", area: "1", name: "Gérer des données" },
  { code: "1.3", option: "c1_3", area: "1", name: "Traiter des données" },
  { code: "2.1", option: "c2_1", area: "2", name: "Interagir" },
  { code: "2.2", option: "c2_2", area: "2", name: "Partager et publier" },
  { code: "2.3", option: "c2_3", area: "2", name: "Collaborer" },
  { code: "2.4", option: "c2_4", area: "2", name: "S'insérer dans le monde numérique" },
  { code: "3.1", option: "c3_1", area: "3", name: "Développer des documents textuels" },
  { code: "3.2", option: "c3_2", area: "3", name: "Développer des documents multimédia" },
  { code: "3.3", option: "c3_3", area: "3", name: "Adapter les documents à leur finalité" },
  { code: "3.4", option: "c3_4", area: "3", name: "Programmer" },
  { code: "4.1", option: "c4_1", area: "4", name: "Sécuriser l'environnement numérique" },
  { code: "4.2", option: "c4_2", area: "4", name: "Protéger les données personnelles et la vie privée" },
  { code: "4.3", option: "c4_3", area: "4", name: "Protéger la santé, le bien-être et l'environnement" },
  { code: "5.1", option: "c5_1", area: "5", name: "Résoudre des problèmes techniques" },
  { code: "5.2", option: "c5_2", area: "5", name: "Construire un environnement numérique" },
];

/** Levels a competence can have in Pix: 0 (not started) to 8. */
export const PIX_MAX_LEVEL = 8;
/** Each level is worth 8 pix: a competence at level n has 8n to 8n + 7 pix (64 at level 8). */
export const PIX_PER_LEVEL = 8;
/** The most pix one competence gives (level 8), and the whole profile (16 × 64). */
export const PIX_MAX_PER_COMPETENCE = PIX_MAX_LEVEL * PIX_PER_LEVEL;
export const PIX_MAX_TOTAL = PIX_MAX_PER_COMPETENCE * CRCN_COMPETENCES.length;
/** A profile is certifiable with at least this many competences at level 1 or above. */
export const CERTIFIABLE_MIN_COMPETENCES = 5;

/** The `pix_level` breakdown's option code of a level (level_0 … level_8). */
export const pixLevelOption = (level: number): string => `level_${level}`;

/** The level a competence's pix count gives (8 pix per level, at most level 8). */
export function levelOfPix(pix: number): number {
  return Math.min(PIX_MAX_LEVEL, Math.floor(pix / PIX_PER_LEVEL));
}

/** The score bands of a Pix profile (legend of the dashboards). */
export interface PixScoreBand {
  readonly min: number;
  /** Inclusive; null for the last band. */
  readonly max: number | null;
  readonly label: string;
}

export const PIX_SCORE_BANDS: readonly PixScoreBand[] = [
  { min: 0, max: 63, label: "Pré-débutant" },
  { min: 64, max: 127, label: "Débutant 1" },
  { min: 128, max: 255, label: "Débutant 2" },
  { min: 256, max: 383, label: "Indépendant 3" },
  { min: 384, max: 511, label: "Indépendant 4" },
  { min: 512, max: 639, label: "Avancé 5" },
  { min: 640, max: 767, label: "Avancé 6" },
  { min: 768, max: 895, label: "Expert 7" },
  { min: 896, max: null, label: "Expert 8" },
];

export function scoreBandOf(pix: number): PixScoreBand {
  let band = PIX_SCORE_BANDS[0] as PixScoreBand;
  for (const b of PIX_SCORE_BANDS) if (pix >= b.min) band = b;
  return band;
}

/**
 * Roadmap targets by class level (`level` breakdown): the level expected on every competence
 * (Poitiers 2020-2021: level 1 in 3e, level 2 in terminale) and the mean score (Nouvelle-Aquitaine
 * 2021: 128 pix in 3e, 256 in terminale).
 */
export const PIX_TARGET_LEVEL: Readonly<Record<string, number>> = { troisieme: 1, terminale: 2 };
export const PIX_TARGET_MEAN_SCORE: Readonly<Record<string, number>> = { troisieme: 128, terminale: 256 };

/** Lower case, no accents, typographic apostrophes and dashes straightened, spaces collapsed. */
export function crcnKey(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u2010-\u2015]/g, "-")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

const BY_KEY = new Map<string, CrcnCompetence>();
for (const c of CRCN_COMPETENCES) {
  BY_KEY.set(crcnKey(c.name), c);
  BY_KEY.set(c.code, c);
}
const AREA_BY_KEY = new Map<string, CrcnArea>(CRCN_AREAS.map((a) => [crcnKey(a.name), a]));

/**
 * The competence a label names: its French name (accents, case, apostrophes ignored), its code
 * (« 1.1 »), or both (« 1.1 Mener une recherche… »). Null when it names none.
 */
export function findCompetence(label: string): CrcnCompetence | null {
  const key = crcnKey(label);
  const direct = BY_KEY.get(key);
  if (direct) return direct;
  const coded = /^(\d\.\d)\s*[-–:.]?\s*(.*)$/.exec(key);
  if (coded) {
    const byCode = BY_KEY.get(coded[1] as string);
    if (byCode && (coded[2] === "" || BY_KEY.get(coded[2] as string) === byCode)) return byCode;
  }
  return null;
}

/** The area a label names (« Information et données », or « 1 - Information et données »). */
export function findArea(label: string): CrcnArea | null {
  const key = crcnKey(label).replace(/^\d\s*[-–:.]?\s*/, "");
  return AREA_BY_KEY.get(key) ?? null;
}
