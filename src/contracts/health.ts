import type { JobStateDto } from "./jobs.ts";

/**
 * `GET /api/health`: the service's state, and on a new instance the loading of its demo territory
 * (a job started once the server listens), so that every page can say that figures are coming.
 */
export interface HealthDemo {
  state: JobStateDto;
  /** Step done out of the steps, with the current step's name. */
  progress: { done: number; total: number; message: string | null } | null;
  error: string | null;
}

export interface HealthDto {
  status: "ok";
  engine: "pglite" | "postgres";
  version: string;
  demo: HealthDemo | null;
}
