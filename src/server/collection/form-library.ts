import { type Kysely, sql } from "kysely";
import type { CampaignTemplate } from "../../contracts/collection.ts";
import { expandForm } from "../../contracts/collection-form.ts";
import type {
  FormSaveInput,
  FormSaveResult,
  FormsList,
  SavedForm,
  SavedFormSummary,
} from "../../contracts/collection-forms.ts";
import { NATION_KEY, type NodeAddress, nodeKey, TERRITORY_LEVELS } from "../../contracts/territory-tree.ts";
import { scopesWith } from "../identity/index.ts";
import { type Actor, type Database, forbidden, invalid, notFound, recordAudit } from "../platform/index.ts";
import { resolveNodeKey } from "../territories/index.ts";
import { type Caller, holdsOn, requireSignedIn, territoryPathOf } from "./access.ts";
import { phaseOf, todayInFrance } from "./calendar.ts";
import { checkedDefinition } from "./form-check.ts";
import { formDefinitionOf, saveFormVersion } from "./forms.ts";

/**
 * The forms a DANE saves herself (issue 11, point 1; docs/collection.md, « Formulaires »). A form
 * belongs to the territory it was first saved for: the `collection.manage` holders of that
 * territory (or above) save its new versions; every `collection.manage` holder reads the forms
 * and may launch a campaign from one on her own territory. A saved definition that did not change
 * makes no version; a campaign keeps the version it started with.
 */

type Db = Kysely<Database>;

/** Saves a version of the form `code` (audit `collection.form.saved` when one is made). */
export async function saveForm(
  db: Db,
  templates: readonly CampaignTemplate[],
  caller: Caller,
  actor: Actor,
  code: string,
  input: FormSaveInput,
): Promise<FormSaveResult> {
  requireSignedIn(caller);
  const definition = await checkedDefinition(db, input.definition, { code, templates });
  const territory = await ownerTerritory(db, caller, code, input.territory);
  const saved = await db.transaction().execute(async (trx) => {
    // Two saves of one code at once: the second waits, then sees the first's version.
    await sql`select pg_advisory_xact_lock(hashtext(${`collection_form:${code}`}))`.execute(trx);
    const before = await latestVersion(trx, code);
    const stored = await saveFormVersion(trx, definition, actor.label, territory.key);
    const created = stored.version !== before;
    if (created)
      await recordAudit(trx, actor, {
        action: "collection.form.saved",
        entityType: "collection_form",
        entityId: stored.id,
        territory: territory.node,
        summary: { code, version: stored.version, title: definition.title },
      });
    return { created };
  });
  return { ...(await getForm(db, caller, code)), created: saved.created };
}

