import { type Kysely, sql } from "kysely";
import type { MyData, PersonalDataRequestDto } from "../../../contracts/personal-data.ts";
import { type Actor, AppError, type Database, recordAudit } from "../../platform/index.ts";
import { AUDIT_CSV_COLUMNS, auditCsvRow, toAuditDto } from "../audit/audit-log.ts";
import { formatScope, isRole, ROLE_LABELS, scopeFromStored } from "../permissions.ts";
import { describeScope } from "../users/scope-store.ts";
import { inTransaction } from "../users/users.ts";

/**
 * A person's rights on their own data (docs/identity.md, « Données personnelles »): access and
 * portability (everything Vigie holds about the account, as JSON or CSV), and erasure (a request
 * recorded for an administrator, who then deletes the account).
 */

type Db = Kysely<Database>;

const PERSONAL_DATA_ERROR_STATUS = { not_found: 404, already_closed: 409, last_admin: 409 } as const;

/** Refusal with a stable code and a French message, answered as is by the routes. */
export class PersonalDataError extends AppError {
  declare readonly code: keyof typeof PERSONAL_DATA_ERROR_STATUS;

  constructor(code: keyof typeof PERSONAL_DATA_ERROR_STATUS, message: string) {
    super(PERSONAL_DATA_ERROR_STATUS[code], code, message);
    this.name = "PersonalDataError";
  }
}

/** The audit events about a person: those they did, and those on their account or their requests. */
function aboutUser(userId: string) {
  return sql<boolean>`(actor_user_id = ${userId}::bigint
    or (entity_type = 'user' and entity_id = ${userId})
    or (entity_type = 'personal_data_request' and entity_id in
      (select id::text from personal_data_request where user_id = ${userId}::bigint)))`;
}

function toRequestDto(row: {
  id: string;
  kind: "deletion";
  status: "open" | "done" | "refused";
  email: string;
  message: string | null;
  created_at: Date;
  handled_at: Date | null;
  user_id: string | null;
}): PersonalDataRequestDto {
  return {
    id: String(row.id),
    kind: row.kind,
    status: row.status,
    email: row.email,
    userId: row.user_id === null ? null : String(row.user_id),
    message: row.message,
    createdAt: row.created_at.toISOString(),
    handledAt: row.handled_at?.toISOString() ?? null,
  };
}

/** Everything Vigie holds about the account (right of access, art. 15 GDPR). Never a hash or a token. */
export async function collectMyData(
  db: Db,
  userId: string,
  currentSessionHash: string | null,
): Promise<MyData> {
  const user = await db
    .selectFrom("app_user")
    .select([
      "id",
      "email",
      "given_name",
      "family_name",
      "status",
      "created_at",
      "last_login_at",
      "oidc_subject",
      "oidc_idp_id",
      "siret",
      "failed_logins",
      "locked_until",
      sql<boolean>`password_hash is not null`.as("has_password"),
    ])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const [roleRows, sessionRows, auditRows, requestRows] = await Promise.all([
    db
      .selectFrom("role_assignment as r")
      .leftJoin("app_user as g", "g.id", "r.created_by")
      .select(["r.role", "r.territory_level", "r.territory_code", "r.created_at", "g.email as granted_by"])
      .where("r.user_id", "=", userId)
      .orderBy("r.id")
      .execute(),
    db
      .selectFrom("user_session")
      // Not the session id nor the CSRF token nor the ProConnect ID token: those are keys, not data.
      .select(["id_hash", "auth_method", "created_at", "last_seen_at", "expires_at", "ip", "user_agent"])
      .where("user_id", "=", userId)
      .orderBy("created_at", "desc")
      .execute(),
    db
      .selectFrom("audit_event")
      .selectAll()
      .where(aboutUser(userId))
      .orderBy("occurred_at", "desc")
      .orderBy("id", "desc")
      .execute(),
    db
      .selectFrom("personal_data_request")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("id", "desc")
      .execute(),
  ]);
  const roles = [];
  for (const row of roleRows) {
    const scope = isRole(row.role)
      ? scopeFromStored(row.role, row.territory_level, row.territory_code)
      : null;
    roles.push({
      role: row.role,
      roleLabel: isRole(row.role) ? ROLE_LABELS[row.role] : row.role,
      territory: scope ? formatScope(scope) : `${row.territory_level}:${row.territory_code}`,
      territoryLabel: scope ? await describeScope(db, scope) : `${row.territory_level}:${row.territory_code}`,
      grantedAt: row.created_at.toISOString(),
      grantedBy: row.granted_by ?? null,
    });
  }
  return {
    exportedAt: new Date().toISOString(),
    account: {
      id: String(user.id),
      email: user.email,
      givenName: user.given_name,
      familyName: user.family_name,
      status: user.status,
      createdAt: user.created_at.toISOString(),
      lastLoginAt: user.last_login_at?.toISOString() ?? null,
      hasPassword: user.has_password,
      proconnect: user.oidc_subject
        ? { linked: true, identityProvider: user.oidc_idp_id, siret: user.siret }
        : { linked: false, identityProvider: null, siret: user.siret },
      failedLogins: user.failed_logins,
      lockedUntil: user.locked_until?.toISOString() ?? null,
    },
    roles,
    sessions: sessionRows.map((s) => ({
      authMethod: s.auth_method,
      createdAt: s.created_at.toISOString(),
      lastSeenAt: s.last_seen_at.toISOString(),
      expiresAt: s.expires_at.toISOString(),
      ip: s.ip,
      userAgent: s.user_agent,
      current: s.id_hash === currentSessionHash,
    })),
    auditEvents: auditRows.map((row) => toAuditDto(row, { all: true })),
    requests: requestRows.map(toRequestDto),
  };
}

