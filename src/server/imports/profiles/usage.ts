import { countCell } from "../../platform/index.ts";
import { checkUai } from "../../territories/index.ts";
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
import { type PeriodHint, periodHintOf, readUsagePeriod } from "./usage-periods.ts";
import {
  GAR_SERVICES,
  MEASURE_LABELS,
  MEASURE_WORDS,
  measureOf,
  normalizeWord,
  PROFILE_WORDS,
  PROFILES_ACCEPTED,
  profileOf,
  serviceOf,
  type UsageMeasure,
  type UsageProfile,
} from "./usage-vocabulary.ts";

/**
 * The `usage` profile (issue 10, item 5): the statistics an ENT exports per structure (UAI) and
 * period — connections, unique visitors, accounts loaded and activated per user profile, and
 * accesses per application or connector (the GAR's Médiacentre among them). Two layouts are read
 * (docs/imports.md):
 *
 * - **long**: one row per (UAI, period, profile, measure or application, value) — « UAI ;
 *   Période ; Profil ; Mesure ; Valeur », or « UAI ; Date ; Profil ; Application ; Nombre
 *   d'accès » (the measure is then the accesses), the shape of the usage API's batches too;
 * - **wide**: one row per (UAI, period[, profile]) and one column per measure, or per measure ×
 *   profile (« Connexions Élèves », « Visiteurs uniques - Enseignants », « Accès Médiacentre »).
 *
 * Every figure is stored as delivered, at the school and period it was delivered for. Additive
 * counts (connections, accesses, accounts) also give the total of the profiles when the file does
 * not deliver it; distinct counts (unique visitors) never do: a person who is both a parent and a
 * teacher, or attached to two schools, counts once in each, so their sum is not a count of people.
 */

interface Fact {
  readonly uai: string;
  readonly period: string;
  readonly measure: UsageMeasure;
  readonly profile: UsageProfile;
  readonly service: string | null;
  readonly value: number;
}

/** One (school, period, measure, service): which profiles were seen on which line, their sum, the delivered total. */
interface Group {
  readonly uai: string;
  readonly period: string;
  readonly measure: UsageMeasure;
  readonly service: string | null;
  /** First line of each profile (pupil, teacher, parent, staff, total), 0 when not seen. */
  readonly lines: [number, number, number, number, number];
  sum: number;
  delivered: number | null;
}

const PROFILE_SLOT: Record<UsageProfile, number> = { pupil: 0, teacher: 1, parent: 2, staff: 3, total: 4 };
const ADDITIVE: Record<UsageMeasure, boolean> = {
  connections: true,
  accesses: true,
  accounts_loaded: true,
  accounts_activated: true,
  unique_visitors: false,
};

/** A measure column of the wide layout, read from its label once. */
interface WideColumn {
  readonly index: number;
  readonly measure: UsageMeasure;
  /** The profile the label names, or null (the row's « Profil » cell, or the total). */
  readonly profile: UsageProfile | null;
  readonly service: string | null;
  /** Why the label cannot be read (an unknown profile or application): each value in it is refused. */
  readonly problem: string | null;
}

interface Layout {
  readonly uai: number;
  readonly period: number | null;
  readonly periodHint: PeriodHint;
  readonly profile: number | null;
  readonly measure: number | null;
  readonly service: number | null;
  readonly value: number | null;
  readonly wide: readonly WideColumn[];
}

export interface UsageState {
  readonly context: ProfileContext;
  readonly header: MatchedHeader;
  readonly layout: Layout;
  readonly groups: Map<string, Group>;
  readonly schools: Set<string>;
  readonly periods: Set<string>;
  readonly services: Set<string>;
}

