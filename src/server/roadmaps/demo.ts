import type { Kysely } from "kysely";
import { DEMO_TERRITORY } from "../../contracts/demo.ts";
import type { RoadmapDetail } from "../../contracts/roadmaps-api.ts";
import { type Database, SYSTEM_ACTOR } from "../platform/index.ts";
import { nodeKey } from "../territories/index.ts";
import { createRoadmap, publishRoadmap } from "./write.ts";

/**
 * The demo's roadmap: the Nouvelle-Aquitaine template (the demo territory's région académique),
 * created and published so that its objectives show on the dashboards from the first start.
 * Kept here rather than in the observatory demo: indicators must not depend on roadmaps.
 */
export const DEMO_ROADMAP_TEMPLATE = "nouvelle-aquitaine-drane-2021";
export const DEMO_ROADMAP_TERRITORY = nodeKey(DEMO_TERRITORY);

/** Creates and publishes the demo roadmap when no roadmap is stored yet; audited as « système ». */
export async function publishDemoRoadmapIfEmpty(
  db: Kysely<Database>,
  log?: (message: string) => void,
): Promise<RoadmapDetail | undefined> {
  const any = await db.selectFrom("roadmap").select("id").limit(1).executeTakeFirst();
  if (any) return undefined;
  const writer = { principal: "cli" as const, actor: SYSTEM_ACTOR };
  const draft = await createRoadmap(db, writer, {
    territory: DEMO_ROADMAP_TERRITORY,
    templateId: DEMO_ROADMAP_TEMPLATE,
  });
  const published = await publishRoadmap(db, writer, draft.id);
  log?.(`Feuille de route de démonstration publiée : « ${published.title} ».`);
  return published;
}
