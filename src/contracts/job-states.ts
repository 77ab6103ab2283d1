/**
 * The states of a persisted job and their French labels, without Zod: the web app's progress
 * bar reads them (ADR 0004: Zod stays out of the browser); `jobs.ts` builds its schema on them.
 */

export const JOB_STATES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobStateDto = (typeof JOB_STATES)[number];

/** Labels shown to people for each state. */
export const JOB_STATE_LABELS: Record<JobStateDto, string> = {
  queued: "En attente",
  running: "En cours",
  done: "Terminé",
  failed: "Échec",
  cancelled: "Annulé",
};

/** A job's state is final: no more polling. */
export function isJobFinished(state: JobStateDto): boolean {
  return state === "done" || state === "failed" || state === "cancelled";
}
