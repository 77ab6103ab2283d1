import type {
  CampaignInput,
  CampaignSummary,
  CompletenessRow,
  FeedMoment,
  PeriodKind,
  RespondentRole,
} from "../../contracts/collection.ts";
import { RESPONSE_STATE_LABELS } from "../../contracts/collection-model.ts";
import type { SessionUser } from "../../contracts/identity.ts";
import type { IndicatorCell } from "../../contracts/indicators.ts";
import { PERMISSION_ROLES, type Permission, ROLE_LABELS } from "../../contracts/permissions.ts";
import { academyByCode, departmentByCode } from "../../contracts/referential.ts";
import type { SchoolType } from "../../contracts/schools.ts";
import {
  type NodeAddress,
  nodeKey,
  parseNodeKey,
  readNodeKey,
  TERRITORY_LEVELS,
} from "../../contracts/territory-tree.ts";
import { formatShare } from "../roadmaps/labels.ts";
import type { FieldError } from "../ui/FormErrorSummary.tsx";

/**
 * What the campaign pages compute (list, creation, completeness), pure and tested apart from
 * React. Only types come from the collection contracts: zod stays out of the browser (ADR 0004).
 */

export type Phase = CampaignSummary["phase"];

export const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  upcoming: "À venir",
  open: "Ouverte",
  closed: "Close, saisie tardive",
  locked: "Verrouillée",
};

export const PHASE_SEVERITY: Readonly<Record<Phase, "info" | "success" | "warning" | undefined>> = {
  upcoming: "info",
  open: "success",
  closed: "warning",
  locked: undefined,
};

/** The roles that answer for a school, as the contracts list them (kept here without zod). */
export const RESPONDENT_ROLE_IDS: readonly RespondentRole[] = ["school-head", "school-referent"];

export const FEED_LABELS: Readonly<Record<FeedMoment, string>> = {
  submitted: "dès la transmission par l'établissement",
  approved: "après validation",
};

export const PERIOD_KIND_TEXT: Readonly<Record<PeriodKind, { label: string; hint: string }>> = {
  school_year: { label: "Année scolaire", hint: "Au format AAAA-AAAA, par exemple 2025-2026." },
  year: { label: "Année civile", hint: "Au format AAAA, par exemple 2025." },
};

// ---------------------------------------------------------------------------------------------
// Who may do what, from the session (the server decides; this only spares links that answer 403)

function grantsWith(user: SessionUser | null | undefined, permission: Permission) {
  return (user?.roles ?? []).filter((g) => PERMISSION_ROLES[permission].includes(g.role));
}

/** The territories the user manages campaigns on (`academy:04`…), with their names, without repeats. */
export function manageScopes(user: SessionUser | null | undefined): { key: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const g of grantsWith(user, "collection.manage")) seen.set(g.territory, g.territoryLabel);
  return [...seen].map(([key, label]) => ({ key, label }));
}

/** The user's schools that answer this campaign: a grant of one of its respondent roles on a school. */
export function respondingSchools(
  user: SessionUser | null | undefined,
  campaign: Pick<CampaignSummary, "respondents">,
): { uai: string; label: string }[] {
  const out = new Map<string, string>();
  for (const g of user?.roles ?? []) {
    const node = parseNodeKey(g.territory);
    if (node?.level === "school" && (campaign.respondents as string[]).includes(g.role))
      out.set(node.code, g.territoryLabel);
  }
  return [...out].map(([uai, label]) => ({ uai, label }));
}

const RANK: Record<string, number> = {
  nation: 0,
  academicRegion: 1,
  academy: 2,
  department: 3,
  district: 4,
  school: 5,
};

