import type { Kysely } from "kysely";
import type { DataElement, IndicatorCatalogue } from "../../contracts/roadmaps.ts";
import type { Database } from "../platform/index.ts";
import { loadIndicatorCatalogue } from "./catalogue-file.ts";

/**
 * The indicator catalogue as the engine uses it: loaded once from data/templates/indicators.yaml
 * (validated there), with look-ups, and mirrored into the `data_element` table so that every
 * stored value references a known element.
 */

export type CatalogueIndicator = IndicatorCatalogue["indicators"][number];

export interface Catalogue {
  readonly raw: IndicatorCatalogue;
  readonly elements: ReadonlyMap<string, DataElement>;
  readonly indicators: ReadonlyMap<string, CatalogueIndicator>;
  readonly disaggregationCodes: ReadonlySet<string>;
}

let cached: Promise<Catalogue> | undefined;

export function getCatalogue(): Promise<Catalogue> {
  cached ??= loadIndicatorCatalogue().then(indexCatalogue);
  return cached;
}

export function indexCatalogue(raw: IndicatorCatalogue): Catalogue {
  return {
    raw,
    elements: new Map(raw.dataElements.map((e) => [e.code, e])),
    indicators: new Map(raw.indicators.map((i) => [i.code, i])),
    disaggregationCodes: new Set(raw.disaggregations.map((d) => d.code)),
  };
}

/** Upserts the catalogue's data elements (never deletes: stored values may reference them). */
export async function syncDataElements(db: Kysely<Database>, catalogue: Catalogue): Promise<void> {
  const rows = catalogue.raw.dataElements.map((e) => ({
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

const synced = new WeakSet<object>();

/** Makes sure the data elements are in the database (once per database handle). */
export async function ensureDataElements(db: Kysely<Database>): Promise<Catalogue> {
  const catalogue = await getCatalogue();
  if (!synced.has(db)) {
    await syncDataElements(db, catalogue);
    synced.add(db);
  }
  return catalogue;
}
