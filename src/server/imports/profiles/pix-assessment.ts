import { CRCN_AREAS, findArea } from "../../../contracts/crcn.ts";
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
  type CompetenceColumns,
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
  percentCell,
  pixDay,
  preferRecord,
  pupilKeyer,
  RecordStore,
  schoolYearOf,
  wrongPixProfile,
  yesNo,
} from "./pix-common.ts";
import { cmp, sum } from "./pix-profiles.ts";

/**
 * Pix Orga, assessment campaign (`vigie import pix-assessment`): one row per participant with
 * the mastery of the target profile (« parcours ») overall, per competence and per area, and,
 * when the parcours has them, the « palier » and badges obtained. Aggregated per school year ×
 * campaign × class: participants, shared, Σ overall mastery, skills mastered and targeted per
 * competence and area, pupils per palier. Names only feed the one-way de-duplication key.
 */

export const PIX_ASSESSMENT_CODE = "pix-assessment";
/** Paliers the `pix_stage` breakdown has (0 to 10). */
const MAX_STAGE = 10;

const COLUMNS: readonly ColumnSpec[] = [
  { key: "organization", labels: ["Nom de l'organisation"], required: false },
  { key: "campaignId", labels: ["ID Campagne"], required: true },
  { key: "campaignCode", labels: ["Code", "Code de la campagne"], required: false },
  { key: "campaignName", labels: ["Nom de la campagne"], required: false },
  { key: "targetProfile", labels: ["Parcours", "Nom du Profil Cible"], required: false },
  { key: "lastName", labels: ["Nom du Participant"], required: false, personal: true },
  { key: "firstName", labels: ["Prénom du Participant"], required: false, personal: true },
  {
    key: "externalId",
    labels: ["Identifiant externe", "Numéro Étudiant", "INE"],
    required: false,
    personal: true,
  },
  { key: "class", labels: ["Classe", "Division"], required: false },
  { key: "group", labels: ["Groupe"], required: false },
  { key: "progress", labels: ["% de progression"], required: true },
  { key: "startedAt", labels: ["Date et heure de début (Europe/Paris)", "Date de début"], required: false },
  { key: "shared", labels: ["Partage (O/N)"], required: true },
  { key: "sharedAt", labels: ["Date et heure du partage (Europe/Paris)", "Date du partage"], required: true },
  { key: "mastery", labels: ["% maitrise de l'ensemble des acquis du profil"], required: true },
];

const FAMILIES = [
  { key: "stage", pattern: /^palier obtenu \(\/\s*(\d+)\s*\)$/i },
  { key: "badge", pattern: /^(.+) obtenu \(o\/n\)$/i },
  { key: "competenceTargeted", pattern: /^nombre d.acquis du profil cible dans la comp[eé]tence (.+)$/i },
  { key: "competenceMastered", pattern: /^acquis ma[iî]tris[eé]s dans la comp[eé]tence (.+)$/i },
  { key: "areaTargeted", pattern: /^nombre d.acquis du profil cible du domaine (.+)$/i },
  { key: "areaMastered", pattern: /^acquis ma[iî]tris[eé]s du domaine (.+)$/i },
];

// Record layout: class, campaign, shared, day, overall mastery (hundredths of a percent), palier
// (-1: none), badges (bit mask), then mastered/targeted per competence, then per area (-1: absent).
const CLASS = 0;
const CAMPAIGN = 1;
const SHARED = 2;
const DAY = 3;
const MASTERY = 4;
const STAGE = 5;
const BADGES = 6;
const COMPETENCES = 7;
const AREAS = COMPETENCES + 2 * COMPETENCE_CODES.length;
const WIDTH = AREAS + 2 * CRCN_AREAS.length;
const MAX_BADGES = 30;
/** Skills of one competence or area in a target profile: Pix's have tens; more is no Pix export. */
const MAX_SKILLS = 9999;

export interface SkillCounts {
  readonly mastered: number;
  readonly targeted: number;
}

