import type { Kysely } from "kysely";
import type { ReminderKind, ReminderReport } from "../../contracts/collection-reminders.ts";
import { type Database, DuplicateJobError, type JobRunner } from "../platform/index.ts";
import { type ReminderContext, sendReminders } from "./reminders.ts";

/**
 * The `collection.reminders` job (docs/jobs.md): the daily run over every campaign taking answers,
 * or one campaign at a DANE's request. Its own lane, « mail »: reminders never wait behind an
 * import. A refused send makes the job fail and retry later; the retry skips the schools the job
 * already wrote to (their rows carry its id).
 */
export const REMINDER_JOB = "collection.reminders";

export interface ReminderPayload {
  campaignId?: string;
  kind: ReminderKind;
}

export function registerReminderJob(
  jobs: JobRunner,
  db: Kysely<Database>,
  context: ReminderContext,
  /** Tests shorten the waits (default: 5 tries, 60 s doubled). */
  options: { maxAttempts?: number; backoffMs?: number } = {},
): void {
  jobs.register<ReminderPayload, ReminderReport>(
    REMINDER_JOB,
    async ({ id, payload, reportProgress }) => {
      const report = await sendReminders(db, context, {
        ...(payload.campaignId ? { campaignId: payload.campaignId } : {}),
        kind: payload.kind,
        jobId: id,
        onProgress: (done, total) => reportProgress(done, total, "Relances"),
      });
      if (report.failed > 0)
        throw new Error(
          `Le serveur de messagerie a refusé ${report.failed} relance${report.failed > 1 ? "s" : ""} : nouvel essai plus tard.`,
        );
      return report;
    },
    { maxAttempts: options.maxAttempts ?? 5, backoffMs: options.backoffMs ?? 60_000, lane: "mail" },
  );
}

/**
 * Enqueues a campaign's reminders at once (manual kind); one at a time per campaign: a second
 * request while the first is queued or running gets that job's refusal (DuplicateJobError).
 */
export function enqueueCampaignReminders(
  jobs: JobRunner,
  campaignId: string,
  userId: string | null,
): Promise<string> {
  return jobs.enqueue(REMINDER_JOB, { campaignId, kind: "manual" } satisfies ReminderPayload, {
    scope: { userId },
    dedupeKey: `campaign:${campaignId}`,
  });
}

export const REMINDER_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * The daily run: enqueued now and every 24 hours until `stop()` (timer unref'd, like the purge).
 * Which schools get mail depends on the day, not on the hour the server started: a run twice on
 * the same day sends nothing new (a reminder since the last point counts).
 */
export function scheduleReminders(
  jobs: JobRunner,
  log: { error(obj: object, msg: string): void },
  intervalMs = REMINDER_INTERVAL_MS,
): { stop(): void } {
  const run = () => {
    jobs
      .enqueue(REMINDER_JOB, { kind: "scheduled" } satisfies ReminderPayload, { dedupeKey: "scheduled" })
      .catch((err: unknown) => {
        // The previous run is still going: it covers today.
        if (!(err instanceof DuplicateJobError)) log.error({ err }, "relances des campagnes de collecte");
      });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
