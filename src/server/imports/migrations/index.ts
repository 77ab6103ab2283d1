import type { Migrations } from "../../platform/index.ts";
import * as imports from "./0012-imports.ts";

/** The imports tables (schema.ts): the files given to a profile and their batches. */
export const migrations: Migrations = {
  "0012-imports": imports,
};
