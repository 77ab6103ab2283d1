import { APPROVAL_LEVELS, type ApprovalLevel, type ResponseState } from "../../contracts/collection.ts";

/**
 * The approval state machine of a campaign (issue 11, item 4; docs/collection.md, « Validation »),
 * pure: no database, no caller. A campaign approves at no level, at one (L1: a school's response
 * is approved, then its L1 node once every target school under it is approved) or at two (then
 * the level above accepts each L1 node, which makes its responses accepted, and its L2 node is
 * approved once every L1 node under it is accepted). As in DHIS2, a level approves only when
 * everything under it is approved, and a step is undone only while nothing above depends on it.
 * Who may take a step (scopes) is approvals.ts's business; this file says which step is possible.
 */

export type NodeState = "approved" | "accepted";
export type ResponseAction = "approve" | "unapprove" | "return";
export type NodeAction = "approve" | "unapprove" | "accept" | "unaccept";

/** A target school: its response's state and its node at each approval level (null: none, e.g. no district). */
export interface SchoolEntry {
  uai: string;
  state: ResponseState;
  nodes: Readonly<Record<ApprovalLevel, string | null>>;
}

export interface NodeEntry {
  level: ApprovalLevel;
  code: string;
  state: NodeState;
}

export interface ApprovalTree {
  levels: readonly ApprovalLevel[];
  schools: readonly SchoolEntry[];
  nodes: readonly NodeEntry[];
}

export interface Refusal {
  ok: false;
  status: 400 | 404 | 409;
  code: string;
  message: string;
  /** UAIs or node codes the message names (the first ones). */
  pending?: string[];
}

export type Step<T> = ({ ok: true } & T) | Refusal;

/** What a response step changes. */
export interface ResponseChange {
  uai: string;
  from: ResponseState;
  to: ResponseState;
}

/** What a node step changes: the node (null: its approval is removed) and the responses under it. */
export interface NodeChange {
  level: ApprovalLevel;
  code: string;
  node: NodeState | null;
  responses: ResponseChange[];
}

const LEVEL_NAMES: Readonly<Record<ApprovalLevel, string>> = {
  district: "du district",
  department: "du département",
  academy: "de l'académie",
};

const LEVEL_PLAIN: Readonly<Record<ApprovalLevel, string>> = {
  district: "district",
  department: "département",
  academy: "académie",
};

const SHOWN = 5;

function refuse(status: Refusal["status"], code: string, message: string, pending?: string[]): Refusal {
  return pending ? { ok: false, status, code, message, pending } : { ok: false, status, code, message };
}

function listed(items: readonly string[]): string {
  return `${items.slice(0, SHOWN).join(", ")}${items.length > SHOWN ? "…" : ""}`;
}

/** The levels a campaign may ask: none, one, or two distinct levels ordered from the school up. */
export function levelsAreValid(levels: readonly string[]): levels is readonly ApprovalLevel[] {
  if (levels.length > 2) return false;
  const ranks = levels.map((l) => APPROVAL_LEVELS.indexOf(l as ApprovalLevel));
  return ranks.every((r, i) => r >= 0 && (i === 0 || r > (ranks[i - 1] as number)));
}

function nodeState(tree: ApprovalTree, level: ApprovalLevel, code: string | null): NodeState | null {
  if (code === null) return null;
  return tree.nodes.find((n) => n.level === level && n.code === code)?.state ?? null;
}

/** The node above a school that already approved (or accepted) it, if any: it blocks changing the response. */
function blockingAbove(
  tree: ApprovalTree,
  school: SchoolEntry,
): { level: ApprovalLevel; code: string } | null {
  for (const level of tree.levels) {
    const code = school.nodes[level];
    if (code !== null && nodeState(tree, level, code) !== null) return { level, code };
  }
  return null;
}

export function noApproval(): Refusal {
  return refuse(
    400,
    "no_approval",
    "Cette campagne ne demande pas de validation : ses réponses transmises sont définitives.",
  );
}

