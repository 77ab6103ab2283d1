import type { CampaignSummary } from "../../contracts/collection.ts";
import type {
  ApprovalNodeRow,
  NodeActionName,
  NodeApprovalResult,
  ResponseActionName,
  ResponseApprovalResult,
} from "../../contracts/collection-approval.ts";
import type { SessionUser } from "../../contracts/identity.ts";
import { LEVEL_LABELS } from "../../contracts/territory-tree.ts";
import { ApiError } from "../api.ts";
import { statusPath } from "./campaigns-model.ts";

/**
 * What the approval page computes (docs/collection.md, « Validation » and « Dans l'application
 * web »), pure and tested apart from React: the buttons' words, the French confirmation of each
 * step, the schools a refusal names, and where the page is for a user.
 */

export const RESPONSE_ACTION_LABELS: Readonly<Record<ResponseActionName, string>> = {
  approve: "Valider",
  unapprove: "Annuler la validation",
  return: "Renvoyer pour correction",
};

export const NODE_ACTION_LABELS: Readonly<Record<NodeActionName, string>> = {
  approve: "Valider",
  unapprove: "Annuler la validation",
  accept: "Accepter",
  unaccept: "Annuler l'acceptation",
};

export function nodeStateLabel(state: ApprovalNodeRow["state"]): string {
  if (state === "approved") return "Validé";
  if (state === "accepted") return "Accepté";
  return "Non validé";
}

type NodeNaming = Pick<ApprovalNodeRow, "level" | "label">;

/** « Département Gironde », « Académie de Bordeaux » (its label already names the level). */
export function nodeName(node: NodeNaming): string {
  const title = LEVEL_LABELS[node.level].title;
  return node.label.startsWith(title) ? node.label : `${title} ${node.label}`;
}

/** The territory with its definite article: « le département Gironde », « l'académie de Bordeaux ». */
function theNode(node: NodeNaming): string {
  const name = nodeName(node);
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  if (/^[aeéiou]/i.test(lower)) return `l'${lower}`;
  return `${isFeminine(node) ? "la" : "le"} ${lower}`;
}

function isFeminine(node: NodeNaming): boolean {
  return LEVEL_LABELS[node.level].indefinite.startsWith("une ");
}

/** « du département », « de l'académie », « de la région académique ». */
function ofNode(node: NodeNaming): string {
  const the = theNode(node);
  return the.startsWith("le ") ? `du ${the.slice(3)}` : `de ${the}`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function valuesText(written: number, removed: number): string {
  const plural = (n: number) => (n > 1 ? "s" : "");
  if (written > 0)
    return ` ${written} valeur${plural(written)} versée${plural(written)} dans l'observatoire : les indicateurs sont recalculés.`;
  if (removed > 0) return ` ${removed} valeur${plural(removed)} retirée${plural(removed)} de l'observatoire.`;
  return "";
}

/** What a step on a school's response did, in French (announced in a live region). */
export function responseConfirmation(
  action: ResponseActionName,
  schoolName: string,
  result: Pick<ResponseApprovalResult, "valuesWritten" | "valuesRemoved">,
): string {
  const done = {
    approve: `Les réponses de ${schoolName} sont validées.`,
    unapprove: `La validation des réponses de ${schoolName} est annulée.`,
    return: `Les réponses de ${schoolName} sont renvoyées pour correction : l'établissement voit votre commentaire.`,
  }[action];
  return done + valuesText(result.valuesWritten, result.valuesRemoved);
}

/** What a step on a territory did, in French (the article and agreement follow the level). */
export function nodeConfirmation(
  action: NodeActionName,
  node: NodeNaming,
  result: Pick<NodeApprovalResult, "responsesChanged">,
): string {
  const n = result.responsesChanged;
  const responses = n > 0 ? ` (${n} réponse${n > 1 ? "s" : ""} concernée${n > 1 ? "s" : ""})` : "";
  const e = isFeminine(node) ? "e" : "";
  return {
    approve: `${capitalise(theNode(node))} est validé${e}.`,
    unapprove: `La validation ${ofNode(node)} est annulée.`,
    accept: `${capitalise(theNode(node))} est accepté${e}${responses}.`,
    unaccept: `L'acceptation ${ofNode(node)} est annulée${responses}.`,
  }[action];
}

/** The UAIs a refusal names (409 `schools_not_approved`: `details.pending`), none otherwise. */
export function pendingOf(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  const details = (error.body as { details?: { pending?: unknown } } | undefined)?.details;
  const pending = details?.pending;
  return Array.isArray(pending) ? pending.filter((p): p is string => typeof p === "string") : [];
}

/**
 * The approval page for this user, or null: the campaign must have approval levels, and the
 * user a territory to follow, the same one as the completeness page.
 */
export function approvalPath(
  user: SessionUser | null | undefined,
  campaign: Pick<CampaignSummary, "id" | "territory" | "approvalLevels">,
): string | null {
  if (campaign.approvalLevels.length === 0) return null;
  const status = statusPath(user, campaign);
  return status ? status.replace(/\/suivi(?=\?|$)/, "/validation") : null;
}

/** The link from a completeness page to the approval page of the same territory. */
export function approvalPathOf(campaignId: string, territory: string | undefined): string {
  const base = `/collecte/${encodeURIComponent(campaignId)}/validation`;
  return territory ? `${base}?territory=${encodeURIComponent(territory)}` : base;
}

/** A z-score as people read it: one decimal, French comma, sign kept. */
export function formatScore(z: number): string {
  return new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(z);
}

/** A value or a median: up to two decimals (a Wi-Fi coverage, a bandwidth), French separators. */
export function formatValue(value: number): string {
  return new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 }).format(value);
}
