import type { Kysely } from "kysely";
import type { Database } from "../platform/index.ts";
import { listRoadmapRows } from "./store.ts";

/**
 * The indicators a territory's dashboard leads with: those followed by the published roadmap of
 * the territory or, failing that, of its nearest ancestor (an académie shows its DANE's roadmap, a
 * département the académie's…), in the roadmap's order.
 */
export async function roadmapKeyIndicators(
  db: Kysely<Database>,
  nodes: readonly { level: string; code: string }[],
): Promise<{ roadmap: { id: string; slug: string; title: string }; codes: string[] } | null> {
  const published = (await listRoadmapRows(db)).filter((r) => r.status === "published");
  for (const node of nodes) {
    const roadmap = published.find((r) => r.territoryLevel === node.level && r.territoryCode === node.code);
    if (!roadmap) continue;
    const codes: string[] = [];
    collectIndicatorCodes(roadmap.document, codes);
    if (codes.length === 0) continue;
    return { roadmap: { id: roadmap.id, slug: roadmap.slug, title: roadmap.title }, codes };
  }
  return null;
}

/** Every `indicatorCode` of the ambitions' tree, in document order, without repeats. */
function collectIndicatorCodes(document: unknown, out: string[]): void {
  const ambitions = (document as { ambitions?: unknown[] } | null)?.ambitions ?? [];
  for (const ambition of ambitions as {
    targets?: { operationalFields?: { indicatorRefs?: { indicatorCode: string }[] }[] }[];
  }[]) {
    for (const target of ambition.targets ?? []) {
      for (const field of target.operationalFields ?? []) {
        for (const ref of field.indicatorRefs ?? [])
          if (!out.includes(ref.indicatorCode)) out.push(ref.indicatorCode);
      }
    }
  }
}