async function latestVersion(db: Db, code: string): Promise<number> {
  const row = await db
    .selectFrom("collection_form")
    .select((eb) => eb.fn.max("version").as("v"))
    .where("code", "=", code)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

interface Owner {
  key: string;
  node: NodeAddress;
  label: string;
}

/** The form's territory (its first version's), or the one asked for a new form; the caller must manage it. */
async function ownerTerritory(
  db: Db,
  caller: Caller,
  code: string,
  asked: string | undefined,
): Promise<Owner> {
  const first = await db
    .selectFrom("collection_form")
    .select("territory")
    .where("code", "=", code)
    .where("territory", "is not", null)
    .orderBy("version")
    .executeTakeFirst();
  const owner = await readTerritory(db, first?.territory ?? asked ?? defaultTerritory(caller));
  if (!holdsOn(caller, "collection.manage", await territoryPathOf(db, owner.node)))
    throw forbidden(
      first
        ? `Le formulaire « ${code} » appartient à ${owner.label} : vos rôles ne permettent pas d'en enregistrer une version.`
        : `Le territoire ${owner.label} est hors de votre périmètre : vos rôles ne permettent pas d'y enregistrer un formulaire.`,
    );
  return owner;
}

function defaultTerritory(caller: Caller): string {
  if (caller === "cli" || caller === null) return NATION_KEY;
  const scopes = scopesWith(caller, "collection.manage").filter((s) => s.kind === "territory");
  const keys = [...new Set(scopes.map((s) => nodeKey({ level: s.level, code: s.code })))];
  if (keys.length === 1) return keys[0] as string;
  throw invalid(
    `Précisez le territoire du formulaire (territory) : vous gérez les campagnes de plusieurs territoires (${keys.join(", ")}).`,
    "territory_required",
  );
}

async function readTerritory(db: Db, text: string): Promise<Owner> {
  const { ref } = await resolveNodeKey(db, text, { field: "territory", levels: TERRITORY_LEVELS });
  const node = { level: ref.level, code: ref.code };
  return { key: nodeKey(node), node, label: ref.name };
}

/** The saved forms (latest version of each) and the templates to start from. */
export async function listForms(
  db: Db,
  caller: Caller,
  templates: readonly CampaignTemplate[],
): Promise<FormsList> {
  requireSignedIn(caller);
  const codes = await db
    .selectFrom("collection_form")
    .select("code")
    .where("territory", "is not", null)
    .groupBy("code")
    .orderBy("code")
    .execute();
  const items: SavedFormSummary[] = [];
  for (const { code } of codes) items.push(await summaryOf(db, caller, code));
  return {
    items,
    templates: templates.map((t) => ({
      code: t.code,
      title: t.title,
      formCode: t.form.code,
      fields: expandForm(t.form).length,
      rules: t.form.rules.length,
    })),
  };
}

/** A saved form: its latest version, or the version asked. */
export async function getForm(db: Db, caller: Caller, code: string, version?: number): Promise<SavedForm> {
  requireSignedIn(caller);
  const summary = await summaryOf(db, caller, code);
  const row = await db
    .selectFrom("collection_form")
    .select(["definition", "version", "created_by", "created_at"])
    .where("code", "=", code)
    .where("version", "=", version ?? summary.version)
    .executeTakeFirst();
  if (!row)
    throw notFound(
      `Version ${version} du formulaire « ${code} » introuvable (versions 1 à ${summary.version}).`,
    );
  return {
    ...summary,
    version: row.version,
    savedBy: row.created_by,
    savedAt: new Date(row.created_at).toISOString(),
    definition: formDefinitionOf(row.definition),
  };
}

async function summaryOf(db: Db, caller: Caller, code: string): Promise<SavedFormSummary> {
  const versions = await db
    .selectFrom("collection_form")
    .select(["id", "version", "definition", "created_by", "created_at", "territory"])
    .where("code", "=", code)
    .orderBy("version", "desc")
    .execute();
  const latest = versions[0];
  const territory = versions.find((v) => v.territory !== null)?.territory;
  if (!latest || !territory) throw notFound(`Formulaire « ${code} » introuvable.`);
  const definition = formDefinitionOf(latest.definition);
  const owner = await readTerritory(db, territory);
  const campaigns = await activeCampaigns(db, code);
  return {
    code,
    title: definition.title,
    version: latest.version,
    versions: versions.length,
    territory: owner.key,
    territoryLabel: owner.label,
    savedBy: latest.created_by,
    savedAt: new Date(latest.created_at).toISOString(),
    fields: expandForm(definition).length,
    rules: definition.rules.length,
    activeCampaigns: campaigns.length,
    activeCampaignsOnOlderVersion: campaigns.filter((c) => c.version < latest.version).length,
    editable: holdsOn(caller, "collection.manage", await territoryPathOf(db, owner.node)),
  };
}

/** The campaigns on a version of this form that still take answers (not locked), with their version. */
async function activeCampaigns(db: Db, code: string): Promise<{ version: number }[]> {
  const rows = await db
    .selectFrom("collection_campaign")
    .innerJoin("collection_form", "collection_form.id", "collection_campaign.form_id")
    .select([
      "collection_form.version",
      "collection_campaign.opens_on",
      "collection_campaign.closes_on",
      "collection_campaign.expiry_days",
    ])
    .where("collection_form.code", "=", code)
    .execute();
  const today = todayInFrance();
  return rows.filter(
    (r) =>
      phaseOf({ opensOn: r.opens_on, closesOn: r.closes_on, expiryDays: r.expiry_days }, today) !== "locked",
  );
}
