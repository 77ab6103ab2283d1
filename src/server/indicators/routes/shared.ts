import type { Kysely } from "kysely";
import { z } from "zod";
import type { valuesQuery } from "../../../contracts/indicators.ts";
import type { Database } from "../../platform/index.ts";
import type { RoadmapLinks } from "../roadmap-links.ts";
import type { ValuesInput } from "../service.ts";

/** What every route file of the observatory needs, and the parameters they share. */

export interface IndicatorRouteDeps {
  db: Kysely<Database>;
  roadmaps: RoadmapLinks;
}

export const code = z.object({ code: z.string().max(80) });

export function valuesInput(q: z.output<typeof valuesQuery>): ValuesInput {
  return {
    // Already read by its schema (`territoryParam`); the service resolves it (resolveNodeKey).
    territory: q.territory,
    period: q.period,
    group: q.group,
    disaggregation: q.disaggregation,
    children: q.children,
  };
}
