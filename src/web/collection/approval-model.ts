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

/** « district Bassin de Bordeaux » : the level's noun before the territory's name. */
export function nodeName(node: Pick<ApprovalNodeRow, "level" | "label">): string {
  return `${LEVEL_LABELS[node.level].noun} ${node.label}`;
}

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

/** What a step on a territory did, in French. */
export function nodeConfirmation(
  action: NodeActionName,
  node: Pick<ApprovalNodeRow, "level" | "label">,
  result: Pick<NodeApprovalResult, "responsesChanged">,
): string {
  const name = nodeName(node);
  const n = result.responsesChanged;
  const responses = n > 0 ? ` (${n} réponse${n > 1 ? "s" : ""} concernée${n > 1 ? "s" : ""})` : "";
  const done = {
    approve: `Le ${name} est validé.`,
    unapprove: `La validation du ${name} est annulée.`,
    accept: `Le ${name} est accepté${responses}.`,
    unaccept: `L'acceptation du ${name} est annulée${responses}.`,
  }[action];
  return done;
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
