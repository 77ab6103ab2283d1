import type { Kysely } from "kysely";
import { stringify } from "yaml";
import { disaggregationLabel } from "../../contracts/disaggregation-labels.ts";
import type {
  IndicatorCatalogue,
  Objective,
  RoadmapDocument,
  RoadmapTemplate,
} from "../../contracts/roadmaps.ts";
import type {
  CheckpointValue,
  RoadmapCheckpointDto,
  RoadmapDetail,
  RoadmapList,
  RoadmapSummary,
  TemplateDetail,
  TemplateSummary,
} from "../../contracts/roadmaps-api.ts";
import type { TerritoryLevel, TerritoryRef } from "../../contracts/territories.ts";
import {
  can,
  formatScope,
  loadTerritoryIndex,
  type Principal,
  parseScope,
  type Scope,
  scopeContainsPath,
  scopesWith,
  type TerritoryIndex,
  type TerritoryPath,
} from "../identity/index.ts";
import { type Actor, AppError, type Database, recordAudit } from "../platform/index.ts";
import { LEVEL_LABELS, NATION_KEY, nodeKey, resolveNode } from "../territories/index.ts";
import { evaluateRoadmap, placedObjectives, seriesRequestOf } from "./evaluation.ts";
import { readSeries } from "./indicator-values.ts";
import {
  deleteRoadmapRow,
  findRoadmap,
  insertCheckpoint,
  insertRoadmap,
  listCheckpointRows,
  listRoadmapRows,
  type RoadmapRow,
  setRoadmapStatus,
  slugExists,
  updateRoadmapDocument,
} from "./store.ts";
import {
  loadIndicatorCatalogue,
  loadRoadmapTemplates,
  parseRoadmapDocument,
  TemplateError,
  TemplateErrors,
  validateRoadmapDocument,
} from "./templates.ts";

/**
 * Use cases of the roadmaps module (docs/roadmaps.md): list, read with statuses, create (blank or
 * from a template), update with optimistic concurrency, publish, delete, YAML import and export,
 * checkpoints. Every write is audited; writes need `roadmaps.manage` on the roadmap's territory.
 */

type Db = Kysely<Database>;

/** A refusal with its HTTP status, a French message and, for an invalid document, its problems. */
export class RoadmapError extends AppError {
  declare readonly status: 400 | 403 | 404 | 409;
  declare readonly details: string[];

  constructor(status: 400 | 403 | 404 | 409, code: string, message: string, details: string[] = []) {
    super(status, code, message, { details });
    this.name = "RoadmapError";
  }
}

// ---------------------------------------------------------------------------------------------
// Templates and catalogue (files of data/templates, read once)

interface Library {
  catalogue: IndicatorCatalogue;
  templates: RoadmapTemplate[];
}
let library: Promise<Library> | undefined;

export function roadmapLibrary(): Promise<Library> {
  library ??= (async () => {
    const catalogue = await loadIndicatorCatalogue();
    return { catalogue, templates: await loadRoadmapTemplates({ catalogue }) };
  })();
  library.catch(() => {
    library = undefined;
  });
  return library;
}

// ---------------------------------------------------------------------------------------------
// Territories

/** `academy:04`, `FR`… → the territory with its name, or a French error. Schools are refused. */
export async function resolveTerritory(
  db: Db,
  text: string,
): Promise<TerritoryRef & { academyCode: string | null }> {
  const parsed = parseScope("reader", text);
  if (!parsed.ok) throw new RoadmapError(400, "invalid_territory", parsed.error);
  const scope = parsed.scope;
  if (scope.kind !== "territory" || scope.level === "school")
    throw new RoadmapError(
      400,
      "invalid_territory",
      `Une feuille de route porte sur la nation, une région académique, une académie, un département ou un district, pas sur « ${text} »`,
    );
  const level = scope.level as TerritoryLevel;
  // The tree of the territories module names the node (a district is looked up in the base).
  const node = await resolveNode(db, { level, code: scope.code });
  if (!node) throw new RoadmapError(400, "invalid_territory", `District « ${scope.code} » inconnu`);
  return { level, code: node.ref.code, name: node.ref.name, academyCode: node.academyCode };
}

/** The territory's key, as written in a document and read by `parseScope` (`nation:FR`, `academy:04`). */
function territoryText(t: { level: TerritoryLevel; code: string }): string {
  return nodeKey(t);
}

