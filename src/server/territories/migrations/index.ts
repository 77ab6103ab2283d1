import type { Migrations } from "../../platform/index.ts";
import * as territories from "./0001-territories.ts";
import * as importUpload from "./0002-import-upload.ts";
import * as schoolSearch from "./0008-school-search.ts";
import * as schoolSearchOrder from "./0009-school-search-order.ts";
import * as schoolSortName from "./0023-school-sort-name.ts";
import * as schoolSearchInMemory from "./0025-school-search-in-memory.ts";

/** The territories tables (schema.ts): the referential, schools, Annuaire imports, the search keys and revision. */
export const migrations: Migrations = {
  "0001-territories": territories,
  "0002-import-upload": importUpload,
  "0008-school-search": schoolSearch,
  "0009-school-search-order": schoolSearchOrder,
  "0023-school-sort-name": schoolSortName,
  "0025-school-search-in-memory": schoolSearchInMemory,
};
