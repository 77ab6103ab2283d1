import type { Kysely } from "kysely";
import type { CampaignSummary } from "../../contracts/collection.ts";
import { readNodeKey } from "../../contracts/territory-tree.ts";
import { scopeContainsPath, scopesWith } from "../identity/index.ts";
import type { Database } from "../platform/index.ts";
import { type Caller, scopeColumn, territoryPathOf } from "./access.ts";
import { summaryOf } from "./campaigns.ts";

/**
 * The campaigns a caller sees: those whose territory one of their collection scopes contains
 * (managers and approvers above it), and those that ask a school of their scope (approvers below
 * the campaign's territory, and the schools' respondents). Newest first.
 */

type Db = Kysely<Database>;

async function containsCampaign(
  db: Db,
  caller: Exclude<Caller, "cli" | null>,
  territory: string,
): Promise<boolean> {
  const read = readNodeKey(territory);
  if (!read.ok) return false;
  const path = await territoryPathOf(db, read.node);
  if (!path) return false;
  const scopes = [...scopesWith(caller, "collection.manage"), ...scopesWith(caller, "collection.approve")];
  return scopes.some((s) => scopeContainsPath(s, path));
}

/** Does the campaign ask a school inside one of the caller's scopes (respondent or approver)? */
async function asksASchoolOf(
  db: Db,
  caller: Exclude<Caller, "cli" | null>,
  campaignId: string,
): Promise<boolean> {
  const scopes = [...scopesWith(caller, "collection.respond"), ...scopesWith(caller, "collection.approve")];
  for (const scope of scopes) {
    const filter = scopeColumn(scope);
    if (filter === "none") continue;
    let q = db.selectFrom("collection_response").select("id").where("campaign_id", "=", campaignId);
    if (filter) q = q.where(filter.column, "=", filter.value);
    if (await q.limit(1).executeTakeFirst()) return true;
  }
  return false;
}

export async function listCampaigns(db: Db, caller: Caller): Promise<CampaignSummary[]> {
  if (caller === null) return [];
  const rows = await db.selectFrom("collection_campaign").selectAll().orderBy("id", "desc").execute();
  const out: CampaignSummary[] = [];
  for (const row of rows) {
    const id = String(row.id);
    const visible =
      caller === "cli" ||
      (await containsCampaign(db, caller, row.territory)) ||
      (await asksASchoolOf(db, caller, id));
    if (visible) out.push(await summaryOf(db, row));
  }
  return out;
}