function territoryScope(t: { level: string; code: string }): Scope {
  return { kind: "territory", level: t.level as TerritoryLevel, code: t.code };
}

/** The nodes of a document's territory and objectives, indexed (districts loaded from the database). */
async function indexFor(db: Db, nodes: readonly { level: string; code: string }[]): Promise<TerritoryIndex> {
  return loadTerritoryIndex(
    db,
    nodes.map((n) => ({ level: n.level as TerritoryLevel, code: n.code })),
  );
}

function pathOf(index: TerritoryIndex, t: { level: string; code: string }): TerritoryPath | undefined {
  return index.pathOf({ level: t.level as TerritoryLevel, code: t.code });
}

/** Does the user hold a role whose scope contains the territory (drafts are visible to them)? */
function inScope(principal: Principal | null, path: TerritoryPath | undefined): boolean {
  if (!principal || !path) return false;
  return principal.roles.some((g) => g.scope.kind === "territory" && scopeContainsPath(g.scope, path));
}

function mayManage(principal: Principal | null, path: TerritoryPath | undefined): boolean {
  return path !== undefined && can(principal, "roadmaps.manage", { kind: "territory", path });
}

function requireManage(principal: Principal | null | "cli", path: TerritoryPath | undefined, what: string) {
  if (principal === "cli") return;
  if (!principal)
    throw new RoadmapError(403, "forbidden", "Connectez-vous pour modifier une feuille de route.");
  if (!mayManage(principal, path))
    throw new RoadmapError(
      403,
      "forbidden",
      `Le territoire ${what} est hors de votre périmètre : vos rôles ne permettent pas d'y gérer des feuilles de route.`,
    );
}

// ---------------------------------------------------------------------------------------------
// Documents

/** Checks that go beyond the schema: known territories, every objective inside the roadmap's territory. */
async function checkTerritories(db: Db, document: RoadmapDocument, file: string): Promise<TerritoryIndex> {
  const placed = placedObjectives(document);
  const index = await indexFor(db, [document.territory, ...placed.map((p) => p.objective.territory)]);
  const errors: TemplateError[] = [];
  const root = pathOf(index, document.territory);
  if (!root)
    errors.push(
      new TemplateError(file, "territory", `territoire « ${territoryText(document.territory)} » inconnu`),
    );
  for (const [ai, ambition] of document.ambitions.entries())
    for (const [ti, target] of ambition.targets.entries())
      for (const [fi, field] of target.operationalFields.entries())
        for (const [ii, ref] of field.indicatorRefs.entries())
          for (const [oi, objective] of ref.objectives.entries()) {
            const at = `ambitions[${ai}].targets[${ti}].operationalFields[${fi}].indicatorRefs[${ii}].objectives[${oi}].territory`;
            const path = pathOf(index, objective.territory);
            if (!path)
              errors.push(
                new TemplateError(file, at, `territoire « ${territoryText(objective.territory)} » inconnu`),
              );
            else if (root && !scopeContainsPath(territoryScope(document.territory), path))
              errors.push(
                new TemplateError(
                  file,
                  at,
                  `territoire « ${territoryText(objective.territory)} » hors du territoire de la feuille de route (« ${territoryText(document.territory)} »)`,
                ),
              );
          }
  if (errors.length > 0) throw new TemplateErrors(errors);
  return index;
}

function invalidDocument(error: TemplateErrors): RoadmapError {
  return new RoadmapError(
    400,
    "invalid_roadmap",
    `Feuille de route invalide : ${error.errors.map((e) => e.message).join(" ; ")}`,
    error.errors.map((e) => e.message),
  );
}

/** Validates (schema, catalogue, territories) and turns every problem into one 400 RoadmapError. */
async function validDocument(
  db: Db,
  data: unknown,
  file: string,
  yamlText = false,
): Promise<RoadmapDocument> {
  const { catalogue } = await roadmapLibrary();
  try {
    const document =
      yamlText && typeof data === "string"
        ? parseRoadmapDocument(data, file, catalogue)
        : validateRoadmapDocument(data, file, catalogue);
    await checkTerritories(db, document, file);
    return document;
  } catch (err) {
    if (err instanceof TemplateErrors) throw invalidDocument(err);
    throw err;
  }
}

