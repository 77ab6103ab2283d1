import type { Kysely } from "kysely";
import type { RoadmapDocument } from "../../contracts/roadmaps.ts";
import type { RoadmapDetail } from "../../contracts/roadmaps-api.ts";
import type { TerritoryRef } from "../../contracts/territories.ts";
import { type Database, recordAudit } from "../platform/index.ts";
import { LEVEL_LABELS } from "../territories/index.ts";
import { createdBy, requireManage, type Writer, writableRoadmap } from "./access.ts";
import { blankDocument, countObjectives, retarget, uniqueSlug, validDocument } from "./documents.ts";
import { RoadmapError } from "./errors.ts";
import { roadmapLibrary } from "./library.ts";
import { getRoadmap } from "./read.ts";
import { deleteRoadmapRow, insertRoadmap, setRoadmapStatus, updateRoadmapDocument } from "./store.ts";
import {
  auditTerritory,
  indexFor,
  pathOf,
  resolveTerritory,
  sameTerritory,
  territoryText,
} from "./territory.ts";

/**
 * Writing roadmaps: create (blank or from a template), YAML import, update with optimistic
 * concurrency, publish, unpublish, delete. Every write is audited; writes need `roadmaps.manage`
 * on the roadmap's territory.
 */

type Db = Kysely<Database>;

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
