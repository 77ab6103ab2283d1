import type { Generated } from "kysely";

/**
 * The roadmaps tables (migration 0006), added to platform's `Database` by declaration merging
 * (see territories/schema.ts).
 */
declare module "../platform/index.ts" {
  interface Database {
    roadmap: RoadmapTable;
    roadmap_checkpoint: RoadmapCheckpointTable;
  }
}

export interface RoadmapTable {
  id: Generated<string>;
  slug: string;
  title: string;
  territory_level: string;
  territory_code: string;
  academy_code: string | null;
  period_from: string;
  period_to: string;
  status: Generated<"draft" | "published">;
  template_id: string | null;
  /** The whole tree, validated by the roadmap template schema (src/contracts/roadmaps.ts). */
  document: unknown;
  version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RoadmapCheckpointTable {
  id: Generated<string>;
  roadmap_id: string;
  /** `date` column: read back as a Date by pg and PGlite, written as `YYYY-MM-DD`. */
  date: Date | string;
  title: string;
  comment: string | null;
  /** The values frozen at the checkpoint, objective by objective. */
  values: unknown;
  created_by: string | null;
  created_at: Generated<Date>;
}
