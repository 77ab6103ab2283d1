import type { Kysely } from "kysely";
import type { IndicatorObjective } from "../../contracts/indicators.ts";
import type { Database } from "../platform/index.ts";

type Db = Kysely<Database>;

/**
 * What the indicator pages show of the roadmaps, a module above indicators: asked through this
 * interface, implemented by roadmaps and wired in app.ts, so that indicators never imports it.
 */
export interface RoadmapLinks {
  /** The objectives the published roadmaps set on one indicator for one territory, with their status. */
  objectivesFor(
    db: Db,
    indicatorCode: string,
    node: { level: string; code: string },
    seesRestricted: boolean,
  ): Promise<IndicatorObjective[]>;
  /**
   * The indicators a territory's dashboard leads with: those of the published roadmap of the first
   * of `nodes` (the territory, then its ancestors) that has one; null when none has.
   */
  keyIndicatorsOf(
    db: Db,
    nodes: readonly { level: string; code: string }[],
  ): Promise<{ roadmap: { id: string; slug: string; title: string }; codes: string[] } | null>;
}

/** No roadmap module: no objective, the catalogue's headline indicators. */
export const NO_ROADMAPS: RoadmapLinks = {
  objectivesFor: async () => [],
  keyIndicatorsOf: async () => null,
};
