import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { UsageBatchAnswer, UsageRow } from "../../../contracts/usage.ts";
import { type Actor, type Database, invalid } from "../../platform/index.ts";
import { checkUai } from "../../territories/index.ts";
import { applyValues, REPORT_LIST_CAP, SchoolResolver } from "../framework/apply.ts";
import type { MatchedHeader, ProfileValue, RowIssue } from "../framework/types.ts";
import { usageHeader, usageProfile } from "../profiles/usage.ts";
import { holderCovers, holderTerritories, type TokenHolder } from "./tokens.ts";

/**
 * One batch of a provider (`POST /api/v1/usage/batches`): its rows are read by the `usage`
 * profile (the long layout: uai, date, service, profile, measure, value), each school must be
 * known and inside the token's territories, and the values go through the framework's
 * `applyValues` (one transaction, one import batch). A batch is received once per (provider,
 * batch id): the first copy claims the id before anything is written, so that a repeated or
 * concurrent copy is acknowledged (`alreadyReceived`) and writes nothing.
 */

type Db = Kysely<Database>;

/** One row of a batch: its cells in the API's order, and the line a refusal names. */
export interface BatchRow {
  readonly line: number;
  /** uai, date, profile, measure, service, value. */
  readonly cells: readonly string[];
}

/** Longer than any batch takes to write (100 000 rows): a claim this old belongs to a dead process. */
const STALE_CLAIM_MS = 30 * 60 * 1000;

export const API_COLUMNS = ["uai", "date", "profile", "measure", "service", "value"] as const;

/** The header of a JSON batch: the API's field names, matched as a CSV header would be. */
const JSON_HEADER: MatchedHeader = usageHeader(API_COLUMNS);

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? "" : String(v));

/** The rows of a JSON batch, numbered from 1 in the order of `rows`. */
export function jsonRows(rows: readonly UsageRow[]): BatchRow[] {
  return rows.map((r, i) => ({
    line: i + 1,
    cells: [r.uai, r.date, text(r.profile), r.measure, text(r.service), text(r.value)],
  }));
}

export interface ReceivedBatch {
  readonly answer: UsageBatchAnswer;
  /** Values were written: the caller starts the roll-up. */
  readonly wrote: boolean;
}

/** Receives a batch (rows already cut from JSON or CSV), with its header (the JSON one by default). */
export async function receiveUsageBatch(
  db: Db,
  holder: TokenHolder,
  batch: { batchId: string; rows: readonly BatchRow[]; header?: MatchedHeader; today?: string },
): Promise<ReceivedBatch> {
  // A claim left `receiving` by a process that died (its transaction rolled back, nothing written)
  // would block the id for ever: after STALE_CLAIM_MS it may be taken again.
  await db
    .deleteFrom("usage_batch")
    .where("provider", "=", holder.provider)
    .where("batch_id", "=", batch.batchId)
    .where("status", "=", "receiving")
    .where("received_at", "<", new Date(Date.now() - STALE_CLAIM_MS))
    .execute();
  const claimed = await db
    .insertInto("usage_batch")
    .values({
      provider: holder.provider,
      batch_id: batch.batchId,
      token_id: holder.tokenId,
      status: "receiving",
    })
    .onConflict((oc) => oc.columns(["provider", "batch_id"]).doNothing())
    .returning(["id", "received_at"])
    .executeTakeFirst();
  if (!claimed) return { answer: await previousAnswer(db, holder.provider, batch.batchId), wrote: false };
  try {
    const { answer, importBatchId } = await writeBatch(db, holder, batch, claimed.received_at);
    await db
      .updateTable("usage_batch")
      .set({ status: "received", report: JSON.stringify(answer), import_batch_id: importBatchId })
      .where("id", "=", claimed.id)
      .execute();
    return { answer, wrote: answer.written > 0 };
  } catch (err) {
    // Nothing was written (applyValues is one transaction): the provider may send the batch again.
    await db.deleteFrom("usage_batch").where("id", "=", claimed.id).execute();
    throw err;
  }
}

async function previousAnswer(db: Db, provider: string, batchId: string): Promise<UsageBatchAnswer> {
  const row = await db
    .selectFrom("usage_batch")
    .select(["report", "received_at", "status"])
    .where("provider", "=", provider)
    .where("batch_id", "=", batchId)
    .executeTakeFirstOrThrow();
  const stored = (row.status === "received" ? row.report : {}) as Partial<UsageBatchAnswer>;
  return {
    ...emptyAnswer(provider, batchId, row.received_at),
    ...stored,
    // Counts of the first reception; nothing was written this time.
    alreadyReceived: true,
    written: 0,
    unchanged: 0,
    held: 0,
  };
}

