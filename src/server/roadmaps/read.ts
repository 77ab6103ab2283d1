import type { Kysely } from "kysely";
import { stringify } from "yaml";
import type { RoadmapDocument, RoadmapTemplate } from "../../contracts/roadmaps.ts";
import type {
  RoadmapDetail,
  RoadmapList,
  RoadmapSummary,
  TemplateDetail,
  TemplateSummary,
} from "../../contracts/roadmaps-api.ts";
import { formatScope, type Principal, scopesWith } from "../identity/index.ts";
import type { Database } from "../platform/index.ts";
import { NATION_KEY } from "../territories/index.ts";
import { evaluate, inScope, mayManage, type Viewer, visibleRoadmap } from "./access.ts";
import { checkpointsFor } from "./checkpoints.ts";
import { countObjectives } from "./documents.ts";
import { RoadmapError } from "./errors.ts";
import { roadmapLibrary } from "./library.ts";
import { listRoadmapRows, type RoadmapRow } from "./store.ts";
import { indexFor, pathOf } from "./territory.ts";

/** Reading roadmaps and templates: the list, one roadmap with its statuses, its YAML export. */

type Db = Kysely<Database>;

function summaryOf(row: RoadmapRow): RoadmapSummary {
  const document = row.document as RoadmapDocument;
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    status: row.status,
    territory: document.territory,
    period: document.period,
    templateId: row.templateId,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    ambitions: document.ambitions.length,
    objectives: countObjectives(document),
  };
}

function templateSummaryOf(template: RoadmapTemplate): TemplateSummary {
  return {
    id: template.id,
    title: template.title,
    shortTitle: template.shortTitle,
    authority: template.authority,
    territory: template.territory,
    period: template.period,
    seed: template.sourceDocument.seed,
    ambitions: template.ambitions.length,
    objectives: countObjectives(template),
  };
}

/** Published roadmaps, the drafts of the reader's territories, the templates. */
export async function listRoadmaps(db: Db, principal: Principal | null | "cli"): Promise<RoadmapList> {
  const rows = await listRoadmapRows(db);
  const { templates } = await roadmapLibrary();
  let visible = rows;
  if (principal !== "cli") {
    const index = await indexFor(
      db,
      rows.map((r) => ({ level: r.territoryLevel, code: r.territoryCode })),
    );
    visible = rows.filter(
      (r) =>
        r.status === "published" ||
        inScope(principal, pathOf(index, { level: r.territoryLevel, code: r.territoryCode })),
    );
  }
  return {
    roadmaps: visible.map(summaryOf),
    templates: templates.map(templateSummaryOf),
    manageableScopes:
      principal === "cli" ? [NATION_KEY] : scopesWith(principal, "roadmaps.manage").map(formatScope),
  };
}

export async function getRoadmap(
  db: Db,
  principal: Principal | null | "cli",
  idOrSlug: string,
): Promise<RoadmapDetail> {
  const { row, path } = await visibleRoadmap(db, principal, idOrSlug);
  const document = row.document as RoadmapDocument;
  const { evaluation } = await evaluate(db, document, principal);
  return {
    ...summaryOf(row),
    createdAt: row.createdAt.toISOString(),
    canEdit: principal === "cli" || mayManage(principal, path),
    document,
    evaluation,
    checkpoints: await checkpointsFor(db, principal, row.id),
  };
}

export async function getTemplate(db: Db, viewer: Viewer, templateId: string): Promise<TemplateDetail> {
  const { templates } = await roadmapLibrary();
  const template = templates.find((t) => t.id === templateId);
  if (!template)
    throw new RoadmapError(404, "not_found", `Modèle de feuille de route « ${templateId} » introuvable.`);
  const { evaluation } = await evaluate(db, template, viewer);
  return { ...templateSummaryOf(template), document: template, evaluation };
}

/** The roadmap in YAML (the stored document; reading it back with importRoadmap gives the same). */
export async function exportRoadmap(
  db: Db,
  principal: Principal | null | "cli",
  idOrSlug: string,
): Promise<{ slug: string; yaml: string }> {
  const { row } = await visibleRoadmap(db, principal, idOrSlug);
  const header = `# Feuille de route « ${row.title} » exportée de Vigie (${row.slug}, version ${row.version}).\n# Format : docs/roadmaps.md ; réimport : vigie roadmap import <fichier>.\n`;
  return { slug: row.slug, yaml: header + stringify(row.document, { lineWidth: 0 }) };
}
