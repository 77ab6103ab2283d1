import { z } from "zod";
import { JOB_STATES } from "./job-states.ts";

/**
 * API contract of the persisted jobs (`GET /api/v1/jobs/{id}`), shared by the server (response
 * validation, OpenAPI) and the web app (the progress bar's polling hook).
 */

export { isJobFinished, JOB_STATE_LABELS, JOB_STATES, type JobStateDto } from "./job-states.ts";

export const jobState = z.enum(JOB_STATES);

export const jobDto = z.object({
  id: z.string(),
  type: z.string(),
  state: jobState,
  progress: z
    .object({ done: z.number().int(), total: z.number().int(), message: z.string().nullable() })
    .nullable(),
  /** The job type's own result (the import report for `annuaire.commit`…). */
  result: z.unknown().nullable(),
  /** French message of the last failure (a retry may still be queued). */
  error: z.string().nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobDto = z.infer<typeof jobDto>;

/** The answer of a route that started a job. */
export const jobStarted = z.object({ jobId: z.string() });
