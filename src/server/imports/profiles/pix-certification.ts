import { crcnKey, PIX_MAX_LEVEL, PIX_MAX_TOTAL, pixLevelOption } from "../../../contracts/crcn.ts";
import type {
  ColumnSpec,
  MatchedHeader,
  Profile,
  ProfileContext,
  ProfileResult,
  ProfileRow,
  ProfileValue,
  RowIssue,
  RowOutcome,
} from "../framework/types.ts";
import {
  addInto,
  COMPETENCE_BY_CODE,
  COMPETENCE_CODES,
  cellOf,
  competenceColumns,
  dayNumber,
  dayOfNumber,
  dayProblem,
  Interned,
  integerCell,
  isMissing,
  issue,
  levelOfClass,
  memoYear,
  pixDay,
  preferRecord,
  pupilKeyer,
  RecordStore,
  wrongPixProfile,
} from "./pix-common.ts";
import { cmp, sum } from "./pix-profiles.ts";

/**
 * Pix certification results by class (`vigie import pix-certification`): one row per
 * certification, a pupil who sat several sessions has several rows and counts once, for the
 * latest. Aggregated per school year × class: candidates, validated, Σ pix of the validated, and
 * certified levels per competence (« - »: not tested or not valid). The names and birth date only
 * feed the one-way key; the jury's comment is never read.
 */

export const PIX_CERTIFICATION_CODE = "pix-certification";

const COLUMNS: readonly ColumnSpec[] = [
  { key: "certificationNumber", labels: ["Numéro de certification"], required: true, personal: true },
  { key: "firstName", labels: ["Prénom"], required: false, personal: true },
  { key: "lastName", labels: ["Nom"], required: false, personal: true },
  { key: "birthDate", labels: ["Date de naissance"], required: false, personal: true },
  { key: "birthPlace", labels: ["Lieu de naissance"], required: false, personal: true },
  { key: "externalId", labels: ["Identifiant Externe"], required: false, personal: true },
  { key: "status", labels: ["Statut"], required: true },
  { key: "pix", labels: ["Nombre de Pix"], required: true },
  { key: "juryComment", labels: ["Commentaire jury pour l'organisation"], required: false, personal: true },
  { key: "session", labels: ["Session", "Numéro de session"], required: false },
  { key: "date", labels: ["Date de passage de la certification"], required: true },
  { key: "class", labels: ["Classe", "Division"], required: false },
];

const FAMILIES = [{ key: "level", pattern: /^([1-5]\.[1-4])$/ }];

/** Statuses, as Pix writes them, by their normalised form; `validated` only counts as certified. */
const STATUSES: ReadonlyMap<string, number> = new Map([
  ["validee", 1],
  ["rejetee", 2],
  ["annulee", 3],
  ["en erreur", 4],
  ["demarree", 5],
]);
const STATUS_NAMES = ["validated", "rejected", "cancelled", "error", "started"] as const;

// Record layout: class, status, day, session (number or 0), pix (-1 none), 16 levels (-1: « - »).
const CLASS = 0;
const STATUS = 1;
const DAY = 2;
const SESSION = 3;
const PIX = 4;
const LEVELS = 5;
const WIDTH = LEVELS + COMPETENCE_CODES.length;

export interface PixCertificationClassSummary {
  readonly period: string;
  readonly class: string | null;
  readonly level: string | null;
  readonly candidates: number;
  readonly validated: number;
  readonly rejected: number;
  readonly cancelled: number;
  readonly error: number;
  readonly started: number;
  /** Σ pix of the validated certifications. */
  readonly pixTotal: number;
  readonly lastSessionOn: string | null;
  /** Per competence code, validated certifications at each certified level 0 … 8 (« - » not counted). */
  readonly levels: Readonly<Record<string, readonly number[]>>;
}

export interface PixCertificationDetail {
  readonly profile: typeof PIX_CERTIFICATION_CODE;
  readonly uai: string;
  readonly classes: readonly PixCertificationClassSummary[];
}

interface State {
  readonly context: ProfileContext;
  readonly header: MatchedHeader;
  readonly levels: ReadonlyMap<string, number>;
  readonly key: (parts: readonly (string | undefined)[]) => Buffer;
  readonly store: RecordStore;
  readonly classes: Interned;
}

function checkHeader(header: MatchedHeader): string | null {
  const wrong = wrongPixProfile(header, PIX_CERTIFICATION_CODE);
  if (wrong) return wrong;
  if (competenceColumns(header, "level").byCompetence.size === 0)
    return "Aucune colonne de compétence « 1.1 » … « 5.2 » : ce n'est pas un export des résultats de certification Pix.";
  return null;
}

function start(context: ProfileContext, header: MatchedHeader): State {
  return {
    context,
    header,
    levels: competenceColumns(header, "level").byCompetence,
    key: pupilKeyer(),
    store: new RecordStore(WIDTH, LEVELS),
    classes: new Interned(),
  };
}