/**
 * The same data as one CSV file: one line per item, its section in the first column, the fields
 * in JSON in the last (sections do not share columns; a spreadsheet still opens and filters it).
 */
export function myDataCsvRows(data: MyData): { header: string[]; rows: unknown[][] } {
  const header = ["section", "id", "occurred_at", "label", "details"];
  const rows: unknown[][] = [];
  rows.push(["account", data.account.id, data.account.createdAt, data.account.email, data.account]);
  for (const r of data.roles)
    rows.push(["role", r.role, r.grantedAt, `${r.roleLabel} — ${r.territoryLabel}`, r]);
  for (const s of data.sessions) rows.push(["session", "", s.createdAt, s.authMethod, s]);
  for (const r of data.requests) rows.push(["request", r.id, r.createdAt, `${r.kind} (${r.status})`, r]);
  for (const e of data.auditEvents) {
    const row = auditCsvRow(e);
    const details = Object.fromEntries(AUDIT_CSV_COLUMNS.map((c, i) => [c, row[i]]));
    rows.push(["audit_event", e.id, e.occurredAt, e.action, details]);
  }
  return { header, rows };
}

/**
 * Records a request to delete the account; a second request while one is open returns the open
 * one (`created: false`) rather than piling up duplicates.
 */
export async function requestDeletion(
  db: Db,
  user: { id: string; email: string },
  message: string | null,
  actor: Actor,
): Promise<{ request: PersonalDataRequestDto; created: boolean }> {
  return inTransaction(db, async (trx) => {
    // One open request per person: lock the account row so that two clicks make one request.
    await trx.selectFrom("app_user").select("id").where("id", "=", user.id).forUpdate().execute();
    const open = await trx
      .selectFrom("personal_data_request")
      .selectAll()
      .where("user_id", "=", user.id)
      .where("kind", "=", "deletion")
      .where("status", "=", "open")
      .executeTakeFirst();
    if (open) return { request: toRequestDto(open), created: false };
    const row = await trx
      .insertInto("personal_data_request")
      .values({ user_id: user.id, email: user.email, kind: "deletion", message })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: "personal_data.deletion_request",
      entityType: "personal_data_request",
      entityId: String(row.id),
      summary: { kind: "deletion", message: message ? "oui" : "non" },
    });
    return { request: toRequestDto(row), created: true };
  });
}

