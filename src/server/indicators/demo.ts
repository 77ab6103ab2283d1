import type { Kysely } from "kysely";
import type { Database } from "../platform/index.ts";
import { hasSchools } from "../territories/index.ts";
import { loadDemoTerritoryValues, loadDemoValues } from "./demo-values.ts";
import { type RefreshReport, rollupFull } from "./engine.ts";

/** Demo values for every stored school, then a full roll-up. */
export async function loadObservatoryDemo(
  db: Kysely<Database>,
  options: { monthly?: boolean; log?: (message: string) => void } = {},
): Promise<{ values: number; rollup: RefreshReport }> {
  const values = await loadDemoValues(db, { monthly: options.monthly ?? true });
  await loadDemoTerritoryValues(db);
  const rollup = await rollupFull(db);
  options.log?.(
    `Observatoire de démonstration : ${values} valeurs, ${rollup.rows} agrégats calculés en ${(rollup.ms / 1000).toFixed(1)} s.`,
  );
  return { values, rollup };
}

/** Loads the observatory demo when schools exist but no value is stored yet. */
export async function loadObservatoryDemoIfEmpty(
  db: Kysely<Database>,
  log?: (message: string) => void,
): Promise<boolean> {
  if (!(await hasSchools(db))) return false;
  const value = await db.selectFrom("data_value").select("school_id").limit(1).executeTakeFirst();
  if (value) return false;
  log?.("Chargement des valeurs de démonstration de l'observatoire…");
  await loadObservatoryDemo(db, log ? { log } : {});
  return true;
}
