import type { Kysely, Selectable, Transaction } from "kysely";
import type { ApprovalLevel, ResponseState } from "../../contracts/collection.ts";
import type {
  LockExceptionResult,
  NodeApprovalBody,
  NodeApprovalResult,
  ResponseActionName,
  ResponseApprovalResult,
} from "../../contracts/collection-approval.ts";
import { answers as answersSchema } from "../../contracts/collection-form.ts";
import { type NodeAddress, readNodeKey, TERRITORY_LEVELS } from "../../contracts/territory-tree.ts";
import { rollbackImportBatch } from "../indicators/index.ts";
import {
  type Actor,
  AppError,
  conflict,
  type Database,
  forbidden,
  invalid,
  notFound,
  recordAudit,
} from "../platform/index.ts";
import { type Caller, followsSchool, holdsOn, placeOf, requireSignedIn, territoryPathOf } from "./access.ts";
import {
  type ApprovalTree,
  levelsAreValid,
  type NodeAction,
  type NodeEntry,
  noApproval,
  nodeStep,
  type Refusal,
  responseStep,
  type SchoolEntry,
} from "./approval-machine.ts";
import { todayInFrance } from "./calendar.ts";
import { campaignRow } from "./campaigns.ts";
import { formById } from "./forms.ts";
import { feedResponse } from "./responses.ts";
import type { CollectionResponseTable } from "./schema.ts";

/**
 * Approval up the hierarchy (issue 11, item 4; docs/collection.md, « Validation »): the steps of
 * approval-machine.ts taken by people, in one transaction each, with their scope checked, the
 * observatory fed (campaigns fed on approval) or emptied (a fed response returned), and an audit
 * event per step. Approvals of one campaign are serialised by locking its row, so that two
 * approvers never see each other's half-done step.
 */

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type CampaignRow = Awaited<ReturnType<typeof campaignRow>>;
type ResponseRow = Selectable<CollectionResponseTable>;

const LEVEL_COLUMN = {
  district: "district_code",
  department: "department_code",
  academy: "academy_code",
} as const satisfies Record<ApprovalLevel, keyof CollectionResponseTable>;

export const TERRITORY_COLUMN: Readonly<Record<string, keyof CollectionResponseTable | null>> = {
  nation: null,
  academicRegion: "academic_region_code",
  ...LEVEL_COLUMN,
};

export function refusalError(r: Refusal): AppError {
  return new AppError(r.status, r.code, r.message, r.pending ? { details: { pending: r.pending } } : {});
}

export function levelsOf(campaign: CampaignRow): readonly ApprovalLevel[] {
  const levels = campaign.approval_levels;
  if (!levelsAreValid(levels))
    throw conflict(
      `Les niveaux de validation de la campagne (${levels.join(", ")}) ne vont pas de l'établissement vers l'académie : la campagne ne peut pas être validée.`,
      "invalid_approval_levels",
    );
  return levels;
}

export function entryOf(
  r: Pick<ResponseRow, "uai" | "state" | "district_code" | "department_code" | "academy_code">,
): SchoolEntry {
  return {
    uai: r.uai,
    state: r.state,
    nodes: { district: r.district_code, department: r.department_code, academy: r.academy_code },
  };
}

export async function nodesOf(db: Db, campaignId: string): Promise<NodeEntry[]> {
  return db
    .selectFrom("collection_approval")
    .select(["level", "code", "state"])
    .where("campaign_id", "=", campaignId)
    .execute();
}

/** Serialises the approval steps of a campaign (PostgreSQL; PGlite has one connection anyway). */
async function lockCampaign(trx: Trx, campaignId: string): Promise<void> {
  await trx.selectFrom("collection_campaign").select("id").where("id", "=", campaignId).forUpdate().execute();
}

async function responseRow(db: Db, campaignId: string, uai: string): Promise<ResponseRow> {
  const row = await db
    .selectFrom("collection_response")
    .selectAll()
    .where("campaign_id", "=", campaignId)
    .where("uai", "=", uai.trim().toUpperCase())
    .executeTakeFirst();
  if (!row) throw notFound(`L'établissement ${uai.toUpperCase()} n'est pas interrogé par cette campagne.`);
  return row;
}

