import {
  CERTIFIABLE_MIN_COMPETENCES,
  PIX_MAX_LEVEL,
  PIX_MAX_TOTAL,
  PIX_TARGET_LEVEL,
  pixLevelOption,
} from "../../../contracts/crcn.ts";
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
  checkCompetence,
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
  pixDay as pixDayOf,
  preferRecord,
  pupilKeyer,
  RecordStore,
  schoolYearOf,
  wrongPixProfile,
  yesNo,
} from "./pix-common.ts";

/**
 * Pix Orga, « collecte de profils » campaign (`vigie import pix-profiles`): one row per
 * participant; a participant who has not shared has `NA` from the date column on. Aggregated at
 * the end per school year × campaign × class (participants, shared, certifiable, pix of those
 * who shared, pupils per competence and level); the names only feed a one-way key, in memory,
 * that counts a pupil read twice once (the latest sending).
 */

export const PIX_PROFILES_CODE = "pix-profiles";

const COLUMNS: readonly ColumnSpec[] = [
  { key: "organization", labels: ["Nom de l'organisation"], required: false },
  { key: "campaignId", labels: ["ID Campagne"], required: true },
  { key: "campaignCode", labels: ["Code", "Code de la campagne"], required: false },
  { key: "campaignName", labels: ["Nom de la campagne"], required: false },
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
  { key: "shared", labels: ["Envoi (O/N)"], required: true },
  { key: "sharedAt", labels: ["Date de l'envoi", "Date et heure de l'envoi (Europe/Paris)"], required: true },
  { key: "pixTotal", labels: ["Nombre de pix total"], required: true },
  { key: "certifiable", labels: ["Certifiable (O/N)"], required: false },
  { key: "certifiableCount", labels: ["Nombre de compétences certifiables"], required: false },
];

const FAMILIES = [
  { key: "level", pattern: /^niveau pour la comp[eé]tence (.+)$/i },
  { key: "pix", pattern: /^nombre de pix pour la comp[eé]tence (.+)$/i },
];

// Record layout (one Int32 slot each): class, campaign, shared (0/1), day number, pix total, 16 levels.
const CLASS = 0;
const CAMPAIGN = 1;
const SHARED = 2;
const DAY = 3;
const PIX = 4;
const LEVELS = 5;
const WIDTH = LEVELS + COMPETENCE_CODES.length;

/** One campaign × class of one school year: counts only. */
export interface PixProfilesClassSummary {
  readonly period: string;
  readonly campaignId: string;
  /** The class (or group) label as the file writes it; null when the file has none. */
  readonly class: string | null;
  /** Its `level` option when the label names one (3e A → troisieme). */
  readonly level: string | null;
  readonly participants: number;
  readonly shared: number;
  readonly certifiable: number;
  /** Σ total pix of those who shared. */
  readonly pixTotal: number;
  /** Those who shared and reached their level's target on every competence (null: no target for the level). */
  readonly targetReached: number | null;
  /** Latest sending day (`YYYY-MM-DD`), null when nobody shared: which file is newer for a class. */
  readonly lastSharedOn: string | null;
  /** Per competence code (1.1 …), pupils who shared at each level 0 … 8. */
  readonly levels: Readonly<Record<string, readonly number[]>>;
}

export interface PixProfilesDetail {
  readonly profile: typeof PIX_PROFILES_CODE;
  readonly uai: string;
  readonly classes: readonly PixProfilesClassSummary[];
}

interface State {
  readonly context: ProfileContext;
  readonly header: MatchedHeader;
  readonly levels: CompetenceColumns;
  readonly pix: CompetenceColumns;
  readonly key: (parts: readonly (string | undefined)[]) => Buffer;
  readonly store: RecordStore;
  readonly classes: Interned;
  readonly campaigns: Interned;
}

