import type { ColumnFamily, ColumnSpec, MatchedHeader } from "../framework/types.ts";
import { openDataProfile, push, type RowCells, type RowValue } from "./open-data.ts";

/**
 * `enrolments`: pupils per school and rentrée, the denominators of the per-pupil indicators.
 * Reads the écoles' file (fr-en-ecoles-effectifs-nb_classes: total, classes, pré-élémentaire,
 * CP … CM2 and ULIS), the second degree's (fr-en-effectifs-second-degre: one total) and the
 * collèges' by level and sex (fr-en-college-effectifs-niveau-sexe-lv: « Nombre total de 6èmes »
 * … « 3èmes », and per level « filles » / « garçons » when the file has them) and the lycées' by
 * level (fr-en-lycee_gt-effectifs-niveau-sexe-lv: « 2ndes GT », « 1ères G », « Terminales STMG »…,
 * summed per level). Stored as `pupils_enrolled` (total, `level`, `sex`, `level` × `sex`) and
 * `classes`.
 */

const COUNT = "élèves";

/** First-degree levels: column key, catalogue option, labels (the file's and the dataset's fields). */
const FIRST_DEGREE: readonly { key: string; level: string; labels: readonly string[] }[] = [
  {
    key: "pre",
    level: "pre_elementaire",
    labels: ["Nombre d'élèves en pré-élémentaire hors ULIS", "nombre_eleves_preelementaire_hors_ulis"],
  },
  { key: "cp", level: "cp", labels: ["Nombre d'élèves en CP hors ULIS", "nombre_eleves_cp_hors_ulis"] },
  { key: "ce1", level: "ce1", labels: ["Nombre d'élèves en CE1 hors ULIS", "nombre_eleves_ce1_hors_ulis"] },
  { key: "ce2", level: "ce2", labels: ["Nombre d'élèves en CE2 hors ULIS", "nombre_eleves_ce2_hors_ulis"] },
  { key: "cm1", level: "cm1", labels: ["Nombre d'élèves en CM1 hors ULIS", "nombre_eleves_cm1_hors_ulis"] },
  { key: "cm2", level: "cm2", labels: ["Nombre d'élèves en CM2 hors ULIS", "nombre_eleves_cm2_hors_ulis"] },
  { key: "ulis", level: "ulis_ecole", labels: ["Nombre d'élèves en ULIS", "nombre_eleves_ulis"] },
];

const ELEMENTARY_LEVELS = ["cp", "ce1", "ce2", "cm1", "cm2"];

/** Collège levels as the families' items (the digit of « 6èmes »). */
const COLLEGE_LEVELS: Readonly<Record<string, string>> = {
  "6": "sixieme",
  "5": "cinquieme",
  "4": "quatrieme",
  "3": "troisieme",
};

const COLUMNS: readonly ColumnSpec[] = [
  {
    key: "total",
    labels: [
      "Nombre total d'élèves",
      "nombre_total_eleves",
      "Nombre d'élèves total",
      "nombre_eleves_total",
      "Nombre d'élèves",
      "Nombre_d_eleves",
      "nombre_d_eleves",
    ],
    // Not required: a lycées' file may give its levels only.
    required: false,
  },
  { key: "classes", labels: ["Nombre total de classes", "nombre_total_classes"], required: false },
  {
    key: "elementary",
    labels: ["Nombre d'élèves en élémentaire hors ULIS", "nombre_eleves_elementaire_hors_ulis"],
    required: false,
  },
  ...FIRST_DEGREE.map((l) => ({ key: l.key, labels: l.labels, required: false })),
];

/**
 * Collège families, matched on the header's labels: « Nombre total de 6èmes » (item `6`) and
 * « 6èmes filles », « Nombre de 6èmes garçons »… (item `6:filles`). The patterns are tried on the
 * label as written and lower-cased, accents kept or not.
 */