/** One campaign × class of one school year: counts only. */
export interface PixAssessmentClassSummary {
  readonly period: string;
  readonly campaignId: string;
  /** The parcours (target profile) name, as Pix names it. */
  readonly targetProfile: string | null;
  readonly class: string | null;
  readonly level: string | null;
  readonly participants: number;
  readonly shared: number;
  /** Σ of the overall mastery (percent) of the shared participations. */
  readonly masterySum: number;
  readonly lastSharedOn: string | null;
  readonly competences: Readonly<Record<string, SkillCounts>>;
  readonly areas: Readonly<Record<string, SkillCounts>>;
  /** The parcours's number of paliers (« Palier obtenu (/N) »), null without paliers. */
  readonly stageCount: number | null;
  /** Shared participations per palier obtained, index = palier. */
  readonly stages: readonly number[];
  /** Shared participations per badge obtained (badge name → count). */
  readonly badges: Readonly<Record<string, number>>;
}

export interface PixAssessmentDetail {
  readonly profile: typeof PIX_ASSESSMENT_CODE;
  readonly uai: string;
  readonly classes: readonly PixAssessmentClassSummary[];
}

interface State {
  readonly context: ProfileContext;
  readonly header: MatchedHeader;
  readonly targeted: CompetenceColumns;
  readonly mastered: CompetenceColumns;
  readonly areaTargeted: ReadonlyMap<string, number>;
  readonly areaMastered: ReadonlyMap<string, number>;
  readonly stage: { readonly index: number; readonly count: number } | null;
  readonly badges: readonly { readonly name: string; readonly index: number }[];
  readonly key: (parts: readonly (string | undefined)[]) => Buffer;
  readonly store: RecordStore;
  readonly classes: Interned;
  readonly campaigns: Interned;
  readonly targetProfiles: Map<number, string>;
}

function areaColumns(
  header: MatchedHeader,
  family: string,
): { byArea: Map<string, number>; unknown: string[] } {
  const byArea = new Map<string, number>();
  const unknown: string[] = [];
  for (const [item, index] of header.families.get(family) ?? new Map<string, number>()) {
    const a = findArea(item);
    if (a) byArea.set(a.code, index);
    else unknown.push(item);
  }
  return { byArea, unknown };
}

function checkHeader(header: MatchedHeader): string | null {
  const wrong = wrongPixProfile(header, PIX_ASSESSMENT_CODE);
  if (wrong) return wrong;
  const unknown = [
    ...competenceColumns(header, "competenceTargeted").unknown,
    ...competenceColumns(header, "competenceMastered").unknown,
  ];
  if (unknown.length > 0) return `Compétence inconnue du cadre de référence (CRCN) : « ${unknown[0]} ».`;
  const areas = [
    ...areaColumns(header, "areaTargeted").unknown,
    ...areaColumns(header, "areaMastered").unknown,
  ];
  if (areas.length > 0) return `Domaine inconnu du cadre de référence (CRCN) : « ${areas[0]} ».`;
  const stages = header.families.get("stage");
  if (stages && stages.size > 1) return "Plusieurs colonnes « Palier obtenu (/N) » : une seule est attendue.";
  const [count] = stages?.keys() ?? [];
  if (count !== undefined && Number(count) > MAX_STAGE)
    return `Parcours à ${count} paliers : Vigie en ventile au plus ${MAX_STAGE}.`;
  return null;
}

function start(context: ProfileContext, header: MatchedHeader): State {
  const [stage] = header.families.get("stage") ?? new Map<string, number>();
  const badges = [...(header.families.get("badge") ?? new Map<string, number>())]
    .filter(([name]) => !/^palier/i.test(name))
    .slice(0, MAX_BADGES)
    .map(([name, index]) => ({ name, index }));
  return {
    context,
    header,
    targeted: competenceColumns(header, "competenceTargeted"),
    mastered: competenceColumns(header, "competenceMastered"),
    areaTargeted: areaColumns(header, "areaTargeted").byArea,
    areaMastered: areaColumns(header, "areaMastered").byArea,
    stage: stage ? { count: Number(stage[0]), index: stage[1] } : null,
    badges,
    key: pupilKeyer(),
    store: new RecordStore(WIDTH, COMPETENCES, 16),
    classes: new Interned(),
    campaigns: new Interned(),
    targetProfiles: new Map(),
  };
}

