import type { Kysely, Selectable } from "kysely";
import type { ApprovalLevel } from "../../contracts/collection.ts";
import {
  type ApprovalNodeRow,
  type ApprovalOverview,
  type ApprovalSchoolRow,
  NODE_ACTIONS,
  RESPONSE_ACTIONS,
} from "../../contracts/collection-approval.ts";
import { type NodeAddress, nodeKey, TERRITORY_LEVELS } from "../../contracts/territory-tree.ts";
import { loadTerritoryIndex } from "../identity/index.ts";
import { type Database, forbidden } from "../platform/index.ts";
import { academyByCode, departmentByCode, findDistricts, resolveNodeKey } from "../territories/index.ts";
import { type Caller, holdsOn, requireSignedIn, territoryPathOf } from "./access.ts";
import {
  type ApprovalTree,
  type NodeEntry,
  nodeStep,
  responseStep,
  type SchoolEntry,
} from "./approval-machine.ts";
import { actingNode, entryOf, levelsOf, nodeActor, nodesOf, TERRITORY_COLUMN } from "./approvals.ts";
import { campaignRow } from "./campaigns.ts";
import type { CollectionApprovalTable, CollectionResponseTable } from "./schema.ts";

/**
 * What is approved under a territory, and what the caller may do there (docs/collection.md,
 * « Validation »): each territory of the campaign's approval levels above the schools asked, and
 * each school, with the steps approval-machine.ts allows and the caller's scope permits.
 */

type Db = Kysely<Database>;
type Approval = Pick<
  Selectable<CollectionApprovalTable>,
  "level" | "code" | "state" | "approved_by" | "approved_at" | "accepted_by" | "accepted_at"
>;

async function askedNode(db: Db, territory: string | undefined, fallback: string) {
  const { ref } = await resolveNodeKey(db, territory ?? fallback, {
    field: "territory",
    levels: TERRITORY_LEVELS,
  });
  const node: NodeAddress = { level: ref.level, code: ref.code };
  return { node, name: ref.name };
}

async function labelsOf(db: Db, nodes: readonly NodeAddress[]): Promise<Map<string, string>> {
  const districts = nodes.filter((n) => n.level === "district").map((n) => n.code);
  const names = new Map(
    (await findDistricts(db, districts)).map((d) => [nodeKey({ level: "district", code: d.code }), d.name]),
  );
  for (const n of nodes) {
    if (n.level === "department") names.set(nodeKey(n), departmentByCode.get(n.code)?.name ?? n.code);
    if (n.level === "academy")
      names.set(nodeKey(n), `Académie de ${academyByCode.get(n.code)?.name ?? n.code}`);
  }
  return names;
}

/** The nodes the schools' steps involve: theirs at each approval level, and the one whose approvers act on them. */
function involvedNodes(entries: readonly SchoolEntry[], levels: readonly ApprovalLevel[]): NodeAddress[] {
  const keys = new Map<string, NodeAddress>();
  for (const s of entries) {
    for (const level of levels) {
      const code = s.nodes[level];
      if (code !== null) keys.set(nodeKey({ level, code }), { level, code });
    }
    const acting = actingNode(s, levels.length > 0 ? levels : ["department"]);
    keys.set(nodeKey(acting), acting);
  }
  return [...keys.values()];
}

interface Ctx {
  levels: readonly ApprovalLevel[];
  entries: readonly SchoolEntry[];
  nodes: readonly NodeEntry[];
  stored: ReadonlyMap<string, Approval>;
  labels: ReadonlyMap<string, string>;
  may: (n: NodeAddress) => boolean;
}