export const USAGE_COLUMNS: readonly ColumnSpec[] = [
  {
    key: "uai",
    labels: [
      "UAI",
      "Code UAI",
      "UAI de l'établissement",
      "RNE",
      "Code RNE",
      "Numéro UAI",
      "Identifiant de l'établissement",
      "uai",
    ],
    required: true,
  },
  {
    key: "period",
    labels: [
      "Période",
      "Date",
      "Jour",
      "Semaine",
      "Semaine du",
      "Mois",
      "Date de début",
      "Début de période",
      "date",
    ],
    required: false,
  },
  {
    key: "profile",
    labels: ["Profil", "Profils", "Type de profil", "Population", "Type de population", "profile"],
    required: false,
  },
  {
    key: "measure",
    labels: ["Mesure", "Indicateur", "Statistique", "Type de mesure", "Métrique", "measure"],
    required: false,
  },
  {
    key: "service",
    labels: [
      "Application",
      "Applications",
      "Connecteur",
      "Application ou connecteur",
      "Service",
      "Module",
      "Appli",
      "service",
    ],
    required: false,
  },
  {
    key: "value",
    labels: ["Valeur", "Nombre", "Nombre d'accès", "Nb d'accès", "Accès", "Quantité", "value"],
    required: false,
  },
];

/**
 * A header matched against the usage columns, labels compared after `normalizeWord` (as the
 * framework matches a file's header): the usage API reads its CSV and JSON batches with it.
 */
export function usageHeader(labels: readonly string[]): MatchedHeader {
  const columns = new Map<string, number>();
  const taken = new Set<number>();
  const normalized = labels.map(normalizeWord);
  for (const spec of USAGE_COLUMNS) {
    const wanted = new Set(spec.labels.map(normalizeWord));
    const i = normalized.findIndex((n, j) => !taken.has(j) && wanted.has(n));
    if (i < 0) continue;
    columns.set(spec.key, i);
    taken.add(i);
  }
  return { columns, families: new Map(), labels };
}

// --- the header -----------------------------------------------------------------------------------

const CONNECTORS = /^(?:a l'|a la |a |au |aux |de l'|de la |de |des |du |pour |sur )/;

/** The service and profile a label's remainder names (« Médiacentre Élèves », « Enseignants »…). */
function splitRemainder(rest: string): { service: string | null; profile: UsageProfile | null } | null {
  if (rest === "") return { service: null, profile: null };
  const whole = profileOf(rest);
  if (whole) return { service: null, profile: whole };
  for (const word of PROFILE_WORDS) {
    for (const [head, tail] of [
      [rest.endsWith(` ${word}`), rest.slice(0, rest.length - word.length - 1)],
      [rest.startsWith(`${word} `), rest.slice(word.length + 1)],
    ] as const) {
      if (!head) continue;
      const service = serviceNamed(tail);
      if (service) return { service, profile: profileOf(word) ?? null };
    }
  }
  const service = serviceNamed(rest);
  return service ? { service, profile: null } : null;
}

function serviceNamed(text: string): string | null {
  const trimmed = text.trim();
  return serviceOf(trimmed) ?? serviceOf(trimmed.replace(CONNECTORS, "")) ?? null;
}

/** A wide column from its label, or null when the label names no measure (« Établissement », « Commune »…). */
export function readWideLabel(label: string, index: number): WideColumn | null {
  const raw = label.trim();
  // Ratios (« Connexions / visiteur unique », « Visites par visiteur unique ») are not counts.
  if (raw.includes("/") || /\bpar\b/i.test(raw)) return null;
  const word = normalizeWord(raw);
  const service = serviceOf(word);
  if (service && word !== "acces")
    return { index, measure: "accesses", profile: null, service, problem: null };
  for (const m of MEASURE_WORDS) {
    let rest: string | null = null;
    if (word === m) rest = "";
    else if (word.startsWith(`${m} `)) rest = word.slice(m.length + 1);
    else if (word.endsWith(` ${m}`)) rest = word.slice(0, word.length - m.length - 1);
    if (rest === null) continue;
    const measure = measureOf(m) as UsageMeasure;
    const parts = splitRemainder(rest.replace(CONNECTORS, "").trim());
    if (!parts) {
      return {
        index,
        measure,
        profile: null,
        service: null,
        problem: `colonne « ${raw} » : profil ou application « ${rest} » inconnu (profils acceptés : ${PROFILES_ACCEPTED} ; applications : voir docs/imports.md)`,
      };
    }
    return { index, measure, profile: parts.profile, service: parts.service, problem: null };
  }
  return null;
}