export async function listRequests(
  db: Db,
  status: "open" | "closed" | "all",
): Promise<(PersonalDataRequestDto & { userExists: boolean })[]> {
  let q = db
    .selectFrom("personal_data_request as r")
    .leftJoin("app_user as u", "u.id", "r.user_id")
    .select([
      "r.id",
      "r.kind",
      "r.status",
      "r.email",
      "r.message",
      "r.created_at",
      "r.handled_at",
      "r.user_id",
      "u.id as existing_user",
    ]);
  if (status === "open") q = q.where("r.status", "=", "open");
  if (status === "closed") q = q.where("r.status", "!=", "open");
  const rows = await q.orderBy("r.created_at", "desc").orderBy("r.id", "desc").execute();
  return rows.map((row) => ({ ...toRequestDto(row), userExists: row.existing_user !== null }));
}

/** What the audit log keeps of a deleted account: a number, not a person. */
export function deletedAccountLabel(userId: string): string {
  return `compte supprimé n° ${userId}`;
}

/**
 * Deletes an account for good (erasure, art. 17 GDPR): its sessions, links and roles go with it
 * (foreign keys), and the audit log keeps the events — the history of what was done stays
 * accountable — with the person's e-mail and addresses replaced by « compte supprimé n° … ».
 * The last active national administrator cannot be deleted: Vigie would be left without one.
 */
export async function deleteAccount(db: Db, userId: string, actor: Actor): Promise<void> {
  await inTransaction(db, async (trx) => {
    const user = await trx
      .selectFrom("app_user")
      .select(["id", "email"])
      .where("id", "=", userId)
      .forUpdate()
      .executeTakeFirst();
    if (!user) throw new PersonalDataError("not_found", "Ce compte n'existe plus.");
    const admins = await trx
      .selectFrom("role_assignment as r")
      .innerJoin("app_user as u", "u.id", "r.user_id")
      .select(["u.id"])
      .where("r.role", "=", "national-admin")
      .where("u.status", "=", "active")
      .execute();
    const adminIds = new Set(admins.map((a) => String(a.id)));
    if (adminIds.has(String(user.id)) && adminIds.size === 1) {
      throw new PersonalDataError(
        "last_admin",
        "Ce compte est le dernier administrateur national actif : nommez-en un autre avant de le supprimer.",
      );
    }
    const label = deletedAccountLabel(String(user.id));
    // The e-mail as it appears inside JSON text (an address needs no escaping, but be exact).
    const inJson = JSON.stringify(user.email).slice(1, -1);
    await trx
      .updateTable("audit_event")
      .set({ actor_label: label, ip: null })
      .where((eb) => eb.or([eb("actor_user_id", "=", user.id), eb("actor_label", "=", user.email)]))
      .execute();
    await trx
      .updateTable("audit_event")
      .set({ summary: sql`replace(summary::text, ${inJson}, ${label})::jsonb` })
      .where(sql<boolean>`strpos(summary::text, ${inJson}) > 0`)
      .execute();
    await trx.deleteFrom("app_user").where("id", "=", user.id).execute();
    await recordAudit(trx, actor, {
      action: "user.delete",
      entityType: "user",
      entityId: String(user.id),
      summary: { compte: label },
    });
  });
}

/**
 * Closes a request. « done » on a deletion request deletes the account first (and fails, leaving
 * the request open, when it cannot); « refused » closes it with the reason in the audit log.
 */
export async function closeRequest(
  db: Kysely<Database>,
  requestId: string,
  decision: "done" | "refused",
  reason: string | null,
  actor: Actor,
): Promise<PersonalDataRequestDto> {
  return db.transaction().execute(async (trx) => {
    const request = await trx
      .selectFrom("personal_data_request")
      .selectAll()
      .where("id", "=", requestId)
      .forUpdate()
      .executeTakeFirst();
    if (!request) throw new PersonalDataError("not_found", "Demande introuvable.");
    if (request.status !== "open") {
      throw new PersonalDataError("already_closed", "Cette demande est déjà traitée.");
    }
    if (decision === "done" && request.kind === "deletion" && request.user_id !== null) {
      await deleteAccount(trx, String(request.user_id), actor);
    }
    const row = await trx
      .updateTable("personal_data_request")
      .set({ status: decision, handled_at: sql<Date>`now()` })
      .where("id", "=", requestId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: decision === "done" ? "personal_data.request_done" : "personal_data.request_refused",
      entityType: "personal_data_request",
      entityId: String(row.id),
      summary: { kind: row.kind, ...(reason ? { motif: reason } : {}) },
    });
    return toRequestDto(row);
  });
}