function readRow(state: State, r: ProfileRow, slots: Int32Array): RowIssue[] {
  const { header } = state;
  const issues: RowIssue[] = [];
  const status = STATUSES.get(crcnKey(cellOf(header, r, "status") ?? ""));
  if (status === undefined)
    issues.push(
      issue(header, r, "status", "statut inconnu (Validée, Rejetée, Annulée, En erreur ou Démarrée attendu)"),
    );
  else slots[STATUS] = status;
  const day = pixDay(cellOf(header, r, "date"));
  if (day === null) issues.push(issue(header, r, "date", "date de passage manquante"));
  else if (day === "invalid") issues.push(issue(header, r, "date", "date illisible (JJ/MM/AAAA attendu)"));
  else {
    const problem = dayProblem(day, state.context);
    if (problem) issues.push(issue(header, r, "date", problem));
    else slots[DAY] = dayNumber(day);
  }
  const session = integerCell(cellOf(header, r, "session"));
  slots[SESSION] = typeof session === "number" ? session : 0;
  const pix = integerCell(cellOf(header, r, "pix"));
  slots[PIX] = -1;
  if (status === 1) {
    if (pix === null || pix === "invalid" || pix > PIX_MAX_TOTAL)
      issues.push(
        issue(
          header,
          r,
          "pix",
          `nombre de pix invalide pour une certification validée (entier de 0 à ${PIX_MAX_TOTAL} attendu)`,
        ),
      );
    else slots[PIX] = pix;
  }
  COMPETENCE_CODES.forEach((code, c) => {
    slots[LEVELS + c] = -1;
    const i = state.levels.get(code);
    if (i === undefined || status !== 1) return;
    const level = integerCell(r.cells[i]);
    if (level === null) return;
    if (level === "invalid" || level > PIX_MAX_LEVEL)
      issues.push({
        line: r.line,
        column: header.labels[i] ?? null,
        reason:
          level === "invalid"
            ? "niveau invalide (entier de 0 à 8, ou « - », attendu)"
            : `niveau ${level} hors de l'échelle 0 à ${PIX_MAX_LEVEL}`,
      });
    else slots[LEVELS + c] = level;
  });
  return issues;
}

function row(state: State, r: ProfileRow): RowOutcome {
  const { header } = state;
  if (r.cells.every((c) => isMissing(c))) return { kind: "empty" };
  const slots = new Int32Array(WIDTH);
  const c = cellOf(header, r, "class");
  const label = isMissing(c) ? "" : (c as string).trim();
  slots[CLASS] = state.classes.of(label);
  const issues = readRow(state, r, slots);
  if (issues.length > 0) return { kind: "rejected", issues };
  const externalId = cellOf(header, r, "externalId");
  const key = !isMissing(externalId)
    ? state.key(["id", externalId])
    : state.key([
        "name",
        cellOf(header, r, "lastName"),
        cellOf(header, r, "firstName"),
        cellOf(header, r, "birthDate"),
      ]);
  const existing = state.store.find(key);
  if (existing === undefined) {
    state.store.set(state.store.add(key, r.line), slots);
    return { kind: "accepted" };
  }
  const old = state.store.slots(existing);
  const neutral = (s: Int32Array) => Int32Array.from(s, (x, i) => (i === CLASS ? 0 : x));
  const byContent = preferRecord(neutral(slots), neutral(old), [DAY, SESSION]);
  if (byContent > 0 || (byContent === 0 && label > (state.classes.items[old[CLASS] as number] ?? "")))
    state.store.set(existing, slots);
  return {
    kind: "duplicate",
    issue: {
      line: r.line,
      column: null,
      reason: `candidat déjà lu ligne ${state.store.firstLine(existing)} : compté une fois (la session la plus récente)`,
    },
  };
}

/** The class level of a file without a class column: certification is in 3e at a collège, in terminale at a lycée. */
function levelOfSchool(context: ProfileContext): string | null {
  const type = context.school?.type ?? "";
  if (type === "college") return "troisieme";
  if (type.startsWith("lycee")) return "terminale";
  return null;
}

