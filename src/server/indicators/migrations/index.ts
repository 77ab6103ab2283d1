import type { Migrations } from "../../platform/index.ts";
import * as indicators from "./0005-indicators.ts";
import * as heldValues from "./0010-held-values.ts";

/** The indicators tables (schema.ts): data elements, values, aggregates, roll-up requests. */
export const migrations: Migrations = {
  "0005-indicators": indicators,
  "0010-held-values": heldValues,
};