function layoutOf(header: MatchedHeader): Layout {
  const col = (key: string) => header.columns.get(key) ?? null;
  const used = new Set<number>([...header.columns.values()]);
  const period = col("period");
  const long = col("value") !== null && (col("measure") !== null || col("service") !== null);
  const wide: WideColumn[] = [];
  if (!long) {
    header.labels.forEach((label, i) => {
      if (used.has(i)) return;
      const column = readWideLabel(label, i);
      if (column) wide.push(column);
    });
    // A lone « Accès » / « Nombre d'accès » column matched as the value: a wide measure then.
    const value = col("value");
    if (value !== null) {
      const column = readWideLabel(header.labels[value] ?? "", value);
      if (column) wide.push(column);
    }
  }
  return {
    uai: col("uai") ?? 0,
    period,
    periodHint: period === null ? null : periodHintOf(header.labels[period] ?? ""),
    profile: col("profile"),
    measure: long ? col("measure") : null,
    service: long ? col("service") : null,
    value: long ? col("value") : null,
    wide,
  };
}

function checkUsageHeader(header: MatchedHeader): string | null {
  const layout = layoutOf(header);
  if (layout.value !== null || layout.wide.length > 0) return null;
  return (
    "aucune colonne de mesure : attendu « Mesure » (ou « Application ») et « Valeur » (format long), " +
    "ou des colonnes « Connexions », « Visiteurs uniques », « Comptes chargés », « Comptes activés », " +
    "« Nombre d'accès », éventuellement par profil (« Connexions Élèves »…)"
  );
}

// --- one row ------------------------------------------------------------------------------------------

function label(state: UsageState, index: number | null): string | null {
  return index === null ? null : (state.header.labels[index] ?? null);
}

function cellAt(row: ProfileRow, index: number | null): string {
  return index === null ? "" : (row.cells[index] ?? "").trim();
}

function addIssue(
  issues: RowIssue[],
  state: UsageState,
  line: number,
  index: number | null,
  reason: string,
): void {
  issues.push({ line, column: label(state, index), reason });
}

/** The cells shared by every value of the row: school, period, profile. */
function rowBase(
  state: UsageState,
  row: ProfileRow,
  issues: RowIssue[],
): { uai: string; period: string; profile: UsageProfile } | null {
  const { layout } = state;
  const line = row.line;
  const uai = checkUai(cellAt(row, layout.uai));
  if (!uai.ok) addIssue(issues, state, line, layout.uai, uai.reason);
  let period: string | null = null;
  const periodCell = cellAt(row, layout.period);
  const rawPeriod = periodCell !== "" ? periodCell : state.context.period;
  if (rawPeriod === null || rawPeriod === "") {
    addIssue(
      issues,
      state,
      line,
      layout.period,
      "période manquante : ajoutez une colonne « Période » (ou « Date », « Mois »…) ou indiquez --period",
    );
  } else {
    const read = readUsagePeriod(rawPeriod, periodCell !== "" ? layout.periodHint : null);
    if (!read.ok) addIssue(issues, state, line, layout.period, read.reason);
    else if (read.period.start > state.context.today)
      addIssue(
        issues,
        state,
        line,
        layout.period,
        `période ${read.period.id} dans le futur (elle commence le ${read.period.start}, après aujourd'hui ${state.context.today})`,
      );
    else period = read.period.id;
  }
  let profile: UsageProfile = "total";
  const profileCell = cellAt(row, layout.profile);
  if (profileCell !== "") {
    const known = profileOf(profileCell);
    if (known) profile = known;
    else
      addIssue(
        issues,
        state,
        line,
        layout.profile,
        `profil « ${profileCell} » inconnu : profils acceptés ${PROFILES_ACCEPTED}`,
      );
  }
  return uai.ok && period !== null && issues.length === 0 ? { uai: uai.uai, period, profile } : null;
}

/** The catalogue's bound of a count (indicators/domain/bounds.ts): 10⁹ per school. */
const MAX_COUNT = 1_000_000_000;

/** A count cell: null when missing; a refusal (French) when it is not a count or exceeds the bound. */
function countOf(raw: string): number | null | { reason: string } {
  const value = countCell(raw);
  if (value === "invalid") return { reason: `« ${raw} » n'est pas un nombre entier positif` };
  if (value !== null && value > MAX_COUNT)
    return {
      reason: `${raw} dépasse ${MAX_COUNT.toLocaleString("fr-FR")}, le plus grand nombre accepté pour un établissement`,
    };
  return value;
}

