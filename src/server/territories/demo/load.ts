import type { Kysely } from "kysely";
import type { AnnuaireImportReport } from "../../../contracts/territories.ts";
import type { Database } from "../../platform/index.ts";
import { importAnnuaire, writeAnnuaireCsv } from "../annuaire/index.ts";
import { type DemoScale, generateDemoSchools } from "./generate.ts";

export type { DemoScale } from "./generate.ts";

/**
 * Loads the synthetic demo territory through the same path as a real Annuaire file (written in
 * the 2026 layout, then imported), so the demo exercises the importer and stays idempotent.
 */
export async function loadDemo(
  db: Kysely<Database>,
  scale: DemoScale,
  onProgress?: (done: number, total: number) => void,
): Promise<AnnuaireImportReport> {
  // The ministry's 2026 layout has no pupil counts; the demo adds the column (read by name) so
  // that territories show pupils.
  const csv = writeAnnuaireCsv(generateDemoSchools(scale), "2026", { pupilsColumn: true });
  return importAnnuaire(db, Buffer.from(csv, "utf8"), {
    commit: true,
    fileName: `demo-${scale}.csv`,
    ...(onProgress ? { onProgress } : {}),
  });
}

/** Loads the demo only when no school is stored yet (first start of an empty instance). */
export async function loadDemoIfEmpty(
  db: Kysely<Database>,
  scale: DemoScale,
  log?: (message: string) => void,
): Promise<AnnuaireImportReport | undefined> {
  const any = await db.selectFrom("school").select("uai").limit(1).executeTakeFirst();
  if (any) return undefined;
  log?.(`Base vide : chargement du territoire de démonstration (${scale})…`);
  const report = await loadDemo(db, scale);
  log?.(`Territoire de démonstration chargé : ${report.created} établissements.`);
  return report;
}