/** A step on one school's response: approve (submitted → approved), unapprove, return with a comment. */
export function responseStep(tree: ApprovalTree, uai: string, action: ResponseAction): Step<ResponseChange> {
  if (tree.levels.length === 0) return noApproval();
  const school = tree.schools.find((s) => s.uai === uai);
  if (!school)
    return refuse(404, "unknown_school", `L'établissement ${uai} n'est pas interrogé par cette campagne.`);
  const above = blockingAbove(tree, school);
  if (above)
    return refuse(
      409,
      "approved_above",
      `Le niveau ${LEVEL_NAMES[above.level]} ${above.code} a déjà validé ses établissements : annulez d'abord sa validation.`,
    );
  const from = school.state;
  const change = (to: ResponseState): Step<ResponseChange> => ({ ok: true, uai, from, to });
  switch (action) {
    case "approve":
      if (from === "submitted") return change("approved");
      return refuse(409, "not_submitted", stateMessage(uai, from, "valider"));
    case "unapprove":
      if (from === "approved") return change("submitted");
      return refuse(409, "not_approved", `Les réponses de ${uai} ne sont pas validées : rien à annuler.`);
    case "return":
      if (from === "submitted" || from === "approved") return change("returned");
      return refuse(409, "not_submitted", stateMessage(uai, from, "renvoyer"));
  }
}

function stateMessage(uai: string, state: ResponseState, verb: string): string {
  if (state === "approved") return `Les réponses de ${uai} sont déjà validées.`;
  if (state === "returned")
    return `Les réponses de ${uai} ont été renvoyées pour correction : l'établissement doit les transmettre à nouveau avant qu'on puisse les ${verb}.`;
  return `Les réponses de ${uai} n'ont pas été transmises : impossible de les ${verb}.`;
}

function schoolsUnder(tree: ApprovalTree, level: ApprovalLevel, code: string): SchoolEntry[] {
  return tree.schools.filter((s) => s.nodes[level] === code);
}

/** A step on a territory of an approval level: approve or unapprove it; accept or unaccept a L1 node. */
export function nodeStep(
  tree: ApprovalTree,
  level: ApprovalLevel,
  code: string,
  action: NodeAction,
): Step<NodeChange> {
  if (tree.levels.length === 0) return noApproval();
  const rank = tree.levels.indexOf(level);
  if (rank < 0)
    return refuse(
      400,
      "level_not_in_campaign",
      `Cette campagne ne se valide pas au niveau ${LEVEL_NAMES[level]} : niveaux de validation ${tree.levels.map((l) => LEVEL_PLAIN[l]).join(" puis ")}.`,
    );
  const under = schoolsUnder(tree, level, code);
  if (under.length === 0)
    return refuse(
      404,
      "no_school_under",
      `Aucun établissement interrogé par cette campagne sous ${LEVEL_NAMES[level]} ${code}.`,
    );
  const ctx: NodeCtx = { tree, level, code, rank, under, state: nodeState(tree, level, code) };
  switch (action) {
    case "approve":
      return approveNode(ctx);
    case "unapprove":
      return unapproveNode(ctx);
    case "accept":
    case "unaccept":
      return acceptNode(ctx, action === "accept");
  }
}

interface NodeCtx {
  tree: ApprovalTree;
  level: ApprovalLevel;
  code: string;
  rank: number;
  under: SchoolEntry[];
  state: NodeState | null;
}

const name = (c: NodeCtx) => `${LEVEL_NAMES[c.level]} ${c.code}`;

/** The node's parent at the next approval level (L2), when the campaign has one. */
function parentOf(c: NodeCtx): { level: ApprovalLevel; code: string | null } | null {
  const up = c.tree.levels[c.rank + 1];
  if (!up) return null;
  return { level: up, code: c.under[0]?.nodes[up] ?? null };
}