function emptyAnswer(provider: string, batchId: string, receivedAt: Date): UsageBatchAnswer {
  return {
    provider,
    batchId,
    alreadyReceived: false,
    receivedAt: receivedAt.toISOString(),
    read: 0,
    accepted: 0,
    rejected: [],
    rejectedTotal: 0,
    duplicates: 0,
    values: 0,
    written: 0,
    unchanged: 0,
    held: 0,
  };
}

/** The schools of the batch, resolved once for the row checks and for the write. */
async function schoolsOf(db: Db, rows: readonly BatchRow[], column: number): Promise<SchoolResolver> {
  const uais: string[] = [];
  for (const r of rows) {
    const uai = checkUai(r.cells[column]);
    if (uai.ok) uais.push(uai.uai);
  }
  const schools = new SchoolResolver(db);
  const list = [...new Set(uais)];
  for (let i = 0; i < list.length; i += 5000) await schools.resolve(list.slice(i, i + 5000));
  return schools;
}

async function writeBatch(
  db: Db,
  holder: TokenHolder,
  batch: { batchId: string; rows: readonly BatchRow[]; header?: MatchedHeader; today?: string },
  receivedAt: Date,
): Promise<{ answer: UsageBatchAnswer; importBatchId: string | null }> {
  const header = batch.header ?? JSON_HEADER;
  const uaiIndex = header.columns.get("uai") ?? 0;
  const uaiColumn = header.labels[uaiIndex] ?? "uai";
  const schools = await schoolsOf(db, batch.rows, uaiIndex);
  const today = batch.today ?? new Date().toISOString().slice(0, 10);
  const state = usageProfile.start({ school: null, period: null, today }, header);
  const answer = emptyAnswer(holder.provider, batch.batchId, receivedAt);
  const values: ProfileValue[] = [];
  const reject = (issues: readonly RowIssue[]) => {
    answer.rejectedTotal += 1;
    for (const issue of issues) if (answer.rejected.length < REPORT_LIST_CAP) answer.rejected.push(issue);
  };
  for (const row of batch.rows) {
    answer.read += 1;
    const uai = checkUai(row.cells[uaiIndex]);
    const place = uai.ok ? schools.get(uai.uai)?.place : undefined;
    if (uai.ok && !place) {
      reject([
        {
          line: row.line,
          column: uaiColumn,
          reason: `UAI ${uai.uai} inconnu de Vigie (absent de l'Annuaire importé) : ligne refusée`,
        },
      ]);
      continue;
    }
    if (place && !holderCovers(holder, place)) {
      reject([
        {
          line: row.line,
          column: uaiColumn,
          reason: `établissement ${place.uai} hors du périmètre du jeton (${holderTerritories(holder)}) : ligne refusée`,
        },
      ]);
      continue;
    }
    const outcome = usageProfile.row(state, row);
    if (outcome.kind === "accepted") {
      answer.accepted += 1;
      if (outcome.values) for (const v of outcome.values) values.push(v);
    } else if (outcome.kind === "rejected") reject(outcome.issues);
    else if (outcome.kind === "duplicate") answer.duplicates += 1;
  }
  for (const v of usageProfile.finish(state).values) values.push(v);
  if (values.length === 0) return { answer, importBatchId: null };
  const applied = await applyValues(db, values, {
    profile: "usage-api",
    fileName: `lot ${holder.provider}/${batch.batchId}`,
    sha256: createHash("sha256").update(`${holder.provider}\n${batch.batchId}`).digest("hex"),
    actor: providerActor(holder),
    // Checked row by row above; kept here too, so that no value escapes the token's territories.
    allowedSchool: (school) => holderCovers(holder, school.place),
    schools,
    report: {
      provider: holder.provider,
      batchId: batch.batchId,
      read: answer.read,
      accepted: answer.accepted,
    },
  });
  if (applied.alreadyImported) throw invalid("Lot déjà écrit sous un autre envoi.", "batch_conflict");
  answer.written = applied.written;
  answer.unchanged = applied.unchanged;
  answer.held = applied.held;
  answer.values = applied.written + applied.unchanged + applied.held;
  return { answer, importBatchId: applied.batchId };
}

export function providerActor(holder: TokenHolder): Actor {
  return { userId: null, label: `fournisseur ${holder.provider}`, source: "api" };
}