/** The node whose approvers act on a school: its L1 node, or the next one up when it has none (no district). */
export function actingNode(school: SchoolEntry, levels: readonly ApprovalLevel[]): NodeAddress {
  for (const level of levels) {
    const code = school.nodes[level];
    if (code !== null) return { level, code };
  }
  return { level: "department", code: school.nodes.department as string };
}

const LEVEL_WORDS: Readonly<Record<ApprovalLevel, string>> = {
  district: "le district",
  department: "le département",
  academy: "l'académie",
};

async function requireApprover(db: Db, caller: Caller, node: NodeAddress, what: string): Promise<void> {
  requireSignedIn(caller);
  if (!holdsOn(caller, "collection.approve", await territoryPathOf(db, node)))
    throw forbidden(
      `${what} : ${LEVEL_WORDS[node.level as ApprovalLevel] ?? "le territoire"} ${node.code} est hors de votre périmètre de validation.`,
    );
}

// --- A school's response ----------------------------------------------------------------------

export interface ResponseStepOutcome extends ResponseApprovalResult {
  /** The observatory changed: the caller queues the roll-up. */
  rollup: boolean;
}

const RESPONSE_VERBS: Readonly<Record<ResponseActionName, string>> = {
  approve: "Validation refusée",
  unapprove: "Annulation refusée",
  return: "Renvoi refusé",
};

const RESPONSE_AUDIT: Readonly<Record<ResponseActionName, string>> = {
  approve: "collection.response.approved",
  unapprove: "collection.response.unapproved",
  return: "collection.response.returned",
};

/** Approve, unapprove or return (with a comment the school sees) one school's response. */
export async function stepResponse(
  db: Db,
  caller: Caller,
  actor: Actor,
  campaignId: string,
  uai: string,
  action: ResponseActionName,
  comment?: string,
): Promise<ResponseStepOutcome> {
  requireSignedIn(caller);
  const campaign = await campaignRow(db, campaignId);
  const levels = levelsOf(campaign);
  if (levels.length === 0) throw refusalError(noApproval());
  return db.transaction().execute(async (trx) => {
    await lockCampaign(trx, campaign.id);
    const row = await responseRow(trx, campaign.id, uai);
    const school = entryOf(row);
    await requireApprover(trx, caller, actingNode(school, levels), RESPONSE_VERBS[action]);
    const tree: ApprovalTree = { levels, schools: [school], nodes: await nodesOf(trx, campaign.id) };
    const step = responseStep(tree, row.uai, action);
    if (!step.ok) throw refusalError(step);
    const feed = await moveResponse(trx, campaign, row, step.to, action, comment);
    await recordAudit(trx, actor, {
      action: RESPONSE_AUDIT[action],
      entityType: "collection_response",
      entityId: String(row.id),
      territory: { level: "school", code: row.uai, academyCode: row.academy_code },
      summary: {
        campaign: String(campaign.id),
        level: levels[0],
        node: school.nodes[levels[0] as ApprovalLevel],
        from: step.from,
        to: step.to,
        ...(comment ? { comment } : {}),
        valuesWritten: feed.written,
        valuesRemoved: feed.removed,
      },
    });
    return {
      uai: row.uai,
      state: step.to,
      returnComment: action === "return" ? (comment ?? null) : row.return_comment,
      valuesWritten: feed.written,
      valuesRemoved: feed.removed,
      rollup: feed.written > 0 || feed.removed > 0,
    };
  });
}