function approveNode(c: NodeCtx): Step<NodeChange> {
  if (c.state !== null) return refuse(409, "already_approved", `Le niveau ${name(c)} est déjà validé.`);
  if (c.rank === 0) {
    const pending = c.under.filter((s) => s.state !== "approved").map((s) => s.uai);
    if (pending.length > 0)
      return refuse(
        409,
        "schools_not_approved",
        `Validation ${name(c)} impossible : ${pending.length} établissement${pending.length > 1 ? "s" : ""} sur ${c.under.length} ne ${pending.length > 1 ? "sont" : "est"} pas encore validé${pending.length > 1 ? "s" : ""} (${listed(pending)}).`,
        pending.slice(0, SHOWN),
      );
    return { ok: true, level: c.level, code: c.code, node: "approved", responses: [] };
  }
  // L2: every L1 node under it accepted; a school without a L1 node (no district) must be approved itself.
  const lower = c.tree.levels[0] as ApprovalLevel;
  const l1 = [...new Set(c.under.map((s) => s.nodes[lower]).filter((x): x is string => x !== null))].sort();
  const pendingNodes = l1.filter((n) => nodeState(c.tree, lower, n) !== "accepted");
  const orphans = c.under.filter((s) => s.nodes[lower] === null && s.state !== "approved").map((s) => s.uai);
  const pending = [...pendingNodes, ...orphans];
  if (pending.length > 0)
    return refuse(
      409,
      "nodes_not_accepted",
      `Validation ${name(c)} impossible : ${pendingNodes.length} territoire${pendingNodes.length > 1 ? "s" : ""} ${LEVEL_NAMES[lower]} sur ${l1.length} non accepté${pendingNodes.length > 1 ? "s" : ""}${orphans.length > 0 ? ` et ${orphans.length} établissement(s) sans ${LEVEL_PLAIN[lower]} non validé(s)` : ""} (${listed(pending)}).`,
      pending.slice(0, SHOWN),
    );
  return { ok: true, level: c.level, code: c.code, node: "approved", responses: [] };
}

function aboveApproved(c: NodeCtx): Refusal | null {
  const parent = parentOf(c);
  if (parent && nodeState(c.tree, parent.level, parent.code) !== null)
    return refuse(
      409,
      "approved_above",
      `Le niveau ${LEVEL_NAMES[parent.level]} ${parent.code} a déjà validé : annulez d'abord sa validation.`,
    );
  return null;
}

function unapproveNode(c: NodeCtx): Step<NodeChange> {
  if (c.state === null)
    return refuse(409, "not_approved", `Le niveau ${name(c)} n'est pas validé : rien à annuler.`);
  if (c.state === "accepted")
    return refuse(
      409,
      "accepted_above",
      `La validation ${name(c)} a été acceptée par le niveau au-dessus : il doit d'abord annuler son acceptation.`,
    );
  const blocked = aboveApproved(c);
  if (blocked) return blocked;
  return { ok: true, level: c.level, code: c.code, node: null, responses: [] };
}

function acceptNode(c: NodeCtx, accept: boolean): Step<NodeChange> {
  if (c.rank !== 0 || c.tree.levels.length < 2)
    return refuse(
      400,
      "no_acceptance",
      c.tree.levels.length < 2
        ? "Cette campagne se valide en une étape : il n'y a pas d'acceptation par le niveau au-dessus."
        : `Seule la validation du premier niveau (${LEVEL_NAMES[c.tree.levels[0] as ApprovalLevel]}) s'accepte.`,
    );
  if (accept && c.state !== "approved")
    return refuse(
      409,
      c.state === "accepted" ? "already_accepted" : "not_approved",
      c.state === "accepted"
        ? `Le niveau ${name(c)} est déjà accepté.`
        : `Le niveau ${name(c)} n'est pas encore validé : rien à accepter.`,
    );
  if (!accept && c.state !== "accepted")
    return refuse(409, "not_accepted", `Le niveau ${name(c)} n'est pas accepté : rien à annuler.`);
  if (!accept) {
    const blocked = aboveApproved(c);
    if (blocked) return blocked;
  }
  const [from, to]: [ResponseState, ResponseState] = accept
    ? ["approved", "accepted"]
    : ["accepted", "approved"];
  return {
    ok: true,
    level: c.level,
    code: c.code,
    node: accept ? "accepted" : "approved",
    responses: c.under.filter((s) => s.state === from).map((s) => ({ uai: s.uai, from, to })),
  };
}

/** The tree after a step (for the property tests and for « what the caller may do » after it). */
export function applyResponse(tree: ApprovalTree, change: ResponseChange): ApprovalTree {
  return {
    ...tree,
    schools: tree.schools.map((s) => (s.uai === change.uai ? { ...s, state: change.to } : s)),
  };
}

export function applyNode(tree: ApprovalTree, change: NodeChange): ApprovalTree {
  const to = new Map(change.responses.map((r) => [r.uai, r.to]));
  const others = tree.nodes.filter((n) => !(n.level === change.level && n.code === change.code));
  return {
    ...tree,
    schools: tree.schools.map((s) => {
      const next = to.get(s.uai);
      return next ? { ...s, state: next } : s;
    }),
    nodes: change.node ? [...others, { level: change.level, code: change.code, state: change.node }] : others,
  };
}