/** Mastered and targeted skills of one competence or area into `slots`; an issue when they do not hold. */
function readSkills(
  header: MatchedHeader,
  r: ProfileRow,
  columns: readonly [number | undefined, number | undefined],
  slot: number,
  slots: Int32Array,
): RowIssue | null {
  slots[slot] = -1;
  slots[slot + 1] = -1;
  const [mi, ti] = columns;
  if (mi === undefined || ti === undefined) return null;
  const mastered = integerCell(r.cells[mi]);
  const targeted = integerCell(r.cells[ti]);
  if (mastered === null && targeted === null) return null;
  if (mastered === null || mastered === "invalid")
    return {
      line: r.line,
      column: header.labels[mi] ?? null,
      reason: "nombre d'acquis maîtrisés invalide (entier attendu)",
    };
  if (targeted === null || targeted === "invalid")
    return {
      line: r.line,
      column: header.labels[ti] ?? null,
      reason: "nombre d'acquis du profil cible invalide (entier attendu)",
    };
  if (targeted > MAX_SKILLS)
    return {
      line: r.line,
      column: header.labels[ti] ?? null,
      reason: `${targeted} acquis visés dans une compétence ou un domaine (au plus ${MAX_SKILLS})`,
    };
  if (mastered > targeted)
    return {
      line: r.line,
      column: header.labels[mi] ?? null,
      reason: `${mastered} acquis maîtrisés pour ${targeted} acquis visés`,
    };
  slots[slot] = mastered;
  slots[slot + 1] = targeted;
  return null;
}

function readShared(state: State, r: ProfileRow, slots: Int32Array): RowIssue[] {
  const { header } = state;
  const issues: RowIssue[] = [];
  const day = pixDay(cellOf(header, r, "sharedAt"));
  if (day === null)
    issues.push(issue(header, r, "sharedAt", "date de partage manquante pour une participation partagée"));
  else if (day === "invalid")
    issues.push(issue(header, r, "sharedAt", "date illisible (AAAA-MM-JJ ou JJ/MM/AAAA HH:mm attendu)"));
  else {
    const problem = dayProblem(day, state.context);
    if (problem) issues.push(issue(header, r, "sharedAt", problem));
    else slots[DAY] = dayNumber(day);
  }
  const mastery = percentCell(cellOf(header, r, "mastery"));
  if (mastery === null || mastery === "invalid")
    issues.push(
      issue(
        header,
        r,
        "mastery",
        mastery === null
          ? "taux de maîtrise manquant pour une participation partagée"
          : "taux de maîtrise invalide (0 à 1, ou 0 à 100 %, attendu)",
      ),
    );
  else slots[MASTERY] = Math.round(mastery * 100);
  slots[STAGE] = -1;
  if (state.stage) {
    const stage = integerCell(r.cells[state.stage.index]);
    if (stage === "invalid" || (stage !== null && stage > state.stage.count))
      issues.push({
        line: r.line,
        column: header.labels[state.stage.index] ?? null,
        reason: `palier invalide (entier de 0 à ${state.stage.count} attendu)`,
      });
    else if (stage !== null) slots[STAGE] = stage;
  }
  state.badges.forEach((b, i) => {
    const got = yesNo(r.cells[b.index]);
    if (got === "invalid")
      issues.push({
        line: r.line,
        column: header.labels[b.index] ?? null,
        reason: "badge illisible (Oui/Non attendu)",
      });
    else if (got) slots[BADGES] = (slots[BADGES] as number) | (1 << i);
  });
  COMPETENCE_CODES.forEach((code, c) => {
    const problem = readSkills(
      header,
      r,
      [state.mastered.byCompetence.get(code), state.targeted.byCompetence.get(code)],
      COMPETENCES + 2 * c,
      slots,
    );
    if (problem) issues.push(problem);
  });
  CRCN_AREAS.forEach((a, i) => {
    const problem = readSkills(
      header,
      r,
      [state.areaMastered.get(a.code), state.areaTargeted.get(a.code)],
      AREAS + 2 * i,
      slots,
    );
    if (problem) issues.push(problem);
  });
  return issues;
}

