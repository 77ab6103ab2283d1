import type { Kysely, Transaction } from "kysely";
import { redactSecrets } from "./audit-redact.ts";
import type { AuditEventTable, Database } from "./schema.ts";

/**
 * Who did a write, from where: given by the route, the CLI or a job to every write so that the
 * audit log says who, when, what and from which form or import.
 */
export interface Actor {
  userId: string | null;
  /** E-mail of the user, or "cli", "système". */
  label: string;
  source: AuditEventTable["source"];
  requestId?: string;
  ip?: string;
}

export const CLI_ACTOR: Actor = { userId: null, label: "ligne de commande", source: "cli" };
export const SYSTEM_ACTOR: Actor = { userId: null, label: "système", source: "system" };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  territory?: { level: string; code: string; academyCode?: string | null } | null;
  /** Before/after summary: small, never a password, a token or a whole file. */
  summary?: Record<string, unknown>;
  sourceRef?: string | null;
}

/** Records one write in the audit log, inside the caller's transaction when it has one. */
export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  actor: Actor,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto("audit_event")
    .values({
      actor_user_id: actor.userId,
      actor_label: actor.label,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      territory_level: entry.territory?.level ?? null,
      territory_code: entry.territory?.code ?? null,
      academy_code: entry.territory?.academyCode ?? null,
      // Defence in depth: a secret passed by mistake never reaches the log (audit-redact.ts).
      summary: JSON.stringify(redactSecrets(entry.summary ?? {})),
      source: actor.source,
      source_ref: entry.sourceRef ?? null,
      request_id: actor.requestId ?? null,
      ip: actor.ip ?? null,
    })
    .execute();
}
