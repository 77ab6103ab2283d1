import type { Migrations } from "../../platform/index.ts";
import * as collection from "./0017-collection.ts";

/** The collection tables (schema.ts): forms by version, campaigns, one response per target school. */
export const migrations: Migrations = {
  "0017-collection": collection,
};
