import { type ExpressionBuilder, type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { AuditEventDto, AuditFilters, AuditPage, AuditQuery } from "../../../contracts/audit.ts";
import { auditActionLabel } from "../../../contracts/audit-labels.ts";
import { type Database, redactSecrets } from "../../platform/index.ts";
import { ACADEMIES, academyByCode, parseNodeKey } from "../../territories/index.ts";
import { type Principal, scopesWith } from "../permissions.ts";

/**
 * Read side of the audit log: search (JSON, paginated) and export (CSV, streamed in batches).
 *
 * Who sees what (`audit.read`, docs/identity.md): a holder on the nation sees every event; a
 * DRANE sees the events whose académie is in its région académique (and those recorded on the
 * région itself), a DANE those of its académie. Events without a territory (logins, settings) are
 * the national administrators' only: they say nothing about a steering role's territory.
 */

type Db = Kysely<Database>;

export type AuditVisibility =
  | { all: true }
  | { all: false; academies: readonly string[]; academicRegions: readonly string[] };

/** What the principal may read in the log; null when nothing (no `audit.read`). */
export function auditVisibility(principal: Principal | null): AuditVisibility | null {
  const scopes = scopesWith(principal, "audit.read");
  if (scopes.length === 0) return null;
  const academies = new Set<string>();
  const academicRegions = new Set<string>();
  for (const scope of scopes) {
    if (scope.kind !== "territory") continue;
    if (scope.level === "nation") return { all: true };
    if (scope.level === "academicRegion") {
      academicRegions.add(scope.code);
      for (const a of ACADEMIES) if (a.academicRegionCode === scope.code) academies.add(a.code);
    } else if (scope.level === "academy" && academyByCode.has(scope.code)) {
      academies.add(scope.code);
    }
    // Lower levels do not hold `audit.read` in the permission table: nothing to add.
  }
  return { all: false, academies: [...academies], academicRegions: [...academicRegions] };
}

type AuditEb = ExpressionBuilder<Database, "audit_event">;

/** The events of these académies, or recorded on these régions académiques. */
function inTerritories(eb: AuditEb, academies: readonly string[], academicRegions: readonly string[]) {
  const parts = [];
  if (academies.length > 0) parts.push(eb("academy_code", "in", [...academies]));
  if (academicRegions.length > 0) {
    parts.push(
      eb.and([
        eb("territory_level", "=", "academicRegion"),
        eb("territory_code", "in", [...academicRegions]),
      ]),
    );
  }
  // `false` written as a comparison that is never true: no territory, no event.
  return parts.length > 0 ? eb.or(parts) : eb.lit(false);
}

/** `%` and `_` typed by a person are literal characters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function applyFilters<O>(
  qb: SelectQueryBuilder<Database, "audit_event", O>,
  visibility: AuditVisibility,
  filters: Omit<AuditFilters, "sort" | "order">,
): SelectQueryBuilder<Database, "audit_event", O> {
  let q = qb;
  if (!visibility.all) {
    const { academies, academicRegions } = visibility;
    q = q.where((eb) => inTerritories(eb, academies, academicRegions));
  }
  if (filters.actor) q = q.where("actor_label", "ilike", likePattern(filters.actor));
  if (filters.action) q = q.where("action", "like", `${filters.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filters.entityType) q = q.where("entity_type", "=", filters.entityType);
  // Days are French days: an event at 00:30 in Paris belongs to that day, not the previous one (UTC).
  if (filters.from) {
    q = q.where(
      "occurred_at",
      ">=",
      sql<Date>`(${filters.from}::date::timestamp at time zone 'Europe/Paris')`,
    );
  }
  if (filters.to) {
    q = q.where(
      "occurred_at",
      "<",
      sql<Date>`((${filters.to}::date + 1)::timestamp at time zone 'Europe/Paris')`,
    );
  }
  // The nation (`FR` or `nation:FR`, one node) filters nothing.
  if (filters.territory && parseNodeKey(filters.territory)?.level !== "nation") {
    const colon = filters.territory.indexOf(":");
    const level = filters.territory.slice(0, colon);
    const code = filters.territory.slice(colon + 1);
    if (level === "academicRegion") {
      const academies = ACADEMIES.filter((a) => a.academicRegionCode === code).map((a) => a.code);
      q = q.where((eb) => inTerritories(eb, academies, [code]));
    } else if (level === "academy") {
      q = q.where("academy_code", "=", code);
    } else {
      q = q.where("territory_level", "=", level).where("territory_code", "=", code);
    }
  }
  return q;
}

const SORT_COLUMNS = {
  date: "occurred_at",
  actor: "actor_label",
  action: "action",
  entityType: "entity_type",
} as const;

const COLUMNS = [
  "id",
  "occurred_at",
  "actor_user_id",
  "actor_label",
  "action",
  "entity_type",
  "entity_id",
  "territory_level",
  "territory_code",
  "academy_code",
  "summary",
  "source",
  "source_ref",
  "request_id",
  "ip",
] as const;

type AuditRow = {
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  territory_level: string | null;
  territory_code: string | null;
  academy_code: string | null;
  summary: unknown;
  source: AuditEventDto["source"];
  source_ref: string | null;
  request_id: string | null;
  ip: string | null;
};

function summaryObject(value: unknown): Record<string, unknown> {
  const parsed = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  return parsed && typeof parsed === "object" && !Array.isArray(parsed)
    ? (redactSecrets(parsed as Record<string, unknown>) as Record<string, unknown>)
    : {};
}

export function toAuditDto(row: AuditRow, visibility: AuditVisibility): AuditEventDto {
  return {
    id: String(row.id),
    occurredAt: row.occurred_at.toISOString(),
    actorUserId: row.actor_user_id === null ? null : String(row.actor_user_id),
    actorLabel: row.actor_label,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    territoryLevel: row.territory_level,
    territoryCode: row.territory_code,
    academyCode: row.academy_code,
    summary: summaryObject(row.summary),
    source: row.source,
    sourceRef: row.source_ref,
    requestId: row.request_id,
    // Where someone connected from is for security investigations, at the national level only.
    ip: visibility.all ? row.ip : null,
  };
}

export async function searchAuditEvents(
  db: Db,
  visibility: AuditVisibility,
  query: AuditQuery,
): Promise<AuditPage> {
  const base = applyFilters(db.selectFrom("audit_event"), visibility, query);
  const direction = query.order;
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    base
      .select(COLUMNS)
      .orderBy(SORT_COLUMNS[query.sort], direction)
      .orderBy("id", direction)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
  ]);
  return {
    items: rows.map((row) => toAuditDto(row, visibility)),
    total: Number(count.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** Stable machine names of the CSV columns (docs/identity.md gives their French meaning). */
export const AUDIT_CSV_COLUMNS = [
  "id",
  "occurred_at",
  "actor_user_id",
  "actor_label",
  "action",
  "action_label",
  "entity_type",
  "entity_id",
  "territory_level",
  "territory_code",
  "academy_code",
  "source",
  "source_ref",
  "request_id",
  "ip",
  "summary",
] as const;

export function auditCsvRow(event: AuditEventDto): unknown[] {
  return [
    event.id,
    event.occurredAt,
    event.actorUserId,
    event.actorLabel,
    event.action,
    auditActionLabel(event.action),
    event.entityType,
    event.entityId,
    event.territoryLevel,
    event.territoryCode,
    event.academyCode,
    event.source,
    event.sourceRef,
    event.requestId,
    event.ip,
    Object.keys(event.summary).length > 0 ? JSON.stringify(event.summary) : "",
  ];
}

/**
 * Every matching event, in the order asked for the date (newest first by default), read in
 * batches by keyset on (occurred_at, id): memory stays flat whatever the size of the log, and
 * events written during the export do not shift the batches.
 */
export async function* iterateAuditEvents(
  db: Db,
  visibility: AuditVisibility,
  filters: AuditFilters,
  batchSize = 1000,
): AsyncGenerator<AuditEventDto> {
  const descending = filters.order !== "asc";
  // The cursor keeps the time as PostgreSQL's text: a JavaScript Date would lose the microseconds.
  let after: { at: string; id: string } | null = null;
  for (;;) {
    let q = applyFilters(db.selectFrom("audit_event"), visibility, filters)
      .select(COLUMNS)
      .select(sql<string>`occurred_at::text`.as("cursor_at"));
    if (after) {
      const { at, id } = after;
      q = descending
        ? q.where(sql<boolean>`(occurred_at, id) < (${at}::timestamptz, ${id}::bigint)`)
        : q.where(sql<boolean>`(occurred_at, id) > (${at}::timestamptz, ${id}::bigint)`);
    }
    const direction = descending ? "desc" : "asc";
    const rows = await q
      .orderBy("occurred_at", direction)
      .orderBy("id", direction)
      .limit(batchSize)
      .execute();
    for (const row of rows) yield toAuditDto(row, visibility);
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    after = { at: last.cursor_at, id: String(last.id) };
  }
}