function checkHeader(header: MatchedHeader): string | null {
  const wrong = wrongPixProfile(header, PIX_PROFILES_CODE);
  if (wrong) return wrong;
  const levels = competenceColumns(header, "level");
  const pix = competenceColumns(header, "pix");
  const unknown = [...levels.unknown, ...pix.unknown];
  if (unknown.length > 0)
    return `Compétence inconnue du cadre de référence (CRCN) : « ${unknown[0]} »${unknown.length > 1 ? ` et ${unknown.length - 1} autre(s)` : ""}.`;
  if (levels.byCompetence.size === 0)
    return "Aucune colonne « Niveau pour la compétence … » : ce n'est pas un export de collecte de profils Pix Orga.";
  return null;
}

function start(context: ProfileContext, header: MatchedHeader): State {
  return {
    context,
    header,
    levels: competenceColumns(header, "level"),
    pix: competenceColumns(header, "pix"),
    key: pupilKeyer(),
    store: new RecordStore(WIDTH, LEVELS),
    classes: new Interned(),
    campaigns: new Interned(),
  };
}

/** Reads the shared profile's cells into `slots`; the issues when they do not hold. */
function readSharedProfile(state: State, row: ProfileRow, slots: Int32Array): RowIssue[] {
  const { header } = state;
  const issues: RowIssue[] = [];
  const day = cellOf(header, row, "sharedAt");
  const d = pixDayOrIssue(state, row, day, issues);
  if (d !== null) slots[DAY] = dayNumber(d);
  const total = integerCell(cellOf(header, row, "pixTotal"));
  if (total === null || total === "invalid" || total > PIX_MAX_TOTAL)
    issues.push(
      issue(
        header,
        row,
        "pixTotal",
        total === null
          ? "nombre de pix manquant pour un profil envoyé"
          : `nombre de pix total invalide (entier de 0 à ${PIX_MAX_TOTAL} attendu)`,
      ),
    );
  else slots[PIX] = total;
  let pixSum = 0;
  let allPix = state.pix.byCompetence.size > 0;
  COMPETENCE_CODES.forEach((code, c) => {
    slots[LEVELS + c] = -1;
    const li = state.levels.byCompetence.get(code);
    if (li === undefined) return;
    const label = header.labels[li] ?? null;
    const level = integerCell(row.cells[li]);
    const pi = state.pix.byCompetence.get(code);
    const pix = pi === undefined ? null : integerCell(row.cells[pi]);
    if (level === null || level === "invalid") {
      issues.push({
        line: row.line,
        column: label,
        reason:
          level === null
            ? "niveau manquant pour un profil envoyé"
            : `niveau invalide (entier de 0 à ${PIX_MAX_LEVEL} attendu)`,
      });
      return;
    }
    if (pix === "invalid") {
      issues.push({
        line: row.line,
        column: pi === undefined ? null : (header.labels[pi] ?? null),
        reason: "nombre de pix invalide",
      });
      return;
    }
    const problem = checkCompetence(level, pix);
    if (problem) {
      issues.push({
        line: row.line,
        column: level > PIX_MAX_LEVEL || pi === undefined ? label : (header.labels[pi] ?? label),
        reason: problem,
      });
      return;
    }
    slots[LEVELS + c] = level;
    if (pix === null) allPix = false;
    else pixSum += pix;
  });
  if (
    issues.length === 0 &&
    allPix &&
    state.pix.byCompetence.size === COMPETENCE_CODES.length &&
    pixSum !== slots[PIX]
  )
    issues.push(
      issue(
        header,
        row,
        "pixTotal",
        `le total (${slots[PIX]} pix) n'est pas la somme des pix des compétences (${pixSum})`,
      ),
    );
  return issues;
}