/** Writes the new state, and feeds the observatory or takes the response's values back out of it. */
async function moveResponse(
  trx: Trx,
  campaign: CampaignRow,
  row: ResponseRow,
  to: ResponseState,
  action: ResponseActionName,
  comment: string | undefined,
): Promise<{ written: number; removed: number }> {
  const moved = await trx
    .updateTable("collection_response")
    .set({ state: to, ...(action === "return" ? { return_comment: comment ?? null } : {}) })
    .where("id", "=", row.id)
    // The state the machine read must still be the stored one (a save or another step in between).
    .where("state", "=", row.state)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1)
    throw conflict(`Les réponses de ${row.uai} ont changé entre-temps : rechargez la page.`, "stale_state");
  const feedsOnApproval = campaign.feed === "approved";
  if (action === "approve" && feedsOnApproval && row.batch_id === null) {
    const form = await formById(trx, campaign.form_id);
    const parsed = answersSchema.safeParse(row.answers ?? {});
    const fed = await feedResponse(trx, { campaign, response: row, form }, parsed.success ? parsed.data : {});
    return { written: fed.written, removed: 0 };
  }
  // The observatory never shows what the school is correcting, nor (fed on approval) what is no longer approved.
  const takeBack = action === "return" || (action === "unapprove" && feedsOnApproval);
  if (takeBack && row.batch_id !== null) {
    const undone = await rollbackImportBatch(trx, String(row.batch_id), "validation de la collecte");
    await trx.updateTable("collection_response").set({ batch_id: null }).where("id", "=", row.id).execute();
    return { written: 0, removed: undone.removed + undone.restored };
  }
  return { written: 0, removed: 0 };
}

// --- A territory of an approval level -----------------------------------------------------------

const NODE_VERBS: Readonly<Record<NodeAction, string>> = {
  approve: "Validation refusée",
  unapprove: "Annulation de la validation refusée",
  accept: "Acceptation refusée",
  unaccept: "Annulation de l'acceptation refusée",
};

const NODE_AUDIT: Readonly<Record<NodeAction, string>> = {
  approve: "collection.approval.approved",
  unapprove: "collection.approval.unapproved",
  accept: "collection.approval.accepted",
  unaccept: "collection.approval.unaccepted",
};

/** `033` or `department:033` for the level asked. */
function codeOf(territory: string, level: ApprovalLevel): string {
  const text = territory.trim();
  if (!text.includes(":")) return text.toUpperCase();
  const read = readNodeKey(text, TERRITORY_LEVELS);
  if (!read.ok) throw invalid(read.reason, "invalid_territory");
  if (read.node.level !== level)
    throw invalid(
      `Le territoire « ${territory} » n'est pas du niveau demandé (${level}).`,
      "invalid_territory",
    );
  return read.node.code;
}

async function schoolsUnder(db: Db, campaignId: string, level: ApprovalLevel, code: string) {
  return db
    .selectFrom("collection_response")
    .select(["uai", "state", "district_code", "department_code", "academy_code"])
    .where("campaign_id", "=", campaignId)
    .where(LEVEL_COLUMN[level], "=", code)
    .execute();
}

/** The node whose approvers take a node step: the node itself, or (accept/unaccept) the one above it. */
export function nodeActor(
  tree: ApprovalTree,
  level: ApprovalLevel,
  code: string,
  action: NodeAction,
  first: SchoolEntry,
): NodeAddress {
  if (action === "accept" || action === "unaccept") {
    const up = tree.levels[1] as ApprovalLevel;
    return { level: up, code: first.nodes[up] as string };
  }
  return { level, code };
}