function sameTerritory(a: { level: string; code: string }, b: { level: string; code: string }) {
  return a.level === b.level && a.code === b.code;
}

/**
 * A template (or an imported roadmap) moved to another territory: objectives on the source
 * territory, or outside the new one, now bear on the new territory (duplicates for the same
 * indicator, period and disaggregation are dropped: « 3 000 par académie » becomes one objective);
 * objectives on a part of the new territory are kept.
 */
export async function retarget(
  db: Db,
  source: RoadmapDocument,
  territory: TerritoryRef,
  note: string,
): Promise<RoadmapDocument> {
  const document = structuredClone(source);
  const from = source.territory;
  document.territory = { level: territory.level, code: territory.code, name: territory.name };
  if (!sameTerritory(from, territory)) document.authority = territory.name;
  const index = await indexFor(db, [
    territory,
    ...placedObjectives(source).map((p) => p.objective.territory),
  ]);
  const newScope = territoryScope(territory);
  for (const ambition of document.ambitions)
    for (const target of ambition.targets)
      for (const field of target.operationalFields)
        for (const ref of field.indicatorRefs) {
          const seen = new Set<string>();
          const kept: Objective[] = [];
          for (const objective of ref.objectives) {
            const path = pathOf(index, objective.territory);
            const inside =
              !sameTerritory(objective.territory, from) && path && scopeContainsPath(newScope, path);
            if (!inside) objective.territory = { ...document.territory };
            const key = `${territoryText(objective.territory)}|${objective.year ?? ""}|${objective.schoolYear ?? ""}|${JSON.stringify(objective.disaggregation ?? {})}`;
            if (seen.has(key)) continue;
            seen.add(key);
            kept.push(objective);
          }
          ref.objectives = kept;
        }
  document.modellingNotes = [...document.modellingNotes, note];
  return document;
}

function slugify(text: string): string {
  const base = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return base === "" || /^\d+$/.test(base) ? `feuille-de-route-${base || "sans-titre"}` : base;
}

async function uniqueSlug(db: Db, text: string): Promise<string> {
  const base = slugify(text);
  let slug = base;
  for (let i = 2; await slugExists(db, slug); i++) slug = `${base}-${i}`;
  return slug;
}

function blankDocument(territory: TerritoryRef, title: string, year: number): RoadmapDocument {
  return {
    id: "feuille-de-route",
    title,
    shortTitle: title.slice(0, 80),
    authority: territory.name,
    territory: { level: territory.level, code: territory.code, name: territory.name },
    period: { from: String(year), to: String(year + 3), label: `${year}-${year + 3}` },
    summary: "À compléter : les ambitions, les cibles, les champs opérationnels et les objectifs chiffrés.",
    axes: [],
    ambitions: [
      {
        id: "ambition-1",
        title: "Première ambition (à renommer)",
        targets: [{ id: "cible-1", title: "Première cible (à renommer)", focus: [], operationalFields: [] }],
      },
    ],
    diagnostics: [],
    checkpoints: [],
    recommendations: [],
    modellingNotes: [],
  };
}

function countObjectives(document: RoadmapDocument): number {
  return placedObjectives(document).length;
}

function auditTerritory(row: { territoryLevel: string; territoryCode: string; academyCode: string | null }) {
  return { level: row.territoryLevel, code: row.territoryCode, academyCode: row.academyCode };
}

// ---------------------------------------------------------------------------------------------
// Reading

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

/** The roadmap if the reader may see it (published, or a draft of their territory); 404 otherwise. */
async function visibleRoadmap(db: Db, principal: Principal | null | "cli", idOrSlug: string) {
  const row = await findRoadmap(db, idOrSlug);
  const notFound = new RoadmapError(404, "not_found", `Feuille de route « ${idOrSlug} » introuvable.`);
  if (!row) throw notFound;
  const index = await indexFor(db, [{ level: row.territoryLevel, code: row.territoryCode }]);
  const path = pathOf(index, { level: row.territoryLevel, code: row.territoryCode });
  if (principal !== "cli" && row.status !== "published" && !inScope(principal, path)) throw notFound;
  return { row, path };
}

type Viewer = Principal | null | "cli";

