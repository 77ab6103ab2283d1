import { type Answers, isAnswers } from "../../contracts/collection-model.ts";
import { sameAnswers } from "./response-model.ts";

/**
 * Drafts kept in the browser (issue 11: « a form can be filled in on a poor connection and
 * submitted later »): when a save fails for want of a network, the answers are written to
 * localStorage under the campaign and the school, with the revision they started from, and sent
 * when the connection returns. One draft per campaign and school: a newer one replaces it.
 */

/** The part of `Storage` used here (a Map in the unit tests). */
export type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export interface OfflineDraft {
  campaignId: string;
  uai: string;
  /** The stored revision the answers started from: the save must name it. */
  revision: number;
  answers: Answers;
  /** When the person last changed them (ISO). */
  savedAt: string;
}

const PREFIX = "vigie:collecte:brouillon";

export function draftKey(campaignId: string, uai: string): string {
  return `${PREFIX}:${campaignId}:${uai.toUpperCase()}`;
}

export function writeDraft(storage: DraftStorage, draft: OfflineDraft): void {
  try {
    storage.setItem(draftKey(draft.campaignId, draft.uai), JSON.stringify(draft));
  } catch {
    // A full or forbidden storage (private browsing): the answers stay in the page only.
  }
}

/** The draft kept for this campaign and school, or null (none, or unreadable: it is dropped). */
export function readDraft(storage: DraftStorage, campaignId: string, uai: string): OfflineDraft | null {
  const key = draftKey(campaignId, uai);
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return null;
  }
  if (raw === null) return null;
  const draft = parseDraft(raw);
  if (draft === null || draft.campaignId !== campaignId) storage.removeItem(key);
  return draft;
}

function parseDraft(raw: string): OfflineDraft | null {
  try {
    const data = JSON.parse(raw) as Partial<OfflineDraft>;
    if (
      typeof data.campaignId !== "string" ||
      typeof data.uai !== "string" ||
      typeof data.revision !== "number" ||
      typeof data.savedAt !== "string" ||
      !isAnswers(data.answers)
    )
      return null;
    return data as OfflineDraft;
  } catch {
    return null;
  }
}

/**
 * Forgets the draft once its answers are saved: only a draft that started from `revision` or
 * before, so that a newer draft written meanwhile (typing during the save) is kept.
 */
export function clearDraft(storage: DraftStorage, campaignId: string, uai: string, savedAt: string): void {
  const draft = readDraft(storage, campaignId, uai);
  if (draft !== null && draft.savedAt <= savedAt) storage.removeItem(draftKey(campaignId, uai));
}

/** What to do with a kept draft, given the stored response the server has. */
export type DraftChoice =
  /** Started from the stored answers: newer by construction, send it. */
  | "send"
  /** Started from another revision (saved meanwhile in another tab or by someone else): ask. */
  | "stale"
  /** Holds the stored answers already: drop it. */
  | "obsolete";

/**
 * The revision decides, not the clocks: the browser's clock and the server's `updatedAt` need
 * not agree, and a draft dropped on a clock's word would lose what was typed offline.
 */
export function draftChoice(
  draft: Pick<OfflineDraft, "revision" | "answers">,
  stored: { revision: number; answers: Answers },
): DraftChoice {
  if (sameAnswers(draft.answers, stored.answers)) return "obsolete";
  return draft.revision === stored.revision ? "send" : "stale";
}