function row(state: State, r: ProfileRow): RowOutcome {
  const { header } = state;
  if (r.cells.every((c) => isMissing(c))) return { kind: "empty" };
  const shared = yesNo(cellOf(header, r, "shared"));
  if (shared === null || shared === "invalid")
    return {
      kind: "rejected",
      issues: [
        issue(
          header,
          r,
          "shared",
          shared === null ? "partage (O/N) manquant" : "partage illisible (Oui/Non ou O/N attendu)",
        ),
      ],
    };
  const progress = percentCell(cellOf(header, r, "progress"));
  if (progress === "invalid")
    return {
      kind: "rejected",
      issues: [issue(header, r, "progress", "progression invalide (0 à 1, ou 0 à 100 %, attendu)")],
    };
  const startedAt = pixDay(cellOf(header, r, "startedAt"));
  if (startedAt === "invalid")
    return {
      kind: "rejected",
      issues: [issue(header, r, "startedAt", "date illisible (AAAA-MM-JJ ou JJ/MM/AAAA HH:mm attendu)")],
    };
  if (startedAt !== null && startedAt > state.context.today)
    return {
      kind: "rejected",
      issues: [
        issue(header, r, "startedAt", dayProblem(startedAt, { ...state.context, period: null }) as string),
      ],
    };
  const slots = new Int32Array(WIDTH).fill(-1);
  const label = classLabel(header, r);
  slots[CLASS] = state.classes.of(label);
  slots[CAMPAIGN] = state.campaigns.of((cellOf(header, r, "campaignId") ?? "").trim());
  const target = cellOf(header, r, "targetProfile");
  if (!isMissing(target) && !state.targetProfiles.has(slots[CAMPAIGN] as number))
    state.targetProfiles.set(slots[CAMPAIGN] as number, (target as string).trim().slice(0, 200));
  slots[SHARED] = shared ? 1 : 0;
  slots[DAY] = 0;
  slots[MASTERY] = 0;
  slots[BADGES] = 0;
  if (shared) {
    const issues = readShared(state, r, slots);
    if (issues.length > 0) return { kind: "rejected", issues };
  }
  return remember(state, r, slots, label);
}

function classLabel(header: MatchedHeader, r: ProfileRow): string {
  const c = cellOf(header, r, "class");
  const g = cellOf(header, r, "group");
  return !isMissing(c) ? (c as string).trim() : !isMissing(g) ? (g as string).trim() : "";
}

function remember(state: State, r: ProfileRow, slots: Int32Array, label: string): RowOutcome {
  const { header } = state;
  const externalId = cellOf(header, r, "externalId");
  const last = cellOf(header, r, "lastName");
  const first = cellOf(header, r, "firstName");
  const campaign = state.campaigns.items[slots[CAMPAIGN] as number];
  const key = !isMissing(externalId)
    ? state.key(["id", campaign, externalId])
    : !isMissing(last) || !isMissing(first)
      ? state.key(["name", campaign, last, first, label])
      : null;
  const existing = state.store.find(key);
  if (existing === undefined) {
    state.store.set(state.store.add(key, r.line), slots);
    return { kind: "accepted" };
  }
  const old = state.store.slots(existing);
  const neutral = (s: Int32Array) => Int32Array.from(s, (x, i) => (i === CLASS || i === CAMPAIGN ? 0 : x));
  if (preferRecord(neutral(slots), neutral(old), [SHARED, DAY]) > 0) state.store.set(existing, slots);
  return {
    kind: "duplicate",
    issue: {
      line: r.line,
      column: null,
      reason: `participant déjà lu ligne ${state.store.firstLine(existing)} : compté une fois (le partage le plus récent)`,
    },
  };
}

interface Group {
  summary: Omit<
    PixAssessmentClassSummary,
    "competences" | "areas" | "stages" | "badges" | "lastSharedOn" | "level"
  >;
  participants: number;
  shared: number;
  masterySum: number;
  lastDay: number;
  competences: number[];
  areas: number[];
  stages: number[];
  badges: number[];
}

