import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../platform/index.ts";

/** SQL of the roadmaps module: the `roadmap` and `roadmap_checkpoint` tables (migration 0006). */

type Db = Kysely<Database> | Transaction<Database>;

export interface RoadmapRow {
  id: string;
  slug: string;
  title: string;
  territoryLevel: string;
  territoryCode: string;
  academyCode: string | null;
  periodFrom: string;
  periodTo: string;
  status: "draft" | "published";
  templateId: string | null;
  document: unknown;
  version: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CheckpointRow {
  id: string;
  roadmapId: string;
  date: string;
  title: string;
  comment: string | null;
  values: unknown;
  createdAt: Date;
}

/** jsonb comes back parsed from pg and PGlite alike; a string only if a driver left it as text. */
function json(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

function selectRoadmap(db: Db) {
  return db
    .selectFrom("roadmap")
    .select([
      "id",
      "slug",
      "title",
      "territory_level as territoryLevel",
      "territory_code as territoryCode",
      "academy_code as academyCode",
      "period_from as periodFrom",
      "period_to as periodTo",
      "status",
      "template_id as templateId",
      "document",
      "version",
      "created_by as createdBy",
      "created_at as createdAt",
      "updated_at as updatedAt",
    ]);
}

function toRow(
  r: Omit<RoadmapRow, "id" | "version"> & { id: string | number; version: number | string },
): RoadmapRow {
  return { ...r, id: String(r.id), version: Number(r.version), document: json(r.document) };
}

/** By numeric id or by slug. */
export async function findRoadmap(db: Db, idOrSlug: string): Promise<RoadmapRow | undefined> {
  const query = selectRoadmap(db);
  const row = /^\d{1,18}$/.test(idOrSlug)
    ? await query.where("id", "=", idOrSlug).executeTakeFirst()
    : await query.where("slug", "=", idOrSlug).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

export async function listRoadmapRows(db: Db): Promise<RoadmapRow[]> {
  const rows = await selectRoadmap(db).orderBy("title").orderBy("id").execute();
  return rows.map(toRow);
}

export async function slugExists(db: Db, slug: string): Promise<boolean> {
  return (
    (await db.selectFrom("roadmap").select("id").where("slug", "=", slug).executeTakeFirst()) !== undefined
  );
}

export interface NewRoadmap {
  slug: string;
  title: string;
  territoryLevel: string;
  territoryCode: string;
  academyCode: string | null;
  periodFrom: string;
  periodTo: string;
  templateId: string | null;
  document: unknown;
  createdBy: string | null;
}

export async function insertRoadmap(db: Db, r: NewRoadmap): Promise<string> {
  const { id } = await db
    .insertInto("roadmap")
    .values({
      slug: r.slug,
      title: r.title,
      territory_level: r.territoryLevel,
      territory_code: r.territoryCode,
      academy_code: r.academyCode,
      period_from: r.periodFrom,
      period_to: r.periodTo,
      template_id: r.templateId,
      document: JSON.stringify(r.document),
      created_by: r.createdBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(id);
}

/**
 * Writes a new document when the stored version is still `expectedVersion` (optimistic
 * concurrency); returns the new version, or null when someone saved in between.
 */
export async function updateRoadmapDocument(
  db: Db,
  id: string,
  expectedVersion: number,
  r: Pick<
    NewRoadmap,
    "title" | "territoryLevel" | "territoryCode" | "academyCode" | "periodFrom" | "periodTo" | "document"
  >,
): Promise<number | null> {
  const row = await db
    .updateTable("roadmap")
    .set({
      title: r.title,
      territory_level: r.territoryLevel,
      territory_code: r.territoryCode,
      academy_code: r.academyCode,
      period_from: r.periodFrom,
      period_to: r.periodTo,
      document: JSON.stringify(r.document),
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .returning("version")
    .executeTakeFirst();
  return row ? Number(row.version) : null;
}

export async function setRoadmapStatus(db: Db, id: string, status: "draft" | "published"): Promise<number> {
  const row = await db
    .updateTable("roadmap")
    .set({ status, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where("id", "=", id)
    .returning("version")
    .executeTakeFirstOrThrow();
  return Number(row.version);
}

export async function deleteRoadmapRow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom("roadmap").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertCheckpoint(
  db: Db,
  c: {
    roadmapId: string;
    date: string;
    title: string;
    comment: string | null;
    values: unknown;
    createdBy: string | null;
  },
): Promise<string> {
  const { id } = await db
    .insertInto("roadmap_checkpoint")
    .values({
      roadmap_id: c.roadmapId,
      date: c.date,
      title: c.title,
      comment: c.comment,
      values: JSON.stringify(c.values),
      created_by: c.createdBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(id);
}

export async function listCheckpointRows(db: Db, roadmapId: string): Promise<CheckpointRow[]> {
  const rows = await db
    .selectFrom("roadmap_checkpoint")
    .select([
      "id",
      "roadmap_id as roadmapId",
      sql<string>`to_char(date, 'YYYY-MM-DD')`.as("date"),
      "title",
      "comment",
      "values",
      "created_at as createdAt",
    ])
    .where("roadmap_id", "=", roadmapId)
    .orderBy("date")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    ...r,
    id: String(r.id),
    roadmapId: String(r.roadmapId),
    values: json(r.values),
  }));
}
