// One import measured in its own process, so that its peak RSS is its own:
// compiled by bench/compiled-child.ts, run as `node import-child.mjs <file>` (engine chosen by
// DATABASE_URL / VIGIE_DATA_DIR).
import { loadConfig } from "../src/server/platform/config.ts";
import { openDatabase } from "../src/server/platform/db.ts";
import { MIGRATIONS } from "../src/server/schema.ts";
import { importAnnuaire } from "../src/server/territories/annuaire/index.ts";
import { seedReferential } from "../src/server/territories/seed.ts";

export async function childImport(file: string): Promise<void> {
  const handle = await openDatabase(loadConfig(), { migrations: MIGRATIONS });
  await seedReferential(handle.db);
  const rssBeforeMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const start = performance.now();
  // The path, as the server's commit job does: the file is read in slices, never whole.
  const report = await importAnnuaire(handle.db, file, { commit: true, fileName: file });
  const ms = performance.now() - start;
  await handle.close();
  const result = {
    engine: handle.engine,
    rows: report.read,
    created: report.created,
    unchanged: report.unchanged,
    ms: Math.round(ms),
    rowsPerSecond: Math.round(report.read / (ms / 1000)),
    rssBeforeMb,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