const FAMILIES: readonly ColumnFamily[] = [
  { key: "levelTotal", pattern: /^nombre[ _]total[ _]de[ _]([6543])[ _]?(?:è|e)mes?$/i },
  // Lycées (fr-en-lycee_gt-effectifs-niveau-sexe-lv): « 2ndes GT », « 1ères STMG », « Terminales G »…
  { key: "lyceeLevel", pattern: /^((?:2ndes?|1(?:è|e)res?|terminales?)[ _]+[a-z0-9]+)$/i },
  {
    key: "levelSex",
    pattern:
      /^(?:nombre[ _](?:d[' _’]?(?:é|e)l(?:è|e)ves[ _])?(?:de[ _]|en[ _])?)?([6543][ _]?(?:è|e)mes?[ _](?:filles|gar(?:ç|c)ons))$/i,
  },
];

function firstDegree(cells: RowCells, values: RowValue[], total: number): void {
  const counts = new Map<string, number>();
  for (const l of FIRST_DEGREE) {
    const n = cells.count(l.key, `${COUNT} (${cells.label(l.key) ?? l.key})`);
    if (n === null) continue;
    counts.set(l.key, n);
    push(values, "pupils_enrolled", n, { level: l.level });
  }
  // The file's own sums must hold: a shifted column would give plausible but wrong levels.
  const elementary = cells.count("elementary", `${COUNT} en élémentaire`);
  if (elementary !== null && ELEMENTARY_LEVELS.every((k) => counts.has(k))) {
    const sum = ELEMENTARY_LEVELS.reduce((s, k) => s + (counts.get(k) ?? 0), 0);
    if (sum !== elementary)
      cells.reject(
        "elementary",
        `CP + CE1 + CE2 + CM1 + CM2 = ${sum}, différent des ${elementary} élèves en élémentaire`,
      );
  }
  const pre = counts.get("pre");
  const ulis = counts.get("ulis");
  if (elementary !== null && pre !== undefined && ulis !== undefined && pre + elementary + ulis !== total)
    cells.reject(
      "total",
      `pré-élémentaire + élémentaire + ULIS = ${pre + elementary + ulis}, différent du total (${total})`,
    );
}

function college(cells: RowCells, values: RowValue[]): void {
  for (const [digit, index] of cells.header.families.get("levelTotal") ?? []) {
    const level = COLLEGE_LEVELS[digit];
    if (!level) continue;
    push(values, "pupils_enrolled", cells.count(`#${index}`, `${COUNT} de ${digit}e`), { level });
  }
  const sexTotals = new Map<string, number>();
  const seen = new Set<string>();
  for (const [item, index] of cells.header.families.get("levelSex") ?? []) {
    const digit = item.charAt(0);
    const level = COLLEGE_LEVELS[digit];
    if (!level) continue;
    const sex = /fille/i.test(item) ? "girls" : "boys";
    const n = cells.count(`#${index}`, `${COUNT} de ${digit}e (${sex === "girls" ? "filles" : "garçons"})`);
    if (n === null) continue;
    push(values, "pupils_enrolled", n, { level, sex });
    sexTotals.set(sex, (sexTotals.get(sex) ?? 0) + n);
    seen.add(`${digit}:${sex}`);
  }
  // A sex total only when every level gave it: a partial sum would pass for the whole.
  for (const sex of ["girls", "boys"]) {
    if (Object.keys(COLLEGE_LEVELS).every((d) => seen.has(`${d}:${sex}`)))
      push(values, "pupils_enrolled", sexTotals.get(sex) ?? null, { sex });
  }
}

/** The catalogue's level of a lycée column (« 1ères G » → première générale, « 1ères STMG » → technologique). */
function lyceeLevelOf(item: string): string {
  const [head = "", track = ""] = item.toLowerCase().split(/[ _]+/);
  if (head.startsWith("2")) return "seconde";
  if (head.startsWith("t")) return "terminale";
  return track === "g" ? "premiere_generale" : "premiere_technologique";
}

/**
 * A lycée's pupils per level: the sum of the level's tracks (« 2ndes GT » + « 2ndes STHR »…), a
 * track the school does not teach being empty or 0. Its sexes are not read (one per track).
 */
function lycee(cells: RowCells, values: RowValue[]): void {
  const sums = new Map<string, number>();
  for (const [item, index] of cells.header.families.get("lyceeLevel") ?? []) {
    const n = cells.count(`#${index}`, `${COUNT} (${item})`);
    const level = lyceeLevelOf(item);
    sums.set(level, (sums.get(level) ?? 0) + (n ?? 0));
  }
  for (const [level, n] of sums) push(values, "pupils_enrolled", n, { level });
}

function checkHeader(header: MatchedHeader): string | null {
  if (header.columns.has("total")) return null;
  const levels = ["levelTotal", "lyceeLevel"].some((k) => (header.families.get(k)?.size ?? 0) > 0);
  return levels
    ? null
    : "colonne « Nombre total d'élèves » (ou « Nombre d'élèves ») ou colonnes par niveau (« Nombre total de 6èmes », « 2ndes GT »…) attendues";
}

export const enrolmentsProfile = openDataProfile({
  code: "enrolments",
  label: "Effectifs d'élèves des écoles, collèges et lycées",
  periodKind: "rentree",
  uaiLabels: [
    "Numéro de l'école",
    "numero_ecole",
    "Numéro du collège",
    "numero_college",
    "Numéro du lycée",
    "numero_lycee",
    "Numéro d'établissement",
    "Numero_d_etablissement",
    "numero_d_etablissement",
    "Numéro de l'établissement",
  ],
  columns: COLUMNS,
  families: FAMILIES,
  checkHeader,
  read: (cells) => {
    const values: RowValue[] = [];
    const total = cells.count("total", "nombre d'élèves");
    push(values, "pupils_enrolled", total);
    push(values, "classes", cells.count("classes", "classes"));
    if (total !== null) firstDegree(cells, values, total);
    college(cells, values);
    lycee(cells, values);
    return { values, tally: { pupils: total ?? 0 } };
  },
});