function pixDayOrIssue(
  state: State,
  row: ProfileRow,
  cell: string | undefined,
  issues: RowIssue[],
): string | null {
  const { header } = state;
  const day = pixDayOf(cell);
  if (day === null) {
    issues.push(issue(header, row, "sharedAt", "date d'envoi manquante pour un profil envoyé"));
    return null;
  }
  if (day === "invalid") {
    issues.push(issue(header, row, "sharedAt", "date illisible (AAAA-MM-JJ ou JJ/MM/AAAA HH:mm attendu)"));
    return null;
  }
  const problem = dayProblem(day, state.context);
  if (problem) {
    issues.push(issue(header, row, "sharedAt", problem));
    return null;
  }
  return day;
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
          shared === null ? "envoi (O/N) manquant" : "envoi illisible (Oui/Non ou O/N attendu)",
        ),
      ],
    };
  const slots = new Int32Array(WIDTH);
  const className = cellOf(header, r, "class") ?? "";
  const group = cellOf(header, r, "group") ?? "";
  const label = !isMissing(className) ? className.trim() : !isMissing(group) ? group.trim() : "";
  slots[CLASS] = state.classes.of(label);
  slots[CAMPAIGN] = state.campaigns.of((cellOf(header, r, "campaignId") ?? "").trim());
  slots[SHARED] = shared ? 1 : 0;
  if (shared) {
    const issues = readSharedProfile(state, r, slots);
    if (issues.length > 0) return { kind: "rejected", issues };
  } else {
    for (let c = 0; c < COMPETENCE_CODES.length; c++) slots[LEVELS + c] = -1;
  }
  return remember(state, r, slots, label);
}

/** Keeps the pupil's record (the latest sending when the pupil was read before). */
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
  // Which of the two rows is kept must not depend on their order: compare classes and campaigns by label.
  const old = state.store.slots(existing);
  const comparable = (s: Int32Array) => {
    const c = Int32Array.from(s);
    c[CLASS] = 0;
    c[CAMPAIGN] = 0;
    return c;
  };
  const byContent = preferRecord(comparable(slots), comparable(old), [SHARED, DAY]);
  const byLabel = label.localeCompare(state.classes.items[old[CLASS] as number] ?? "");
  if (byContent > 0 || (byContent === 0 && byLabel > 0)) state.store.set(existing, slots);
  return {
    kind: "duplicate",
    issue: {
      line: r.line,
      column: null,
      reason: `participant déjà lu ligne ${state.store.firstLine(existing)} : compté une fois (l'envoi le plus récent)`,
    },
  };
}

interface Group {
  period: string;
  campaignId: string;
  label: string;
  participants: number;
  shared: number;
  certifiable: number;
  pixTotal: number;
  targetReached: number;
  lastDay: number;
  levels: number[][];
}