/** The académie and région académique above a node, as the referential knows them (none below a département). */
function ancestorsOf(node: NodeAddress): NodeAddress[] {
  if (node.level === "academy") {
    const a = academyByCode.get(node.code);
    return a ? [{ level: "academicRegion", code: a.academicRegionCode }] : [];
  }
  if (node.level === "department") {
    const d = departmentByCode.get(node.code);
    return d
      ? [
          { level: "academy", code: d.academyCode },
          { level: "academicRegion", code: d.academicRegionCode },
        ]
      : [];
  }
  return [];
}

/**
 * Does the territory `outer` contain `inner` (both keys)? Decided from the referential down to
 * the départements; below (districts, schools) only equality is known here: false otherwise.
 */
export function containsTerritory(outer: string, inner: string): boolean {
  const a = parseNodeKey(outer);
  const b = parseNodeKey(inner);
  if (!a || !b) return false;
  if (a.level === "nation") return true;
  if (a.level === b.level) return a.code === b.code;
  if ((RANK[a.level] ?? 9) > (RANK[b.level] ?? 9)) return false;
  return ancestorsOf(b).some((n) => n.level === a.level && n.code === a.code);
}

/**
 * The completeness page for this user, or null when they follow no territory: the campaign's
 * own territory when one of their scopes contains it, else their scope inside it (a district
 * user of an académie's campaign sees their district).
 */
export function statusPath(
  user: SessionUser | null | undefined,
  campaign: Pick<CampaignSummary, "id" | "territory">,
): string | null {
  const scopes = [...new Set(grantsWith(user, "collection.approve").map((g) => g.territory))];
  if (scopes.length === 0) return null;
  const base = `/collecte/${encodeURIComponent(campaign.id)}/suivi`;
  if (scopes.some((s) => containsTerritory(s, campaign.territory))) return base;
  const inside = scopes.find((s) => containsTerritory(campaign.territory, s)) ?? scopes[0];
  return `${base}?territory=${encodeURIComponent(inside as string)}`;
}

export function respondentsText(roles: readonly string[]): string {
  return roles.map((r) => ROLE_LABELS[r as RespondentRole] ?? r).join(", ");
}

// ---------------------------------------------------------------------------------------------
// Periods and dates

/** The current school year (from 1 August) or civil year, as a campaign's default period. */
export function defaultPeriod(kind: PeriodKind, today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  if (kind === "year") return String(year);
  const start = month >= 8 ? year : year - 1;
  return `${start}-${start + 1}`;
}

/** The period's error in French, or null: the server's rule (`2025-2026` consecutive, or `2025`). */
export function periodError(kind: PeriodKind, text: string): string | null {
  const value = text.trim();
  if (value === "") return "indiquez la période.";
  if (kind === "year") return /^\d{4}$/.test(value) ? null : "année attendue au format AAAA (ex. 2025).";
  const m = /^(\d{4})-(\d{4})$/.exec(value);
  if (!m) return "année scolaire attendue au format AAAA-AAAA (ex. 2025-2026).";
  return Number(m[2]) === Number(m[1]) + 1 ? null : "les deux années doivent se suivre (ex. 2025-2026).";
}

/** `date` plus `days` (ISO dates, calendar days), as the server counts them. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today in metropolitan France (campaigns open and close at midnight, Paris time). */
export function todayInFrance(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris" }).format(now);
}

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

// ---------------------------------------------------------------------------------------------
// The creation form

/** The form as typed: every field a string (or a list of choices), read by `readCampaignForm`. */
export interface CampaignForm {
  template: string;
  periodKind: PeriodKind | null;
  /** A key of the user's scopes, or OTHER_TERRITORY for the text below. */
  territoryChoice: string;
  territoryText: string;
  title: string;
  period: string;
  opensOn: string;
  closesOn: string;
  expiryDays: string;
  schoolTypes: SchoolType[];
  sector: "" | "public" | "private";
  priorityEducation: boolean;
  uais: string;
  /** "" keeps the template's. */
  respondents: "" | "both" | RespondentRole;
  feed: "" | FeedMoment;
}

export const OTHER_TERRITORY = "autre";

