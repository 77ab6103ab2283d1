import type { Kysely } from "kysely";
import { loadObservatoryDemoIfEmpty } from "./indicators/index.ts";
import { type Database, DuplicateJobError, type JobRunner } from "./platform/index.ts";
import { publishDemoRoadmapIfEmpty } from "./roadmaps/index.ts";
import { type DemoScale, loadDemoIfEmpty } from "./territories/index.ts";

/**
 * The demo of an empty instance, loaded as a job once the server listens (issue 8): the first
 * page answers at once and says that figures are still loading, the home page shows the steps,
 * and a stop in the middle resumes at the next start (each step is skipped when its data is there).
 */
export const DEMO_JOB = "platform.demo";

export interface DemoJobOptions {
  scale: DemoScale;
  /** Also publish the demo territory's roadmap when none is stored. */
  roadmap: boolean;
  log?: ((message: string) => void) | undefined;
}

const STEPS = [
  "Établissements du territoire",
  "Valeurs des indicateurs et consolidation",
  "Feuille de route",
];

export function registerDemoJob(jobs: JobRunner, db: Kysely<Database>, options: DemoJobOptions): void {
  jobs.register(
    DEMO_JOB,
    async ({ reportProgress }) => {
      const step = (i: number) => reportProgress(i, STEPS.length, STEPS[i] ?? "Terminé");
      step(0);
      const schools = await loadDemoIfEmpty(db, options.scale, options.log);
      step(1);
      const values = await loadObservatoryDemoIfEmpty(db, options.log);
      step(2);
      // After the values: the roadmap's objectives are read against them.
      const roadmap = options.roadmap ? await publishDemoRoadmapIfEmpty(db, options.log) : undefined;
      step(3);
      return { schools: schools?.created ?? 0, values, roadmap: roadmap?.id ?? null };
    },
    { maxAttempts: 3, backoffMs: 5_000 },
  );
}

/** Queues the demo once: a demo job still queued or running (a restart) is the one to follow. */
export async function enqueueDemoJob(jobs: JobRunner): Promise<string> {
  for (;;) {
    try {
      return await jobs.enqueue(DEMO_JOB, {}, { dedupeKey: DEMO_JOB });
    } catch (err) {
      if (!(err instanceof DuplicateJobError)) throw err;
      // Null: the holder ended between the two statements; queue again.
      if (err.activeJobId) return err.activeJobId;
    }
  }
}
