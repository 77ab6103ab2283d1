import type { Migrations } from "../../platform/index.ts";
import * as roadmaps from "./0006-roadmaps.ts";

/** The roadmaps tables (schema.ts): roadmaps and their checkpoints. */
export const migrations: Migrations = {
  "0006-roadmaps": roadmaps,
};