function finish(state: State): ProfileResult {
  const { store, context } = state;
  const yearOf = memoYear();
  const targetOf = state.classes.items.map((label) => PIX_TARGET_LEVEL[levelOfClass(label) ?? ""]);
  // Sharing days give the school year; a participant who has not shared takes the campaign's (its latest sending's).
  const campaignYear = new Map<number, string>();
  for (let p = 0; p < store.size; p++) {
    if (store.get(p, SHARED) !== 1) continue;
    const year = yearOf(store.get(p, DAY));
    const known = campaignYear.get(store.get(p, CAMPAIGN));
    if (known === undefined || year > known) campaignYear.set(store.get(p, CAMPAIGN), year);
  }
  const fallbackYear = context.period ?? schoolYearOf(context.today);
  const groups = new Map<string, Group>();
  for (let p = 0; p < store.size; p++) {
    const shared = store.get(p, SHARED) === 1;
    const campaign = store.get(p, CAMPAIGN);
    const period =
      context.period ?? (shared ? yearOf(store.get(p, DAY)) : (campaignYear.get(campaign) ?? fallbackYear));
    const campaignId = state.campaigns.items[campaign] ?? "";
    const cls = store.get(p, CLASS);
    const label = state.classes.items[cls] ?? "";
    const id = `${period},${campaign},${cls}`;
    let g = groups.get(id);
    if (!g) {
      g = {
        period,
        campaignId,
        label,
        participants: 0,
        shared: 0,
        certifiable: 0,
        pixTotal: 0,
        targetReached: 0,
        lastDay: 0,
        levels: COMPETENCE_CODES.map(() => new Array<number>(PIX_MAX_LEVEL + 1).fill(0)),
      };
      groups.set(id, g);
    }
    g.participants++;
    if (!shared) continue;
    g.shared++;
    g.pixTotal += store.get(p, PIX);
    g.lastDay = Math.max(g.lastDay, store.get(p, DAY));
    const target = targetOf[cls];
    let atLeastOne = 0;
    let reached = true;
    for (let c = 0; c < COMPETENCE_CODES.length; c++) {
      const level = store.get(p, LEVELS + c);
      if (level < 0) {
        reached = false;
        continue;
      }
      const counts = g.levels[c] as number[];
      counts[level] = (counts[level] as number) + 1;
      if (level >= 1) atLeastOne++;
      if (target !== undefined && level < target) reached = false;
    }
    if (atLeastOne >= CERTIFIABLE_MIN_COMPETENCES) g.certifiable++;
    if (target !== undefined && reached) g.targetReached++;
  }
  const classes = [...groups.values()]
    .sort((a, b) => cmp(a.period, b.period) || cmp(a.campaignId, b.campaignId) || cmp(a.label, b.label))
    .map(toSummary);
  const detail: PixProfilesDetail = { profile: PIX_PROFILES_CODE, uai: context.school?.uai ?? "", classes };
  const summary = {
    participants: sum(classes, (c) => c.participants),
    shared: sum(classes, (c) => c.shared),
    certifiable: sum(classes, (c) => c.certifiable),
    classes: new Set(classes.filter((c) => c.class !== null).map((c) => c.class)).size,
    campaigns: new Set(classes.map((c) => c.campaignId)).size,
  };
  return { values: context.school ? combinePixProfiles([detail]) : [], summary, detail };
}