export async function stepNode(
  db: Db,
  caller: Caller,
  actor: Actor,
  campaignId: string,
  body: NodeApprovalBody,
): Promise<NodeApprovalResult> {
  requireSignedIn(caller);
  const campaign = await campaignRow(db, campaignId);
  const levels = levelsOf(campaign);
  const code = codeOf(body.territory, body.level);
  return db.transaction().execute(async (trx) => {
    await lockCampaign(trx, campaign.id);
    const schools = (await schoolsUnder(trx, campaign.id, body.level, code)).map(entryOf);
    const tree: ApprovalTree = { levels, schools, nodes: await nodesOf(trx, campaign.id) };
    const step = nodeStep(tree, body.level, code, body.action);
    // A level the campaign has not, or no school under the territory, is said before the scope.
    if (!step.ok && step.status !== 409) throw refusalError(step);
    const first = schools[0] as SchoolEntry;
    await requireApprover(
      trx,
      caller,
      nodeActor(tree, body.level, code, body.action, first),
      NODE_VERBS[body.action],
    );
    if (!step.ok) throw refusalError(step);
    await writeNode(trx, campaign.id, step, actor, body.comment);
    for (const r of step.responses)
      await trx
        .updateTable("collection_response")
        .set({ state: r.to })
        .where("campaign_id", "=", campaign.id)
        .where("uai", "=", r.uai)
        .where("state", "=", r.from)
        .execute();
    await recordAudit(trx, actor, {
      action: NODE_AUDIT[body.action],
      entityType: "collection_campaign",
      entityId: String(campaign.id),
      territory: { level: body.level, code, academyCode: first.nodes.academy },
      summary: {
        campaign: String(campaign.id),
        level: body.level,
        node: code,
        state: step.node,
        responses: step.responses.length,
        ...(body.comment ? { comment: body.comment } : {}),
      },
    });
    return { level: body.level, code, state: step.node, responsesChanged: step.responses.length };
  });
}

async function writeNode(
  trx: Trx,
  campaignId: string,
  step: { level: ApprovalLevel; code: string; node: "approved" | "accepted" | null },
  actor: Actor,
  comment: string | undefined,
): Promise<void> {
  if (step.node === null) {
    await trx
      .deleteFrom("collection_approval")
      .where("campaign_id", "=", campaignId)
      .where("level", "=", step.level)
      .where("code", "=", step.code)
      .execute();
    return;
  }
  const existing = await trx
    .selectFrom("collection_approval")
    .select("state")
    .where("campaign_id", "=", campaignId)
    .where("level", "=", step.level)
    .where("code", "=", step.code)
    .executeTakeFirst();
  if (!existing) {
    await trx
      .insertInto("collection_approval")
      .values({
        campaign_id: campaignId,
        level: step.level,
        code: step.code,
        state: "approved",
        approved_by: actor.label,
        comment: comment ?? null,
      })
      .execute();
    return;
  }
  await trx
    .updateTable("collection_approval")
    .where("campaign_id", "=", campaignId)
    .where("level", "=", step.level)
    .where("code", "=", step.code)
    .set(
      step.node === "accepted"
        ? { state: "accepted", accepted_by: actor.label, accepted_at: new Date() }
        : { state: "approved", accepted_by: null, accepted_at: null },
    )
    .execute();
}

// --- Lock exceptions ----------------------------------------------------------------------------

/** Lets a school fill in after the expiry days, until a date (null removes it); by a user above the school. */
export async function grantLockException(
  db: Db,
  caller: Caller,
  actor: Actor,
  campaignId: string,
  uai: string,
  until: string | null,
): Promise<LockExceptionResult> {
  requireSignedIn(caller);
  const campaign = await campaignRow(db, campaignId);
  const row = await responseRow(db, campaign.id, uai);
  if (!followsSchool(caller, placeOf(row)))
    throw forbidden(
      `L'établissement ${row.uai} est hors de votre périmètre : seules les équipes qui le suivent peuvent lui accorder une exception au verrouillage.`,
    );
  if (until !== null && (Number.isNaN(Date.parse(`${until}T00:00:00Z`)) || until < todayInFrance()))
    throw invalid(
      `Date de fin d'exception « ${until} » invalide : elle doit exister et ne pas être passée.`,
      "invalid_date",
    );
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("collection_response")
      .set({ lock_exception_until: until, lock_exception_by: until === null ? null : actor.label })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, actor, {
      action: "collection.response.lock_exception",
      entityType: "collection_response",
      entityId: String(row.id),
      territory: { level: "school", code: row.uai, academyCode: row.academy_code },
      summary: { campaign: String(campaign.id), until, previous: row.lock_exception_until },
    });
  });
  return { uai: row.uai, lockExceptionUntil: until };
}
