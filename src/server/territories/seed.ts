import type { Kysely } from "kysely";
import type { Database } from "../platform/index.ts";
import { ACADEMIC_REGIONS, ACADEMIES, DEPARTMENTS } from "./referential.ts";

/**
 * Writes the built-in referential (régions académiques, académies, départements). Idempotent: run
 * at every start, it also brings names up to date when the code changes them.
 */
export async function seedReferential(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("academic_region")
      .values(ACADEMIC_REGIONS.map((r) => ({ code: r.code, name: r.name })))
      .onConflict((oc) => oc.column("code").doUpdateSet((eb) => ({ name: eb.ref("excluded.name") })))
      .execute();
    await trx
      .insertInto("academy")
      .values(
        ACADEMIES.map((a) => ({ code: a.code, name: a.name, academic_region_code: a.academicRegionCode })),
      )
      .onConflict((oc) =>
        oc.column("code").doUpdateSet((eb) => ({
          name: eb.ref("excluded.name"),
          academic_region_code: eb.ref("excluded.academic_region_code"),
        })),
      )
      .execute();
    await trx
      .insertInto("department")
      .values(
        DEPARTMENTS.map((d) => ({
          code: d.code,
          name: d.name,
          academy_code: d.academyCode,
          academic_region_code: d.academicRegionCode,
        })),
      )
      .onConflict((oc) =>
        oc.column("code").doUpdateSet((eb) => ({
          name: eb.ref("excluded.name"),
          academy_code: eb.ref("excluded.academy_code"),
          academic_region_code: eb.ref("excluded.academic_region_code"),
        })),
      )
      .execute();
  });
}