/** May the viewer see figures under statistical confidentiality on this territory? */
function restrictedVisibility(viewer: Viewer, index: TerritoryIndex) {
  return (territory: { level: string; code: string }): boolean => {
    if (viewer === "cli") return true;
    const path = pathOf(index, territory);
    return path !== undefined && can(viewer, "indicators.restricted", { kind: "territory", path });
  };
}

async function evaluate(db: Db, document: RoadmapDocument, viewer: Viewer) {
  const placed = placedObjectives(document);
  const requests = placed.map((p) => seriesRequestOf(p.objective));
  const index = await indexFor(
    db,
    placed.map((p) => p.objective.territory),
  );
  const sees = restrictedVisibility(viewer, index);
  return evaluateRoadmap(document, await readSeries(db, requests), (o) => sees(o.territory));
}

/** Frozen figures under confidentiality are masked for viewers not entitled to them. */
async function checkpointsFor(db: Db, viewer: Viewer, roadmapId: string): Promise<RoadmapCheckpointDto[]> {
  const rows = (await listCheckpointRows(db, roadmapId)).map(checkpointDto);
  const territories = rows.flatMap((c) => c.values.map((v) => v.territory));
  const sees = restrictedVisibility(viewer, await indexFor(db, territories));
  return rows.map((c) => ({
    ...c,
    values: c.values.map((v) =>
      v.cellStatus === null || v.cellStatus === "published" || sees(v.territory)
        ? v
        : {
            ...v,
            value: null,
            numerator: null,
            denominator: null,
            status: "no_data" as const,
            statusLabel: "secret statistique",
          },
    ),
  }));
}