/** A measure with a service, as stored: connections to an application are its accesses. */
function serviceMeasure(measure: UsageMeasure, service: string | null): UsageMeasure | string {
  if (service === null)
    return measure === "accesses" ? "« Nombre d'accès » demande une application ou un connecteur" : measure;
  if (measure === "connections" || measure === "accesses") return "accesses";
  if (measure === "unique_visitors") return measure;
  return `« ${MEASURE_LABELS[measure]} » se compte pour l'ENT, pas par application`;
}

function longFacts(state: UsageState, row: ProfileRow, issues: RowIssue[]): Fact[] {
  const { layout } = state;
  const base = rowBase(state, row, issues);
  const line = row.line;
  let measure: UsageMeasure = "accesses";
  const measureCell = cellAt(row, layout.measure);
  if (layout.measure !== null) {
    const known = measureCell === "" ? undefined : measureOf(measureCell);
    if (known) measure = known;
    else
      addIssue(
        issues,
        state,
        line,
        layout.measure,
        measureCell === ""
          ? "mesure manquante"
          : `mesure « ${measureCell} » inconnue : mesures acceptées Connexions, Visiteurs uniques, Comptes chargés, Comptes activés, Nombre d'accès`,
      );
  }
  let service: string | null = null;
  const serviceCell = cellAt(row, layout.service);
  if (serviceCell !== "") {
    service = serviceOf(serviceCell) ?? null;
    if (service === null)
      addIssue(
        issues,
        state,
        line,
        layout.service,
        `application ou connecteur « ${serviceCell} » inconnu (liste des applications reconnues : docs/imports.md)`,
      );
  }
  const stored = serviceMeasure(measure, service);
  if (issues.length === 0 && !(stored in ADDITIVE))
    addIssue(issues, state, line, layout.service ?? layout.measure, stored);
  const value = countOf(cellAt(row, layout.value));
  if (value !== null && typeof value === "object") addIssue(issues, state, line, layout.value, value.reason);
  if (!base || issues.length > 0 || value === null || typeof value === "object") return [];
  return [{ ...base, measure: stored as UsageMeasure, service, value }];
}

function wideFacts(state: UsageState, row: ProfileRow, issues: RowIssue[]): Fact[] {
  const base = rowBase(state, row, issues);
  const facts: Fact[] = [];
  for (const column of state.layout.wide) {
    const raw = cellAt(row, column.index);
    const value = countOf(raw);
    if (value === null) continue;
    if (typeof value === "object") {
      addIssue(issues, state, row.line, column.index, value.reason);
      continue;
    }
    if (column.problem) {
      issues.push({ line: row.line, column: label(state, column.index), reason: column.problem });
      continue;
    }
    const stored = serviceMeasure(column.measure, column.service);
    if (!(stored in ADDITIVE)) {
      issues.push({ line: row.line, column: label(state, column.index), reason: stored });
      continue;
    }
    if (base)
      facts.push({
        ...base,
        profile: column.profile ?? base.profile,
        measure: stored as UsageMeasure,
        service: column.service,
        value,
      });
  }
  return issues.length > 0 ? [] : facts;
}

const groupKey = (f: Fact) => `${f.uai}|${f.period}|${f.measure}|${f.service ?? ""}`;

const ELEMENT_OF: Record<UsageMeasure, string> = {
  connections: "ent_connections",
  unique_visitors: "ent_active_users",
  accounts_loaded: "ent_accounts",
  accounts_activated: "ent_accounts_activated",
  accesses: "",
};
const BY_PROFILE: Record<UsageProfile, Readonly<Record<string, string>>> = {
  pupil: { profile: "pupil" },
  teacher: { profile: "teacher" },
  parent: { profile: "parent" },
  staff: { profile: "staff" },
  total: {},
};

interface FactValue {
  uai: string;
  period: string;
  measure: UsageMeasure;
  service: string | null;
  value: number;
}

function valueAt(
  f: FactValue,
  dataElement: string,
  disaggregation: Readonly<Record<string, string>>,
): ProfileValue {
  return { uai: f.uai, dataElement, period: f.period, disaggregation, value: f.value };
}

