import type { Kysely } from "kysely";
import { type FormDefinition, formDefinition } from "../../contracts/collection-form.ts";
import type { Database } from "../platform/index.ts";

/**
 * Forms by version. A campaign points to the version it started with: saving a form whose
 * definition changed makes a new version, and the open campaigns keep theirs (issue 11, « a form
 * edited while a campaign is open »). Saving the same definition again reuses the latest version.
 */

type Db = Kysely<Database>;

export interface StoredForm {
  id: string;
  code: string;
  version: number;
  definition: FormDefinition;
}

/** Key order does not change a definition: compared through a canonical JSON. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export async function latestForm(db: Db, code: string): Promise<StoredForm | null> {
  const row = await db
    .selectFrom("collection_form")
    .select(["id", "code", "version", "definition"])
    .where("code", "=", code)
    .orderBy("version", "desc")
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

function toStored(row: { id: string; code: string; version: number; definition: unknown }): StoredForm {
  return {
    id: String(row.id),
    code: row.code,
    version: row.version,
    definition: formDefinition.parse(row.definition),
  };
}

/** The form's version for this definition: the latest when unchanged, a new one otherwise. */
export async function saveFormVersion(
  db: Db,
  definition: FormDefinition,
  actor: string,
  /** The territory that owns a form a DANE saves (form-library.ts); none for a template's. */
  territory: string | null = null,
): Promise<StoredForm> {
  const latest = await latestForm(db, definition.code);
  if (latest && canonical(latest.definition) === canonical(definition)) return latest;
  const version = (latest?.version ?? 0) + 1;
  const row = await db
    .insertInto("collection_form")
    .values({
      code: definition.code,
      version,
      definition: JSON.stringify(definition),
      created_by: actor,
      territory,
    })
    .returning(["id", "code", "version", "definition"])
    .executeTakeFirstOrThrow();
  return toStored(row);
}

export async function formById(db: Db, id: string): Promise<StoredForm> {
  const row = await db
    .selectFrom("collection_form")
    .select(["id", "code", "version", "definition"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return toStored(row);
}

/** A stored definition, read back through the contract. */
export function formDefinitionOf(raw: unknown): FormDefinition {
  return formDefinition.parse(typeof raw === "string" ? JSON.parse(raw) : raw);
}

/** The latest version of a form a DANE saved (one with an owner territory), for a new campaign. */
export async function latestSavedForm(db: Db, code: string): Promise<StoredForm | null> {
  const owned = await db
    .selectFrom("collection_form")
    .select("id")
    .where("code", "=", code)
    .where("territory", "is not", null)
    .executeTakeFirst();
  return owned ? latestForm(db, code) : null;
}