function finish(state: State): ProfileResult {
  const { store, context } = state;
  const campaignYear = new Map<number, string>();
  for (let p = 0; p < store.size; p++) {
    if (store.get(p, SHARED) !== 1) continue;
    const year = schoolYearOf(dayOfNumber(store.get(p, DAY)));
    const known = campaignYear.get(store.get(p, CAMPAIGN));
    if (known === undefined || year > known) campaignYear.set(store.get(p, CAMPAIGN), year);
  }
  const groups = new Map<string, Group>();
  for (let p = 0; p < store.size; p++) {
    const shared = store.get(p, SHARED) === 1;
    const campaign = store.get(p, CAMPAIGN);
    const period =
      context.period ??
      (shared
        ? schoolYearOf(dayOfNumber(store.get(p, DAY)))
        : (campaignYear.get(campaign) ?? schoolYearOf(context.today)));
    const campaignId = state.campaigns.items[campaign] ?? "";
    const label = state.classes.items[store.get(p, CLASS)] ?? "";
    const id = `${period}\u0000${campaignId}\u0000${label}`;
    let g = groups.get(id);
    if (!g) {
      g = {
        summary: {
          period,
          campaignId,
          targetProfile: state.targetProfiles.get(campaign) ?? null,
          class: label === "" ? null : label,
          participants: 0,
          shared: 0,
          masterySum: 0,
          stageCount: state.stage?.count ?? null,
        },
        participants: 0,
        shared: 0,
        masterySum: 0,
        lastDay: 0,
        competences: new Array<number>(2 * COMPETENCE_CODES.length).fill(0),
        areas: new Array<number>(2 * CRCN_AREAS.length).fill(0),
        stages: new Array<number>((state.stage?.count ?? -1) + 1).fill(0),
        badges: state.badges.map(() => 0),
      };
      groups.set(id, g);
    }
    g.participants++;
    if (!shared) continue;
    g.shared++;
    g.masterySum += store.get(p, MASTERY);
    g.lastDay = Math.max(g.lastDay, store.get(p, DAY));
    for (let i = 0; i < g.competences.length; i++)
      g.competences[i] = (g.competences[i] as number) + Math.max(0, store.get(p, COMPETENCES + i));
    for (let i = 0; i < g.areas.length; i++)
      g.areas[i] = (g.areas[i] as number) + Math.max(0, store.get(p, AREAS + i));
    const stage = store.get(p, STAGE);
    if (stage >= 0) g.stages[stage] = (g.stages[stage] ?? 0) + 1;
    const badges = store.get(p, BADGES);
    state.badges.forEach((_, i) => {
      if (badges & (1 << i)) g.badges[i] = (g.badges[i] as number) + 1;
    });
  }
  const classes = [...groups.values()]
    .map((g) => toSummary(state, g))
    .sort(
      (a, b) =>
        cmp(a.period, b.period) || cmp(a.campaignId, b.campaignId) || cmp(a.class ?? "", b.class ?? ""),
    );
  const detail: PixAssessmentDetail = {
    profile: PIX_ASSESSMENT_CODE,
    uai: context.school?.uai ?? "",
    classes,
  };
  const summary = {
    participants: sum(classes, (c) => c.participants),
    shared: sum(classes, (c) => c.shared),
    classes: new Set(classes.filter((c) => c.class !== null).map((c) => c.class)).size,
    campaigns: new Set(classes.map((c) => c.campaignId)).size,
    withStage: sum(classes, (c) => sum(c.stages as number[], (n) => n)),
  };
  return { values: context.school ? combinePixAssessment([detail]) : [], summary, detail };
}

function toSummary(state: State, g: Group): PixAssessmentClassSummary {
  const pairs = (counts: readonly number[], codes: readonly string[]) =>
    Object.fromEntries(
      codes
        .map((code, i): [string, SkillCounts] => [
          code,
          { mastered: counts[2 * i] as number, targeted: counts[2 * i + 1] as number },
        ])
        .filter(([, s]) => s.targeted > 0),
    );
  return {
    ...g.summary,
    level: levelOfClass(g.summary.class),
    participants: g.participants,
    shared: g.shared,
    masterySum: g.masterySum / 100,
    lastSharedOn: g.lastDay === 0 ? null : dayOfNumber(g.lastDay),
    competences: pairs(g.competences, COMPETENCE_CODES),
    areas: pairs(
      g.areas,
      CRCN_AREAS.map((a) => a.code),
    ),
    stages: g.stages,
    badges: Object.fromEntries(state.badges.map((b, i) => [b.name, g.badges[i] as number])),
  };
}