/** The values of one fact, as delivered (a profile's figure, or a delivered total). */
function valuesOf(f: FactValue, profile: UsageProfile): ProfileValue[] {
  const byProfile = BY_PROFILE[profile];
  // One function per call site, no closure per row (this runs for every row of a million-row file).
  const at = (dataElement: string, disaggregation: Readonly<Record<string, string>>) =>
    valueAt(f, dataElement, disaggregation);
  if (f.service === null) return [valueAt(f, ELEMENT_OF[f.measure], byProfile)];
  const service = { ent_service: f.service };
  if (f.measure === "unique_visitors") {
    const out = [at("ent_service_users", { ...service, ...byProfile })];
    // The catalogue's « teachers using the services offered » is this very figure for teachers.
    if (profile === "teacher") out.push(at("ent_teachers_using_services", service));
    return out;
  }
  const out = [at("ent_service_accesses", { ...service, ...byProfile })];
  if (profile === "total" && GAR_SERVICES.has(f.service)) out.push(at("resource_connections", {}));
  return out;
}

function readRow(state: UsageState, row: ProfileRow): RowOutcome {
  const issues: RowIssue[] = [];
  const facts = state.layout.value !== null ? longFacts(state, row, issues) : wideFacts(state, row, issues);
  if (issues.length > 0) return { kind: "rejected", issues };
  // A repeated (school, period, measure, application, profile) keeps its first line (the whole row is a duplicate).
  for (const f of facts) {
    const first = state.groups.get(groupKey(f))?.lines[PROFILE_SLOT[f.profile]] ?? 0;
    if (first > 0) {
      return {
        kind: "duplicate",
        issue: {
          line: row.line,
          column: null,
          reason: `ligne en double : même établissement, période, mesure, application et profil qu'à la ligne ${first} (ignorée)`,
        },
      };
    }
  }
  const values: ProfileValue[] = [];
  for (const f of facts) {
    const key = groupKey(f);
    let group = state.groups.get(key);
    if (!group) {
      group = {
        uai: f.uai,
        period: f.period,
        measure: f.measure,
        service: f.service,
        lines: [0, 0, 0, 0, 0],
        sum: 0,
        delivered: null,
      };
      state.groups.set(key, group);
    }
    group.lines[PROFILE_SLOT[f.profile]] = row.line;
    if (f.profile === "total") group.delivered = f.value;
    else group.sum += f.value;
    state.schools.add(f.uai);
    state.periods.add(f.period);
    if (f.service) state.services.add(f.service);
    values.push(...valuesOf(f, f.profile));
  }
  return { kind: "accepted", values };
}

// --- the end of the file ---------------------------------------------------------------------------

function finishUsage(state: UsageState): ProfileResult {
  const values: ProfileValue[] = [];
  let connections = 0;
  for (const g of state.groups.values()) {
    const seenProfile = g.lines.slice(0, 4).some((l) => l > 0);
    // The total of the profiles, for additive counts the file did not total itself.
    const computed = g.delivered === null && ADDITIVE[g.measure] && seenProfile ? g.sum : null;
    if (computed !== null) values.push(...valuesOf({ ...g, value: computed }, "total"));
    const total = g.delivered ?? computed;
    if (g.measure === "connections" && g.service === null && total !== null) connections += total;
    if (g.measure === "accounts_activated" && g.service === null && total !== null) {
      // The school's ENT is activated when at least one of its accounts is.
      values.push({
        uai: g.uai,
        dataElement: "school_ent_activated",
        period: g.period,
        disaggregation: {},
        value: total > 0 ? 1 : 0,
      });
    }
  }
  return {
    values,
    summary: {
      schools: state.schools.size,
      periods: state.periods.size,
      services: state.services.size,
      connections,
    },
  };
}

export const usageProfile: Profile<UsageState> = {
  code: "usage",
  label: "ENT et GAR — statistiques d'usage",
  columns: USAGE_COLUMNS,
  needsSchool: false,
  checkHeader: checkUsageHeader,
  start: (context, header) => ({
    context,
    header,
    layout: layoutOf(header),
    groups: new Map(),
    schools: new Set(),
    periods: new Set(),
    services: new Set(),
  }),
  row: readRow,
  finish: finishUsage,
};