function checkpointDto(row: Awaited<ReturnType<typeof listCheckpointRows>>[number]): RoadmapCheckpointDto {
  return {
    id: row.id,
    date: row.date,
    title: row.title,
    comment: row.comment,
    values: row.values as CheckpointValue[],
    createdAt: row.createdAt.toISOString(),
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

export async function listCheckpoints(
  db: Db,
  principal: Principal | null | "cli",
  idOrSlug: string,
): Promise<RoadmapCheckpointDto[]> {
  const { row } = await visibleRoadmap(db, principal, idOrSlug);
  return checkpointsFor(db, principal, row.id);
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

// ---------------------------------------------------------------------------------------------
// Writing

type Writer = { principal: Principal | null | "cli"; actor: Actor };

function createdBy(actor: Actor): string | null {
  return actor.userId;
}

async function store(
  db: Db,
  writer: Writer,
  document: RoadmapDocument,
  territory: TerritoryRef & { academyCode: string | null },
  templateId: string | null,
  action: string,
  extra: Record<string, unknown>,
): Promise<string> {
  // Two creations with the same title at once: the second one takes the next free slug.
  for (let attempt = 0; ; attempt++) {
    const slug = await uniqueSlug(db, document.title);
    try {
      return await db.transaction().execute(async (trx) => {
        const id = await insertRoadmap(trx, {
          slug,
          title: document.title,
          territoryLevel: territory.level,
          territoryCode: territory.code,
          academyCode: territory.academyCode,
          periodFrom: document.period.from,
          periodTo: document.period.to,
          templateId,
          document,
          createdBy: createdBy(writer.actor),
        });
        await recordAudit(trx, writer.actor, {
          action,
          entityType: "roadmap",
          entityId: id,
          territory: { level: territory.level, code: territory.code, academyCode: territory.academyCode },
          summary: {
            slug,
            title: document.title,
            templateId,
            objectives: countObjectives(document),
            ...extra,
          },
        });
        return id;
      });
    } catch (err) {
      if ((err as { code?: string }).code !== "23505" || attempt >= 3) throw err;
    }
  }
}

/** A roadmap from a template, moved to `territory`, or a blank one. Draft. */
export async function createRoadmap(
  db: Db,
  writer: Writer,
  input: { territory: string; templateId?: string | undefined; title?: string | undefined },
): Promise<RoadmapDetail> {
  const territory = await resolveTerritory(db, input.territory);
  const index = await indexFor(db, [territory]);
  requireManage(writer.principal, pathOf(index, territory), `« ${territory.name} »`);
  let document: RoadmapDocument;
  if (input.templateId) {
    const { templates } = await roadmapLibrary();
    const template = templates.find((t) => t.id === input.templateId);
    if (!template)
      throw new RoadmapError(
        400,
        "unknown_template",
        `Modèle de feuille de route « ${input.templateId} » inconnu.`,
      );
    document = await retarget(
      db,
      template,
      territory,
      `Créée dans Vigie à partir du modèle « ${template.shortTitle} » (${template.id}), pour ${territory.level === "nation" ? "la" : LEVEL_LABELS[territory.level].noun} ${territory.name}.`,
    );
    if (input.title) document.title = input.title;
  } else {
    document = blankDocument(
      territory,
      input.title ?? `Feuille de route — ${territory.name}`,
      new Date().getFullYear(),
    );
  }
  document = await validDocument(db, document, "feuille de route");
  const id = await store(db, writer, document, territory, input.templateId ?? null, "roadmap.create", {});
  return getRoadmap(db, writer.principal, id);
}

/** Import of a YAML roadmap (nothing stored on any error); `territory` moves it like a template. */
export async function importRoadmap(
  db: Db,
  writer: Writer,
  input: { yaml: string; fileName: string; territory?: string | undefined },
): Promise<RoadmapDetail> {
  let document = await validDocument(db, input.yaml, input.fileName, true);
  let territory: TerritoryRef & { academyCode: string | null };
  if (input.territory) {
    territory = await resolveTerritory(db, input.territory);
    if (!sameTerritory(territory, document.territory)) {
      document = await retarget(
        db,
        document,
        territory,
        `Importée dans Vigie pour ${territory.name} depuis « ${input.fileName} ».`,
      );
      document = await validDocument(db, document, input.fileName);
    }
  } else {
    territory = await resolveTerritory(db, territoryText(document.territory));
  }
  document.territory = { level: territory.level, code: territory.code, name: document.territory.name };
  const index = await indexFor(db, [territory]);
  requireManage(writer.principal, pathOf(index, territory), `« ${territory.name} »`);
  const id = await store(db, writer, document, territory, null, "roadmap.import", { file: input.fileName });
  return getRoadmap(db, writer.principal, id);
}

async function writableRoadmap(db: Db, writer: Writer, idOrSlug: string) {
  const { row, path } = await visibleRoadmap(db, writer.principal, idOrSlug);
  requireManage(writer.principal, path, "de cette feuille de route");
  return row;
}

/** Replaces the document when `version` is still the stored one (409 otherwise). */
export async function updateRoadmap(
  db: Db,
  writer: Writer,
  idOrSlug: string,
  input: { version: number; document: unknown },
): Promise<RoadmapDetail> {
  const row = await writableRoadmap(db, writer, idOrSlug);
  if (row.version !== input.version) throw conflict(row.version);
  const document = await validDocument(db, input.document, "document");
  const territory = await resolveTerritory(db, territoryText(document.territory));
  if (!sameTerritory(territory, { level: row.territoryLevel, code: row.territoryCode })) {
    const index = await indexFor(db, [territory]);
    requireManage(writer.principal, pathOf(index, territory), `« ${territory.name} »`);
  }
  await db.transaction().execute(async (trx) => {
    const version = await updateRoadmapDocument(trx, row.id, input.version, {
      title: document.title,
      territoryLevel: territory.level,
      territoryCode: territory.code,
      academyCode: territory.academyCode,
      periodFrom: document.period.from,
      periodTo: document.period.to,
      document,
    });
    if (version === null) throw conflict(null);
    await recordAudit(trx, writer.actor, {
      action: "roadmap.update",
      entityType: "roadmap",
      entityId: row.id,
      territory: { level: territory.level, code: territory.code, academyCode: territory.academyCode },
      summary: { slug: row.slug, title: document.title, version, objectives: countObjectives(document) },
    });
  });
  return getRoadmap(db, writer.principal, row.id);
}

function conflict(current: number | null): RoadmapError {
  return new RoadmapError(
    409,
    "version_conflict",
    `Cette feuille de route a été modifiée entre-temps${current !== null ? ` (version ${current})` : ""} : rechargez-la, reportez vos changements puis enregistrez à nouveau.`,
  );
}

export function publishRoadmap(db: Db, writer: Writer, idOrSlug: string): Promise<RoadmapDetail> {
  return changeStatus(db, writer, idOrSlug, "published");
}

/** Back to draft: only people whose scope covers the territory see it again (audited like publish). */
export function unpublishRoadmap(db: Db, writer: Writer, idOrSlug: string): Promise<RoadmapDetail> {
  return changeStatus(db, writer, idOrSlug, "draft");
}

/** Publishing and unpublishing: nothing written (no audit row) when the status is already that one. */
async function changeStatus(
  db: Db,
  writer: Writer,
  idOrSlug: string,
  status: "draft" | "published",
): Promise<RoadmapDetail> {
  const row = await writableRoadmap(db, writer, idOrSlug);
  if (row.status !== status) {
    await db.transaction().execute(async (trx) => {
      const version = await setRoadmapStatus(trx, row.id, status);
      await recordAudit(trx, writer.actor, {
        action: status === "published" ? "roadmap.publish" : "roadmap.unpublish",
        entityType: "roadmap",
        entityId: row.id,
        territory: auditTerritory(row),
        summary: { slug: row.slug, title: row.title, version },
      });
    });
  }
  return getRoadmap(db, writer.principal, row.id);
}

export async function deleteRoadmap(db: Db, writer: Writer, idOrSlug: string): Promise<void> {
  const row = await writableRoadmap(db, writer, idOrSlug);
  await db.transaction().execute(async (trx) => {
    await deleteRoadmapRow(trx, row.id);
    await recordAudit(trx, writer.actor, {
      action: "roadmap.delete",
      entityType: "roadmap",
      entityId: row.id,
      territory: auditTerritory(row),
      summary: { slug: row.slug, title: row.title, status: row.status, version: row.version },
    });
  });
}

/** « Niveau moyen atteint (3e) »: the wording and the objective's breakdown. */
function labelOf(label: string, objective: Objective): string {
  const breakdown = disaggregationLabel(objective.disaggregation);
  return breakdown ? `${label} (${breakdown})` : label;
}

/** Paris date of today (`2026-11-27`). */
function today(): string {
  return new Intl.DateTimeFormat("fr-CA", { timeZone: "Europe/Paris" }).format(new Date());
}

/** Freezes the value and status of every objective now, with a date, a title and a comment. */
export async function addCheckpoint(
  db: Db,
  writer: Writer,
  idOrSlug: string,
  input: { date?: string | undefined; title: string; comment?: string | undefined },
): Promise<RoadmapCheckpointDto> {
  const row = await writableRoadmap(db, writer, idOrSlug);
  const date = input.date ?? today();
  if (
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  )
    throw new RoadmapError(400, "invalid_date", `Date « ${date} » invalide (AAAA-MM-JJ).`);
  const document = row.document as RoadmapDocument;
  // Frozen as the author sees them (their own scope); masked on reading for the others.
  const { results } = await evaluate(db, document, writer.principal);
  const values: CheckpointValue[] = placedObjectives(document).map(({ objective, indicatorRef }) => {
    const r = results.get(objective.id);
    return {
      objectiveId: objective.id,
      indicatorCode: objective.indicatorCode,
      label: labelOf(indicatorRef.label, objective),
      territory: objective.territory,
      unit: objective.unit,
      period: r?.point?.period ?? null,
      value: r?.point?.value ?? null,
      numerator: r?.point?.numerator ?? null,
      denominator: r?.point?.denominator ?? null,
      coverage: r?.point?.coverage ?? null,
      cellStatus: r?.point?.status ?? null,
      targetValue: r?.targetValue ?? null,
      targetYear: r?.targetYear ?? 0,
      status: r?.status ?? "no_data",
      statusLabel: r?.statusLabel ?? "sans donnée",
    };
  });
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const id = await db.transaction().execute(async (trx) => {
    const checkpointId = await insertCheckpoint(trx, {
      roadmapId: row.id,
      date,
      title: input.title,
      comment,
      values,
      createdBy: createdBy(writer.actor),
    });
    await recordAudit(trx, writer.actor, {
      action: "roadmap.checkpoint",
      entityType: "roadmap",
      entityId: row.id,
      territory: auditTerritory(row),
      summary: { slug: row.slug, checkpointId, date, title: input.title, values: values.length },
    });
    return checkpointId;
  });
  const created = (await checkpointsFor(db, writer.principal, row.id)).find((c) => c.id === id);
  if (!created) throw new Error("point d'étape introuvable après son écriture");
  return created;
}
