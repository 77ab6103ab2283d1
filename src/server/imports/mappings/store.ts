import type { Kysely } from "kysely";
import { type ImportMapping, importMapping } from "../../../contracts/import-mapping.ts";
import { getCatalogue } from "../../indicators/index.ts";
import { type Actor, type Database, invalid, notFound, recordAudit } from "../../platform/index.ts";
import type { Profile } from "../framework/types.ts";
import { buildGenericProfile } from "../profiles/generic.ts";
import { catalogueRules, mappingProblems } from "./rules.ts";

/** The saved mapping profiles of the generic import (table `import_mapping`, migration 0016). */

export interface SavedMapping {
  readonly mapping: ImportMapping;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

export async function listMappings(db: Kysely<Database>): Promise<SavedMapping[]> {
  const rows = await db
    .selectFrom("import_mapping")
    .select(["definition", "updated_by", "updated_at"])
    .orderBy("name")
    .execute();
  return rows.map((r) => ({
    mapping: importMapping.parse(r.definition),
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  }));
}

export async function findMapping(db: Kysely<Database>, name: string): Promise<ImportMapping | null> {
  const row = await db
    .selectFrom("import_mapping")
    .select("definition")
    .where("name", "=", name)
    .executeTakeFirst();
  return row ? importMapping.parse(row.definition) : null;
}

/** Saves (creates or replaces) a mapping under its name, refusing what the catalogue does not have. */
export async function saveMapping(
  db: Kysely<Database>,
  input: unknown,
  actor: Actor,
): Promise<ImportMapping> {
  const parsed = importMapping.safeParse(input);
  if (!parsed.success)
    throw invalid(
      "La correspondance est incomplète ou invalide.",
      "invalid_mapping",
      parsed.error.issues.map((i) => i.message),
    );
  const problems = mappingProblems(parsed.data, await getCatalogue());
  if (problems.length > 0)
    throw invalid("La correspondance ne correspond pas au catalogue.", "invalid_mapping", problems);
  const mapping = parsed.data;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("import_mapping")
      .values({
        name: mapping.name,
        definition: JSON.stringify(mapping),
        created_by: actor.label,
        updated_by: actor.label,
      })
      .onConflict((oc) =>
        oc.column("name").doUpdateSet({
          definition: JSON.stringify(mapping),
          updated_by: actor.label,
          updated_at: new Date(),
        }),
      )
      .execute();
    await recordAudit(trx, actor, {
      action: "import.mapping.save",
      entityType: "import_mapping",
      entityId: mapping.name,
      summary: { columns: mapping.columns.length },
    });
  });
  return mapping;
}

export async function deleteMapping(db: Kysely<Database>, name: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom("import_mapping").where("name", "=", name).executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0) throw notFound(`Aucune correspondance ne s'appelle « ${name} ».`);
    await recordAudit(trx, actor, {
      action: "import.mapping.delete",
      entityType: "import_mapping",
      entityId: name,
    });
  });
}

/** The generic profile of a saved mapping, with the catalogue's rules; a French 404 when unknown. */
export async function genericProfile(db: Kysely<Database>, name: string | null): Promise<Profile> {
  if (!name)
    throw invalid(
      "Le profil « generic » demande une correspondance enregistrée (paramètre « mapping »).",
      "mapping_required",
    );
  const mapping = await findMapping(db, name);
  if (!mapping) throw notFound(`Aucune correspondance ne s'appelle « ${name} ».`);
  return buildGenericProfile(mapping, catalogueRules(await getCatalogue())) as Profile;
}
