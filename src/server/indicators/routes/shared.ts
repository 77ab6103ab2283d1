import type { Kysely } from "kysely";
import { z } from "zod";
import { parseNodeKey, type valuesQuery } from "../../../contracts/indicators.ts";
import type { Database } from "../../platform/index.ts";
import type { RoadmapLinks } from "../roadmap-links.ts";
import { ObservatoryError, type ValuesInput } from "../service.ts";

/** What every route file of the observatory needs, and the parameters they share. */

export interface IndicatorRouteDeps {
  db: Kysely<Database>;
  roadmaps: RoadmapLinks;
}

export const code = z.object({ code: z.string().max(80) });

export function territoryOf(raw: string) {
  const key = parseNodeKey(raw);
  if (!key)
    throw new ObservatoryError(
      400,
      `Paramètre « territory » invalide : « ${raw} » (attendu niveau:code, ex. academy:16).`,
    );
  return key;
}

export function valuesInput(q: z.output<typeof valuesQuery>): ValuesInput {
  return {
    territory: territoryOf(q.territory),
    period: q.period,
    group: q.group,
    disaggregation: q.disaggregation,
    children: q.children,
  };
}