/** The ids of the form's fields (the error summary links to them). */
export const FIELD_IDS = {
  template: "campagne-modele-0",
  territoryChoice: "campagne-territoire",
  territoryText: "campagne-territoire-cle",
  title: "campagne-titre",
  period: "campagne-periode",
  opensOn: "campagne-ouverture",
  closesOn: "campagne-cloture",
  expiryDays: "campagne-expiration",
  uais: "campagne-uai",
} as const;

const LABELS: Record<keyof typeof FIELD_IDS, string> = {
  template: "Modèle",
  territoryChoice: "Territoire",
  territoryText: "Territoire",
  title: "Titre",
  period: "Période",
  opensOn: "Date d'ouverture",
  closesOn: "Date de clôture",
  expiryDays: "Saisie tardive",
  uais: "Liste d'UAI",
};

/** UAIs from a pasted list: spaces, commas, semicolons or new lines between them; upper-cased, without repeats. */
export function parseUais(text: string): { uais: string[]; wrong: string[] } {
  const items = [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  return {
    uais: items.filter((u) => /^\d{7}[A-Z]$/.test(u)),
    wrong: items.filter((u) => !/^\d{7}[A-Z]$/.test(u)),
  };
}

function err(field: keyof typeof FIELD_IDS, message: string): FieldError {
  return { fieldId: FIELD_IDS[field], label: LABELS[field], message };
}

function territoryOf(form: CampaignForm): { key: string | null; error: FieldError | null } {
  if (form.territoryChoice !== OTHER_TERRITORY) {
    return form.territoryChoice === ""
      ? { key: null, error: err("territoryChoice", "choisissez un territoire.") }
      : { key: form.territoryChoice, error: null };
  }
  // The one reader of a typed territory, the server's: the same French refusals.
  const read = readNodeKey(form.territoryText, TERRITORY_LEVELS);
  if (!read.ok) return { key: null, error: err("territoryText", `${read.reason}.`) };
  return { key: nodeKey(read.node), error: null };
}

function datesErrors(form: CampaignForm): FieldError[] {
  const out: FieldError[] = [];
  if (!isRealDate(form.opensOn)) out.push(err("opensOn", "indiquez une date existante."));
  if (!isRealDate(form.closesOn)) out.push(err("closesOn", "indiquez une date existante."));
  else if (isRealDate(form.opensOn) && form.closesOn < form.opensOn)
    out.push(err("closesOn", "la clôture ne peut pas précéder l'ouverture."));
  return out;
}

function expiryOf(text: string): { days?: number; error: FieldError | null } {
  const value = text.trim();
  if (value === "") return { error: null };
  if (!/^\d+$/.test(value) || Number(value) > 365)
    return { error: err("expiryDays", "nombre entier de jours attendu, de 0 à 365.") };
  return { days: Number(value), error: null };
}

function targetOf(
  form: CampaignForm,
  territory: string,
): { target: CampaignInput["target"]; errors: FieldError[] } {
  const { uais, wrong } = parseUais(form.uais);
  const errors =
    wrong.length > 0
      ? [
          err(
            "uais",
            `UAI mal formé${wrong.length > 1 ? "s" : ""} (7 chiffres et une lettre) : ${wrong.slice(0, 10).join(", ")}.`,
          ),
        ]
      : [];
  return {
    target: {
      territory,
      ...(form.schoolTypes.length > 0 ? { schoolTypes: form.schoolTypes } : {}),
      ...(form.sector ? { sector: form.sector } : {}),
      ...(form.priorityEducation ? { priorityEducation: true } : {}),
      ...(uais.length > 0 ? { uais } : {}),
    },
    errors,
  };
}

/** The form read into the API's body, or its errors in French (each naming its field). */
export function readCampaignForm(
  form: CampaignForm,
): { ok: true; input: CampaignInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (form.template === "" || form.periodKind === null) errors.push(err("template", "choisissez un modèle."));
  const territory = territoryOf(form);
  if (territory.error) errors.push(territory.error);
  const period = form.periodKind ? periodError(form.periodKind, form.period) : null;
  if (period) errors.push(err("period", period));
  errors.push(...datesErrors(form));
  const expiry = expiryOf(form.expiryDays);
  if (expiry.error) errors.push(expiry.error);
  const target = targetOf(form, territory.key ?? "");
  errors.push(...target.errors);
  if (errors.length > 0 || territory.key === null) return { ok: false, errors };
  const respondents: RespondentRole[] | undefined =
    form.respondents === ""
      ? undefined
      : form.respondents === "both"
        ? [...RESPONDENT_ROLE_IDS]
        : [form.respondents];
  return {
    ok: true,
    input: {
      template: form.template,
      ...(form.title.trim() ? { title: form.title.trim() } : {}),
      period: form.period.trim(),
      target: target.target,
      opensOn: form.opensOn,
      closesOn: form.closesOn,
      ...(expiry.days !== undefined ? { expiryDays: expiry.days } : {}),
      ...(respondents ? { respondents } : {}),
      ...(form.feed ? { feed: form.feed } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Completeness

/** The child's page on the completeness page: territories drill down, schools open their response. */
export function rowLink(campaignId: string, row: Pick<CompletenessRow, "key">): string | null {
  const node = parseNodeKey(row.key);
  if (!node) return null;
  const id = encodeURIComponent(campaignId);
  if (node.level === "school") return `/collecte/${id}/${encodeURIComponent(node.code)}`;
  return `/collecte/${id}/suivi?territory=${encodeURIComponent(row.key)}`;
}

/** Share of the expected schools that submitted, 0..1 (0 when none is expected). */
export function submittedShare(row: Pick<CompletenessRow, "expected" | "submitted">): number {
  return row.expected > 0 ? row.submitted / row.expected : 0;
}

/** The children as cells of the observatory's map: the share submitted, in %, per child territory. */
export function submittedCells(rows: readonly CompletenessRow[], period: string): IndicatorCell[] {
  const out: IndicatorCell[] = [];
  for (const row of rows) {
    const node = parseNodeKey(row.key);
    if (!node || node.level === "school" || row.expected === 0) continue;
    const share = submittedShare(row);
    out.push({
      node: { level: node.level, code: node.code, name: row.label },
      period,
      group: "",
      disaggregation: "",
      value: Math.round(share * 1000) / 10,
      numerator: row.submitted,
      denominator: row.expected,
      schoolsReporting: row.submitted,
      schoolsExpected: row.expected,
      coverage: share,
      // Counts of responses, not figures about people: no statistical confidentiality applies.
      status: "published",
      statusLabel: "publiée",
      restricted: false,
    });
  }
  return out;
}

/** The title of the children of a territory level on the completeness page. */
export const CHILDREN_TITLE: Readonly<Record<string, string>> = {
  nation: "Régions académiques",
  academicRegion: "Académies",
  academy: "Départements",
  department: "Districts",
  district: "Établissements",
};

// A submission is an instant; its day is the one in Paris, as the closing date is (on time or not).
const PARIS_LONG_DATE = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" });

/** A school's row of a district's completeness, in words: its response's state, when submitted, on time, share filled. */
export interface SchoolStatusCells {
  readonly state: string;
  readonly submittedOn: string;
  readonly onTime: string;
  readonly filled: string;
}

export function schoolStatusCells(row: CompletenessRow): SchoolStatusCells | null {
  if (!row.response) return null;
  const submittedOn = row.response.submittedAt
    ? PARIS_LONG_DATE.format(new Date(row.response.submittedAt))
    : "—";
  return {
    state: RESPONSE_STATE_LABELS[row.response.state],
    submittedOn,
    onTime: row.submitted === 0 ? "—" : row.onTime > 0 ? "Oui" : "Non",
    filled: formatShare(row.fieldsAnswered),
  };
}
