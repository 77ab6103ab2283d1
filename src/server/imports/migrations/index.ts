import type { Migrations } from "../../platform/index.ts";
import * as imports from "./0012-imports.ts";
import * as usageApi from "./0014-usage-api.ts";
import * as mappings from "./0016-import-mappings.ts";

/** The imports tables (schema.ts): the files given to a profile and their batches; the usage API's tokens and batches. */
export const migrations: Migrations = {
  "0012-imports": imports,
  "0014-usage-api": usageApi,
  "0016-import-mappings": mappings,
};