function finish(state: State): ProfileResult {
  const { store, context } = state;
  const yearOf = memoYear();
  const groups = new Map<
    string,
    { period: string; label: string; counts: number[]; pix: number; lastDay: number; levels: number[][] }
  >();
  for (let p = 0; p < store.size; p++) {
    const period = context.period ?? yearOf(store.get(p, DAY));
    const label = state.classes.items[store.get(p, CLASS)] ?? "";
    const id = `${period}\u0000${label}`;
    let g = groups.get(id);
    if (!g) {
      g = {
        period,
        label,
        counts: [0, 0, 0, 0, 0, 0],
        pix: 0,
        lastDay: 0,
        levels: COMPETENCE_CODES.map(() => new Array<number>(PIX_MAX_LEVEL + 1).fill(0)),
      };
      groups.set(id, g);
    }
    const status = store.get(p, STATUS);
    g.counts[status] = (g.counts[status] as number) + 1;
    g.lastDay = Math.max(g.lastDay, store.get(p, DAY));
    if (status !== 1) continue;
    g.pix += store.get(p, PIX);
    for (let c = 0; c < COMPETENCE_CODES.length; c++) {
      const level = store.get(p, LEVELS + c);
      const counts = g.levels[c] as number[];
      if (level >= 0) counts[level] = (counts[level] as number) + 1;
    }
  }
  const schoolLevel = levelOfSchool(context);
  const classes: PixCertificationClassSummary[] = [...groups.values()]
    .sort((a, b) => cmp(a.period, b.period) || cmp(a.label, b.label))
    .map((g) => ({
      period: g.period,
      class: g.label === "" ? null : g.label,
      level: g.label === "" ? schoolLevel : levelOfClass(g.label),
      candidates: sum(g.counts, (n) => n),
      validated: g.counts[1] as number,
      rejected: g.counts[2] as number,
      cancelled: g.counts[3] as number,
      error: g.counts[4] as number,
      started: g.counts[5] as number,
      pixTotal: g.pix,
      lastSessionOn: g.lastDay === 0 ? null : dayOfNumber(g.lastDay),
      levels: Object.fromEntries(COMPETENCE_CODES.map((code, c) => [code, g.levels[c] as number[]])),
    }));
  const detail: PixCertificationDetail = {
    profile: PIX_CERTIFICATION_CODE,
    uai: context.school?.uai ?? "",
    classes,
  };
  const summary: Record<string, number> = {
    candidates: sum(classes, (c) => c.candidates),
    classes: new Set(classes.filter((c) => c.class !== null).map((c) => c.class)).size,
  };
  for (const name of STATUS_NAMES) summary[name] = sum(classes, (c) => c[name]);
  return { values: context.school ? combinePixCertification([detail]) : [], summary, detail };
}

/**
 * The values of one or several certification files of one school: each class (or, without a
 * class column, the school's whole file) counts once per school year, from its latest session;
 * classes add up.
 */
export function combinePixCertification(details: readonly unknown[]): ProfileValue[] {
  const latest = new Map<string, { uai: string; c: PixCertificationClassSummary }>();
  for (const d of details) {
    if (!isDetail(d)) continue;
    for (const c of d.classes) {
      const id = `${d.uai}\u0000${c.period}\u0000${c.class ?? ""}`;
      const known = latest.get(id);
      if (!known || (c.lastSessionOn ?? "") > (known.c.lastSessionOn ?? ""))
        latest.set(id, { uai: d.uai, c });
    }
  }
  const buckets = new Map<
    string,
    { uai: string; period: string; level: string | null; classes: PixCertificationClassSummary[] }
  >();
  for (const { uai, c } of latest.values())
    for (const level of c.level === null ? [null] : [null, c.level]) {
      const id = `${uai}\u0000${c.period}\u0000${level ?? ""}`;
      const b = buckets.get(id) ?? { uai, period: c.period, level, classes: [] };
      b.classes.push(c);
      buckets.set(id, b);
    }
  const values: ProfileValue[] = [];
  for (const b of [...buckets.values()].sort(
    (x, y) => cmp(x.uai, y.uai) || cmp(x.period, y.period) || cmp(x.level ?? "", y.level ?? ""),
  )) {
    const base: Record<string, string> = b.level === null ? {} : { level: b.level };
    const put = (dataElement: string, value: number, extra: Record<string, string> = {}) =>
      values.push({
        uai: b.uai,
        dataElement,
        period: b.period,
        disaggregation: { ...base, ...extra },
        value,
      });
    put(
      "pupils_pix_certification_candidates",
      sum(b.classes, (c) => c.candidates),
    );
    put(
      "pupils_pix_certified",
      sum(b.classes, (c) => c.validated),
    );
    put(
      "pix_certification_score_total",
      sum(b.classes, (c) => c.pixTotal),
    );
    for (const code of COMPETENCE_CODES) {
      const competence = (COMPETENCE_BY_CODE.get(code) as { option: string }).option;
      const counts = new Array<number>(PIX_MAX_LEVEL + 1).fill(0);
      for (const c of b.classes) addInto(counts, c.levels[code] ?? []);
      for (const [k, n] of counts.entries())
        put("pupils_pix_certification_competence_level", n, { competence, pix_level: pixLevelOption(k) });
      put(
        "pupils_pix_certification_competence_tested",
        sum(counts, (n) => n),
        { competence },
      );
      put(
        "pix_certification_competence_level_sum",
        counts.reduce((s, n, k) => s + n * k, 0),
        { competence },
      );
    }
  }
  return values;
}

function isDetail(d: unknown): d is PixCertificationDetail {
  return (
    typeof d === "object" && d !== null && (d as { profile?: unknown }).profile === PIX_CERTIFICATION_CODE
  );
}

export const pixCertificationProfile: Profile<State> = {
  code: PIX_CERTIFICATION_CODE,
  label: "Pix Certif — résultats de certification par classe",
  columns: COLUMNS,
  families: FAMILIES,
  needsSchool: true,
  checkHeader,
  start,
  row,
  finish,
  combine: combinePixCertification,
};