/**
 * The values of one or several assessment files of one school: each campaign × class counts
 * once (its latest file), campaigns add up (different parcours are different evaluations).
 */
export function combinePixAssessment(details: readonly unknown[]): ProfileValue[] {
  const latest = new Map<string, { uai: string; c: PixAssessmentClassSummary }>();
  for (const d of details) {
    if (!isDetail(d)) continue;
    for (const c of d.classes) {
      const id = `${d.uai}\u0000${c.period}\u0000${c.campaignId}\u0000${c.class ?? ""}`;
      const known = latest.get(id);
      if (!known || (c.lastSharedOn ?? "") > (known.c.lastSharedOn ?? "")) latest.set(id, { uai: d.uai, c });
    }
  }
  const buckets = new Map<
    string,
    { uai: string; period: string; level: string | null; classes: PixAssessmentClassSummary[] }
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
  ))
    values.push(...bucketValues(b.uai, b.period, b.level, b.classes));
  return values;
}

function bucketValues(
  uai: string,
  period: string,
  level: string | null,
  classes: readonly PixAssessmentClassSummary[],
): ProfileValue[] {
  const base: Record<string, string> = level === null ? {} : { level };
  const out: ProfileValue[] = [];
  const put = (dataElement: string, value: number, extra: Record<string, string> = {}) =>
    out.push({ uai, dataElement, period, disaggregation: { ...base, ...extra }, value });
  put(
    "pupils_pix_assessment_participants",
    sum(classes, (c) => c.participants),
  );
  put(
    "pupils_pix_assessment_shared",
    sum(classes, (c) => c.shared),
  );
  put("pix_assessment_mastery_sum", Math.round(sum(classes, (c) => c.masterySum) * 100) / 100);
  const skills = (pick: (c: PixAssessmentClassSummary) => SkillCounts | undefined) => ({
    mastered: sum(classes, (c) => pick(c)?.mastered ?? 0),
    targeted: sum(classes, (c) => pick(c)?.targeted ?? 0),
  });
  const putSkills = (s: SkillCounts, extra: Record<string, string> = {}) => {
    if (s.targeted === 0) return;
    put("pix_assessment_skills_mastered", s.mastered, extra);
    put("pix_assessment_skills_targeted", s.targeted, extra);
  };
  putSkills({
    mastered: sum(COMPETENCE_CODES as string[], (code) => skills((c) => c.competences[code]).mastered),
    targeted: sum(COMPETENCE_CODES as string[], (code) => skills((c) => c.competences[code]).targeted),
  });
  for (const code of COMPETENCE_CODES)
    putSkills(
      skills((c) => c.competences[code]),
      { competence: (COMPETENCE_BY_CODE.get(code) as { option: string }).option },
    );
  for (const a of CRCN_AREAS)
    putSkills(
      skills((c) => c.areas[a.code]),
      { crcn_area: a.option },
    );
  const staged = classes.filter((c) => c.stageCount !== null);
  if (staged.length > 0) {
    const counts = new Array<number>(MAX_STAGE + 1).fill(0);
    for (const c of staged) addInto(counts, c.stages);
    const top = Math.max(...staged.map((c) => c.stageCount ?? 0));
    put(
      "pupils_pix_assessment_stage",
      sum(counts, (n) => n),
    );
    for (let k = 0; k <= top; k++)
      put("pupils_pix_assessment_stage", counts[k] as number, { pix_stage: `stage_${k}` });
  }
  return out;
}

function isDetail(d: unknown): d is PixAssessmentDetail {
  return typeof d === "object" && d !== null && (d as { profile?: unknown }).profile === PIX_ASSESSMENT_CODE;
}

export const pixAssessmentProfile: Profile<State> = {
  code: PIX_ASSESSMENT_CODE,
  label: "Pix Orga — campagne d'évaluation",
  columns: COLUMNS,
  families: FAMILIES,
  needsSchool: true,
  checkHeader,
  start,
  row,
  finish,
  combine: combinePixAssessment,
};
