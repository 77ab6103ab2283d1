import type { Kysely } from "kysely";
import { disaggregationLabel } from "../../contracts/disaggregation-labels.ts";
import type { Objective, RoadmapDocument } from "../../contracts/roadmaps.ts";
import type { CheckpointValue, RoadmapCheckpointDto } from "../../contracts/roadmaps-api.ts";
import type { Principal } from "../identity/index.ts";
import { type Database, recordAudit } from "../platform/index.ts";
import {
  createdBy,
  evaluate,
  restrictedVisibility,
  type Viewer,
  visibleRoadmap,
  type Writer,
  writableRoadmap,
} from "./access.ts";
import { RoadmapError } from "./errors.ts";
import { placedObjectives } from "./evaluation.ts";
import { insertCheckpoint, listCheckpointRows } from "./store.ts";
import { auditTerritory, indexFor } from "./territory.ts";

/** Checkpoints: the value and status of every objective frozen at a date, masked on reading. */

type Db = Kysely<Database>;

/** Frozen figures under confidentiality are masked for viewers not entitled to them. */
export async function checkpointsFor(
  db: Db,
  viewer: Viewer,
  roadmapId: string,
): Promise<RoadmapCheckpointDto[]> {
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

export async function listCheckpoints(
  db: Db,
  principal: Principal | null | "cli",
  idOrSlug: string,
): Promise<RoadmapCheckpointDto[]> {
  const { row } = await visibleRoadmap(db, principal, idOrSlug);
  return checkpointsFor(db, principal, row.id);
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