function nodeRow(c: Ctx, n: { level: ApprovalLevel; code: string }): ApprovalNodeRow {
  const under = c.entries.filter((s) => s.nodes[n.level] === n.code);
  const tree: ApprovalTree = { levels: c.levels, schools: under, nodes: c.nodes };
  const s = c.stored.get(nodeKey(n));
  const state = s?.state ?? null;
  const first = under[0];
  return {
    level: n.level,
    code: n.code,
    label: c.labels.get(nodeKey(n)) ?? n.code,
    state,
    by: state === "accepted" ? (s?.accepted_by ?? null) : (s?.approved_by ?? null),
    at: s
      ? new Date(state === "accepted" ? (s.accepted_at ?? s.approved_at) : s.approved_at).toISOString()
      : null,
    schools: under.length,
    approvedSchools: under.filter((x) => x.state === "approved" || x.state === "accepted").length,
    actions: NODE_ACTIONS.filter(
      (a) =>
        first !== undefined &&
        nodeStep(tree, n.level, n.code, a).ok &&
        c.may(nodeActor(tree, n.level, n.code, a, first)),
    ),
  };
}

function schoolRow(c: Ctx, r: Selectable<CollectionResponseTable>, entry: SchoolEntry): ApprovalSchoolRow {
  // Only the school's own ancestors matter to its steps: a small tree each (60 000 schools stay linear).
  const own = c.levels
    .map((l) => c.stored.get(nodeKey({ level: l, code: entry.nodes[l] ?? "" })))
    .filter((n): n is Approval => n !== undefined);
  const tree: ApprovalTree = { levels: c.levels, schools: [entry], nodes: own };
  return {
    uai: r.uai,
    name: r.school_name,
    state: r.state,
    district: r.district_code,
    department: r.department_code,
    returnComment: r.return_comment,
    lockExceptionUntil: r.lock_exception_until,
    actions:
      c.levels.length === 0
        ? []
        : RESPONSE_ACTIONS.filter(
            (a) => responseStep(tree, r.uai, a).ok && c.may(actingNode(entry, c.levels)),
          ),
  };
}

export async function approvalOverview(
  db: Db,
  caller: Caller,
  campaignId: string,
  territory?: string,
): Promise<ApprovalOverview> {
  requireSignedIn(caller);
  const campaign = await campaignRow(db, campaignId);
  const levels = levelsOf(campaign);
  const asked = await askedNode(db, territory, campaign.territory);
  const path = await territoryPathOf(db, asked.node);
  if (!holdsOn(caller, "collection.approve", path) && !holdsOn(caller, "collection.manage", path))
    throw forbidden(
      `${asked.name} est hors de votre périmètre : la validation de cette campagne ne vous y est pas ouverte.`,
    );
  const column = TERRITORY_COLUMN[asked.node.level];
  let q = db.selectFrom("collection_response").selectAll().where("campaign_id", "=", campaign.id);
  if (column) q = q.where(column, "=", asked.node.code);
  const rows = await q.orderBy("uai").execute();
  const entries = rows.map(entryOf);
  const wanted = involvedNodes(entries, levels);
  const index = await loadTerritoryIndex(db, wanted);
  const approvals = await db
    .selectFrom("collection_approval")
    .select(["level", "code", "state", "approved_by", "approved_at", "accepted_by", "accepted_at"])
    .where("campaign_id", "=", campaign.id)
    .execute();
  const ctx: Ctx = {
    levels,
    entries,
    nodes: await nodesOf(db, campaign.id),
    stored: new Map(approvals.map((n) => [nodeKey({ level: n.level, code: n.code }), n])),
    labels: await labelsOf(db, wanted),
    may: (n) => holdsOn(caller, "collection.approve", index.pathOf(n)),
  };
  const nodes = wanted
    .filter((n): n is { level: ApprovalLevel; code: string } => levels.includes(n.level as ApprovalLevel))
    .map((n) => nodeRow(ctx, n))
    .sort(
      (a, b) => levels.indexOf(a.level) - levels.indexOf(b.level) || a.label.localeCompare(b.label, "fr"),
    );
  return {
    campaignId: String(campaign.id),
    approvalLevels: [...levels],
    territory: { key: nodeKey(asked.node), label: asked.name },
    nodes,
    schools: rows.map((r, i) => schoolRow(ctx, r, entries[i] as SchoolEntry)),
  };
}
