import type { Migrations } from "../../platform/index.ts";
import * as indicators from "./0005-indicators.ts";
import * as heldValues from "./0010-held-values.ts";
import * as importRollback from "./0013-import-rollback.ts";
import * as expectedSchools from "./0020-expected-schools.ts";
import * as localDataElements from "./0021-local-data-elements.ts";
import * as setBasedValueChecks from "./0024-set-based-value-checks.ts";

/** The indicators tables (schema.ts): data elements, values, aggregates, roll-up requests, what an import batch replaced (its rollback), the schools a campaign expects, the data elements a DANE defines, the parts of each import batch. */
export const migrations: Migrations = {
  "0005-indicators": indicators,
  "0010-held-values": heldValues,
  "0013-import-rollback": importRollback,
  "0020-expected-schools": expectedSchools,
  "0021-local-data-elements": localDataElements,
  "0024-set-based-value-checks": setBasedValueChecks,
};
