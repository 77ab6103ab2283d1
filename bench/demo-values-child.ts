// The nation's demo values for one school year, loaded in their own process into a PGlite data
// directory (bench/responsiveness.ts: the base of the roll-up measured there):
// node --import tsx bench/demo-values-child.ts <dataDir>
import { loadDemoValues } from "../src/server/indicators/demo-values.ts";
import { openDatabase } from "../src/server/platform/db.ts";
import { MIGRATIONS } from "../src/server/schema.ts";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage : demo-values-child.ts <dossier de données>");
const handle = await openDatabase({ dataDir, databaseUrl: undefined }, { migrations: MIGRATIONS });
try {
  const values = await loadDemoValues(handle.db, { schoolYears: ["2024-2025"], monthly: false });
  process.stdout.write(`${JSON.stringify({ values })}\n`);
} finally {
  await handle.close();
}
