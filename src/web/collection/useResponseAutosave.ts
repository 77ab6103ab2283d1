import { useCallback, useEffect, useRef, useState } from "react";
import type { ResponseView } from "../../contracts/collection.ts";
import type { Answers } from "../../contracts/collection-form.ts";
import type { ResponseIssue } from "../../contracts/collection-rules.ts";
import { ApiError } from "../api.ts";
import { collectionApi } from "./collection-api.ts";
import { clearDraft, type DraftStorage, draftChoice, readDraft, writeDraft } from "./offline-drafts.ts";
import { sameAnswers, sendableAnswers } from "./response-model.ts";

/** About 1.5 s after the person stops typing (issue 11: autosave). */
export const AUTOSAVE_DELAY_MS = 1500;

export type SaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: string }
  /** No network: the answers are in this browser's draft. */
  | { kind: "offline" }
  /** The stored answers changed meanwhile (409 stale_revision) or the response was locked. */
  | { kind: "conflict"; message: string; locked: boolean }
  | { kind: "error"; message: string };

export interface Autosave {
  status: SaveStatus;
  /**
   * Warnings only the server can give (values far from the peers' or from last year's, rule
   * `outlier:<field>`), from the last save.
   */
  serverWarnings: ResponseIssue[];
  /** The browser says it has a network (`navigator.onLine`, its events). */
  online: boolean;
  /** The revision the next save names (read at the moment: a save may just have moved it). */
  revision: () => number;
  /** The answers the server has (the last successful save). */
  saved: () => Answers;
  /** A kept draft that started from an older revision (another tab or person saved since). */
  staleDraft: Answers | null;
  dropStaleDraft: () => void;
  /** Call after each change of the answers: saves after the delay. */
  changed: (answers: Answers) => void;
  /** Saves now (before a submission); resolves once nothing is waiting. */
  flush: () => Promise<void>;
  /** After a submission: the new revision and answers the server holds. */
  settle: (revision: number, answers: Answers) => void;
}

function storage(): DraftStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * The autosave of a school's response: debounced PUTs naming the revision they start from; the
 * answers `checkAnswer` refuses are not sent (the last saved ones go instead, see
 * `sendableAnswers`); when the network is missing the answers go to an offline draft, sent again
 * on the `online` event and on the next page load. Refs hold the moving parts, so that a timer
 * or an event always sees the latest answers and revision.
 */
export function useResponseAutosave(
  view: ResponseView,
  initial: Answers,
  params: { campaignId: string; uai: string },
  /** Shows a kept draft's answers in the form (the draft replaces the stored answers on screen too). */
  adopt: (answers: Answers) => void,
): Autosave {
  const [status, setStatus] = useState<SaveStatus>({ kind: "idle" });
  const [serverWarnings, setServerWarnings] = useState<ResponseIssue[]>([]);
  const [staleDraft, setStaleDraft] = useState<Answers | null>(null);
  const [online, setOnline] = useState(() => typeof navigator === "undefined" || navigator.onLine);
  const latest = useRef({ answers: initial, changedAt: new Date().toISOString() });
  const saved = useRef<Answers>(view.answers);
  const revisionRef = useRef(view.revision);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const blocked = useRef(false);
  const { campaignId, uai } = params;
  const adoptRef = useRef(adopt);
  adoptRef.current = adopt;

  const keepDraft = useCallback(() => {
    const store = storage();
    if (!store) return;
    writeDraft(store, {
      campaignId,
      uai,
      revision: revisionRef.current,
      answers: latest.current.answers,
      savedAt: latest.current.changedAt,
    });
  }, [campaignId, uai]);

  const saveOnce = useCallback(async () => {
    const body = sendableAnswers(view.form, latest.current.answers, saved.current);
    const changedAt = latest.current.changedAt;
    if (sameAnswers(body, saved.current) && !hasDraft(campaignId, uai)) return;
    if (typeof navigator !== "undefined" && !navigator.onLine) {
      keepDraft();
      setStatus({ kind: "offline" });
      return;
    }
    setStatus({ kind: "saving" });
    try {
      const result = await collectionApi.saveResponse(campaignId, uai, {
        answers: body,
        revision: revisionRef.current,
      });
      saved.current = body;
      revisionRef.current = result.revision;
      setServerWarnings(result.issues.filter(isServerOnly));
      const store = storage();
      if (store) clearDraft(store, campaignId, uai, changedAt);
      setStatus({ kind: "saved", at: result.updatedAt });
    } catch (error) {
      failed(error);
    }
    function failed(error: unknown) {
      if (error instanceof ApiError && error.status === 0) {
        keepDraft();
        setStatus({ kind: "offline" });
      } else if (error instanceof ApiError && error.status === 409) {
        keepDraft();
        blocked.current = true;
        setStatus({ kind: "conflict", message: error.message, locked: error.code === "response_locked" });
      } else {
        setStatus({
          kind: "error",
          message: error instanceof Error ? error.message : "L'enregistrement a échoué.",
        });
      }
    }
  }, [campaignId, uai, keepDraft, view.form]);

  /** One save at a time: a change during a save starts another once it ends. */
  const run = useCallback((): Promise<void> => {
    if (blocked.current) return Promise.resolve();
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const task = (async () => {
      do {
        again.current = false;
        await saveOnce();
      } while (again.current && !blocked.current);
      running.current = null;
    })();
    running.current = task;
    return task;
  }, [saveOnce]);

  const changed = useCallback(
    (answers: Answers) => {
      latest.current = { answers, changedAt: new Date().toISOString() };
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void run(), AUTOSAVE_DELAY_MS);
    },
    [run],
  );

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    await run();
    if (running.current) await running.current;
  }, [run]);

  // A draft kept on an earlier visit: sent at once when newer than the stored answers.
  useEffect(() => {
    const store = storage();
    const draft = store ? readDraft(store, campaignId, uai) : null;
    if (!store || !draft || !view.editable) return;
    const choice = draftChoice(draft, { revision: view.revision, answers: view.answers });
    if (choice === "obsolete") clearDraft(store, campaignId, uai, draft.savedAt);
    else if (choice === "stale") setStaleDraft(draft.answers);
    else {
      latest.current = { answers: draft.answers, changedAt: draft.savedAt };
      adoptRef.current(draft.answers);
      void run();
    }
  }, [campaignId, uai, view.editable, view.revision, view.answers, run]);

  useEffect(() => {
    const online = () => {
      setOnline(true);
      if (hasDraft(campaignId, uai)) void run();
    };
    const offline = () => setOnline(false);
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
    };
  }, [campaignId, uai, run]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return {
    status,
    serverWarnings,
    online,
    revision: () => revisionRef.current,
    saved: () => saved.current,
    staleDraft,
    dropStaleDraft: () => {
      const store = storage();
      if (store) clearDraft(store, campaignId, uai, new Date().toISOString());
      setStaleDraft(null);
    },
    changed,
    flush,
    settle: (next, answers) => {
      if (timer.current) clearTimeout(timer.current);
      blocked.current = true;
      revisionRef.current = next;
      saved.current = answers;
      const store = storage();
      if (store) clearDraft(store, campaignId, uai, new Date().toISOString());
    },
  };
}

function hasDraft(campaignId: string, uai: string): boolean {
  const store = storage();
  return store !== null && readDraft(store, campaignId, uai) !== null;
}

/** The browser runs the form's rules itself; the outlier checks need the peers' answers: server only. */
function isServerOnly(issue: ResponseIssue): boolean {
  return issue.importance === "warning" && (issue.rule?.startsWith("outlier:") ?? false);
}
