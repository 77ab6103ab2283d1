import type { Kysely } from "kysely";
import { type DataElement, dataElement, type IndicatorCatalogue } from "../../contracts/roadmaps.ts";
import type { Database } from "../platform/index.ts";
import { loadIndicatorCatalogue } from "./catalogue-file.ts";

/**
 * The indicator catalogue as the engine uses it: loaded once from data/templates/indicators.yaml
 * (validated there), with look-ups, and mirrored into the `data_element` table so that every
 * stored value references a known element. The data elements a DANE defines for her forms
 * (local-elements.ts, `origin = 'local'`) are read from that table and added to it.
 */

export type CatalogueIndicator = IndicatorCatalogue["indicators"][number];

export interface Catalogue {
  readonly raw: IndicatorCatalogue;
  readonly elements: ReadonlyMap<string, DataElement>;
  readonly indicators: ReadonlyMap<string, CatalogueIndicator>;
  readonly disaggregationCodes: ReadonlySet<string>;
}

let fileCatalogue: Promise<IndicatorCatalogue> | undefined;
let cached: Promise<Catalogue> | undefined;
/** The elements a DANE defined (local-elements.ts), as last read from the database by this process. */
let localElements: readonly DataElement[] = [];

/** The file's catalogue alone (indicators.yaml), read once: what local elements must not collide with. */
export function getFileCatalogue(): Promise<IndicatorCatalogue> {
  fileCatalogue ??= loadIndicatorCatalogue();
  return fileCatalogue;
}

/** The catalogue of indicators.yaml with the local data elements this process has loaded. */
export function getCatalogue(): Promise<Catalogue> {
  cached ??= getFileCatalogue().then((raw) => indexCatalogue(withLocalElements(raw, localElements)));
  return cached;
}

/** Replaces the local elements the catalogue includes (read at start, and after one is defined). */
export function setLocalElements(elements: readonly DataElement[]): void {
  localElements = elements;
  cached = undefined;
}

// A code the file took since the element was defined stays the file's: one definition per code.
function withLocalElements(raw: IndicatorCatalogue, local: readonly DataElement[]): IndicatorCatalogue {
  if (local.length === 0) return raw;
  const taken = new Set(raw.dataElements.map((e) => e.code));
  return { ...raw, dataElements: [...raw.dataElements, ...local.filter((e) => !taken.has(e.code))] };
}

export function indexCatalogue(raw: IndicatorCatalogue): Catalogue {
  return {
    raw,
    elements: new Map(raw.dataElements.map((e) => [e.code, e])),
    indicators: new Map(raw.indicators.map((i) => [i.code, i])),
    disaggregationCodes: new Set(raw.disaggregations.map((d) => d.code)),
  };
}

/** Upserts the file's data elements (never deletes: stored values may reference them). */
export async function syncDataElements(db: Kysely<Database>, file: IndicatorCatalogue): Promise<void> {
  const rows = file.dataElements.map((e) => ({
    code: e.code,
    name: e.name,
    value_type: e.valueType,
    collected_at: e.collectedAt,
    time_aggregation: e.aggregation.time,
    territory_aggregation: e.aggregation.territory,
    additive: e.additive,
    definition: JSON.stringify(e),
  }));
  await db
    .insertInto("data_element")
    .values(rows)
    .onConflict((oc) =>
      oc.column("code").doUpdateSet((eb) => ({
        name: eb.ref("excluded.name"),
        value_type: eb.ref("excluded.value_type"),
        collected_at: eb.ref("excluded.collected_at"),
        time_aggregation: eb.ref("excluded.time_aggregation"),
        territory_aggregation: eb.ref("excluded.territory_aggregation"),
        additive: eb.ref("excluded.additive"),
        definition: eb.ref("excluded.definition"),
        // A code the file now defines is the file's, even if a DANE defined it first.
        origin: "catalogue" as const,
      })),
    )
    .execute();
}

/** Canonical text of a disaggregation: `k=v` pairs sorted by key, joined by `,`; '' = total. */
export function disaggregationKey(filter: Readonly<Record<string, string>> | undefined): string {
  if (!filter) return "";
  return Object.keys(filter)
    .sort()
    .map((k) => `${k}=${filter[k]}`)
    .join(",");
}

export function parseDisaggregationKey(key: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (key === "") return out;
  for (const pair of key.split(",")) {
    const [k, v] = pair.split("=");
    if (k && v) out[k] = v;
  }
  return out;
}

/** Elements whose values count people: a cell built on fewer than `minPeople` is suppressed. */
export const PEOPLE_ELEMENTS: ReadonlySet<string> = new Set([
  "pupils_enrolled",
  "pupils_pix_eligible",
  "pupils_pix_scored",
  "pupils_in_pix_campaign",
  "pupils_pix_certified",
  "pupils_pix_level_reached",
  // Pix import profiles (docs/imports.md): every count of pupils or participations.
  "pupils_pix_profile_shared",
  "pupils_pix_certifiable",
  "pupils_pix_targeted_shared",
  "pupils_pix_competence_level",
  "pupils_pix_competence_target_reached",
  "pupils_pix_assessment_participants",
  "pupils_pix_assessment_shared",
  "pupils_pix_assessment_stage",
  "pupils_pix_certification_candidates",
  "pupils_pix_certification_competence_level",
  "pupils_pix_certification_competence_tested",
  "teachers_in_post",
  "ent_accounts",
  "nsi_pupils",
  // Open-data profiles (docs/imports.md): candidates and admitted at the DNB are pupils.
  "dnb_registered",
  "dnb_present",
  "dnb_admitted",
  "ivac_candidates",
  "ivac_mentions",
]);

/**
 * Bases whose data elements are in step with the file, by their Kysely adapter: a transaction
 * shares its database's adapter, while the transaction object itself is new each time. Keyed by
 * the transaction, every write (each submission of a campaign) upserted every data element again
 * and held their row locks until its commit, so concurrent submissions queued behind one another
 * (issue 11, docs/benchmarks.md).
 */
const synced = new WeakSet<object>();
/** Transactions that synced a base not yet marked: the mark waits for a sync outside one. */
const syncedIn = new WeakSet<object>();

/**
 * Makes sure the data elements are in the database (once per database handle). A sync inside a
 * transaction may still be rolled back, so it marks that transaction only; the server syncs once
 * outside any transaction when it starts (indicators' `register`), after which no write does.
 */
export async function ensureDataElements(db: Kysely<Database>): Promise<Catalogue> {
  const base = db.getExecutor().adapter;
  if (!synced.has(base) && !syncedIn.has(db)) {
    await syncDataElements(db, await getFileCatalogue());
    // A process that writes (the CLI alone on its base too) knows the elements a DANE defined.
    await loadLocalDataElements(db);
    if (db.isTransaction) syncedIn.add(db);
    else synced.add(base);
  }
  return getCatalogue();
}

/** Reads the local data elements from the database into the catalogue of this process. */
export async function loadLocalDataElements(db: Kysely<Database>): Promise<readonly DataElement[]> {
  const rows = await db
    .selectFrom("data_element")
    .select("definition")
    .where("origin", "=", "local")
    .orderBy("code")
    .execute();
  const elements = rows.map((r) =>
    dataElement.parse(typeof r.definition === "string" ? JSON.parse(r.definition) : r.definition),
  );
  setLocalElements(elements);
  return elements;
}
