import type { Kysely } from "kysely";
import type { IndicatorObjective } from "../../contracts/indicators.ts";
import type { RoadmapDocument } from "../../contracts/roadmaps.ts";
import type { Database } from "../platform/index.ts";
import { evaluateObjective, placedObjectives, seriesRequestOf } from "./evaluation.ts";
import { readSeries } from "./indicator-values.ts";
import { listRoadmapRows } from "./store.ts";

/**
 * The objectives set on one indicator for one territory by the published roadmaps, with their
 * status: what the indicator page shows next to the value.
 */
export async function objectivesForIndicator(
  db: Kysely<Database>,
  indicatorCode: string,
  node: { level: string; code: string },
  seesRestricted: boolean,
): Promise<IndicatorObjective[]> {
  const out: IndicatorObjective[] = [];
  for (const row of await listRoadmapRows(db)) {
    if (row.status !== "published") continue;
    // Documents are validated when written (documents.ts): read back as they were stored.
    for (const placed of placedObjectives(row.document as RoadmapDocument)) {
      const o = placed.objective;
      if (o.indicatorCode !== indicatorCode) continue;
      if (o.territory.level !== node.level || o.territory.code !== node.code) continue;
      const request = seriesRequestOf(o);
      const series = (await readSeries(db, [request])).get(request.key) ?? [];
      const { point: _point, ...evaluation } = evaluateObjective(o, series, seesRestricted);
      out.push({
        roadmap: { id: row.id, slug: row.slug, title: row.title },
        objectiveId: o.id,
        label: placed.indicatorRef.label,
        disaggregation: request.disaggregation,
        comparator: o.comparator,
        note: o.note ?? null,
        evaluation,
      });
    }
  }
  return out;
}