function toSummary(g: Group): PixProfilesClassSummary {
  const level = levelOfClass(g.label);
  return {
    period: g.period,
    campaignId: g.campaignId,
    class: g.label === "" ? null : g.label,
    level,
    participants: g.participants,
    shared: g.shared,
    certifiable: g.certifiable,
    pixTotal: g.pixTotal,
    targetReached: level !== null && PIX_TARGET_LEVEL[level] !== undefined ? g.targetReached : null,
    lastSharedOn: g.lastDay === 0 ? null : dayOfNumber(g.lastDay),
    levels: Object.fromEntries(COMPETENCE_CODES.map((code, c) => [code, g.levels[c] as number[]])),
  };
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const sum = <T>(items: readonly T[], f: (item: T) => number): number =>
  items.reduce((s, item) => s + f(item), 0);

/**
 * The values of one or several files of the same school: per school year, each class (or, without
 * a class column, each campaign) counts once, from its latest campaign, so that a second file
 * (other classes, another level) adds to the first instead of erasing its totals, and a class
 * collected again replaces its earlier figures. Totals and per-level values are sums of classes.
 */
export function combinePixProfiles(details: readonly unknown[]): ProfileValue[] {
  const latest = latestPixClasses(details);
  const buckets = new Map<
    string,
    { uai: string; period: string; level: string | null; classes: PixProfilesClassSummary[] }
  >();
  for (const { uai, c } of latest.values()) {
    for (const level of c.level === null ? [null] : [null, c.level]) {
      const id = `${uai}\u0000${c.period}\u0000${level ?? ""}`;
      const b = buckets.get(id) ?? { uai, period: c.period, level, classes: [] };
      b.classes.push(c);
      buckets.set(id, b);
    }
  }
  const values: ProfileValue[] = [];
  for (const b of [...buckets.values()].sort(
    (x, y) => cmp(x.uai, y.uai) || cmp(x.period, y.period) || cmp(x.level ?? "", y.level ?? ""),
  ))
    values.push(...bucketValues(b.uai, b.period, b.level, b.classes));
  return values;
}

/**
 * Each class of a school's files (or, without a class column, each campaign) once per school
 * year, from its latest campaign: what the school's values are the sums of, and what its own
 * staff read class by class on the competences dashboard.
 */
export function latestPixClasses(
  details: readonly unknown[],
): Map<string, { uai: string; c: PixProfilesClassSummary }> {
  const latest = new Map<string, { uai: string; c: PixProfilesClassSummary }>();
  for (const d of details) {
    if (!isPixProfilesDetail(d)) continue;
    for (const c of d.classes) {
      const id = `${d.uai}\u0000${c.period}\u0000${c.class === null ? `campagne ${c.campaignId}` : c.class}`;
      const known = latest.get(id);
      if (!known || newer(c, known.c)) latest.set(id, { uai: d.uai, c });
    }
  }
  return latest;
}

function newer(a: PixProfilesClassSummary, b: PixProfilesClassSummary): boolean {
  const da = a.lastSharedOn ?? "";
  const db = b.lastSharedOn ?? "";
  if (da !== db) return da > db;
  if (a.participants !== b.participants) return a.participants > b.participants;
  return a.campaignId > b.campaignId;
}

function bucketValues(
  uai: string,
  period: string,
  level: string | null,
  classes: readonly PixProfilesClassSummary[],
): ProfileValue[] {
  const base: Record<string, string> = level === null ? {} : { level };
  const out: ProfileValue[] = [];
  const put = (dataElement: string, value: number, extra: Record<string, string> = {}) =>
    out.push({ uai, dataElement, period, disaggregation: { ...base, ...extra }, value });
  const shared = sum(classes, (c) => c.shared);
  put(
    "pupils_in_pix_campaign",
    sum(classes, (c) => c.participants),
  );
  put("pupils_pix_profile_shared", shared);
  put("pupils_pix_scored", shared);
  put(
    "pix_score_total",
    sum(classes, (c) => c.pixTotal),
  );
  put(
    "pupils_pix_certifiable",
    sum(classes, (c) => c.certifiable),
  );
  // Only classes whose level has a target (3e, terminale) say whether it is reached.
  const targeted = classes.filter((c) => c.targetReached !== null);
  if (targeted.length > 0) {
    put(
      "pupils_pix_targeted_shared",
      sum(targeted, (c) => c.shared),
    );
    put(
      "pupils_pix_level_reached",
      sum(targeted, (c) => c.targetReached ?? 0),
    );
  }
  for (const code of COMPETENCE_CODES) {
    const competence = (COMPETENCE_BY_CODE.get(code) as { option: string }).option;
    const counts = new Array<number>(PIX_MAX_LEVEL + 1).fill(0);
    for (const c of classes) addInto(counts, c.levels[code] ?? []);
    for (const [k, n] of counts.entries())
      put("pupils_pix_competence_level", n, { competence, pix_level: pixLevelOption(k) });
    put(
      "pix_competence_level_sum",
      counts.reduce((s, n, k) => s + n * k, 0),
      { competence },
    );
    if (targeted.length > 0) {
      const reached = sum(targeted, (c) => {
        const target = PIX_TARGET_LEVEL[c.level ?? ""] ?? 0;
        return (c.levels[code] ?? []).reduce((s, n, k) => s + (k >= target ? n : 0), 0);
      });
      put("pupils_pix_competence_target_reached", reached, { competence });
    }
  }
  return out;
}

function isPixProfilesDetail(d: unknown): d is PixProfilesDetail {
  return typeof d === "object" && d !== null && (d as { profile?: unknown }).profile === PIX_PROFILES_CODE;
}

export const pixProfilesProfile: Profile<State> = {
  code: PIX_PROFILES_CODE,
  label: "Pix Orga — collecte de profils",
  columns: COLUMNS,
  families: FAMILIES,
  needsSchool: true,
  checkHeader,
  start,
  row,
  finish,
  combine: combinePixProfiles,
};
