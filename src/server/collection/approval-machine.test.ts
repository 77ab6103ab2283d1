import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ApprovalLevel, ResponseState } from "../../contracts/collection.ts";
import {
  type ApprovalTree,
  applyNode,
  applyResponse,
  levelsAreValid,
  type NodeAction,
  nodeStep,
  type ResponseAction,
  responseStep,
  type SchoolEntry,
} from "./approval-machine.ts";

/**
 * The approval state machine (docs/collection.md, « Validation »): examples of each refusal, and
 * properties over random trees of schools under districts, départements and académies, walked by
 * random sequences of steps (schools submitting, responses and territories approved, returned,
 * accepted, undone): the DHIS2 invariants hold after every step, a step is possible exactly when
 * everything under it is approved, and every step is undone by its inverse.
 */

const school = (
  uai: string,
  state: ResponseState,
  district: string | null,
  department = "033",
): SchoolEntry => ({
  uai,
  state,
  nodes: { district, department, academy: department === "075" ? "01" : "04" },
});

function tree(
  levels: ApprovalLevel[],
  schools: SchoolEntry[],
  nodes: ApprovalTree["nodes"] = [],
): ApprovalTree {
  return { levels, schools, nodes };
}

describe("approval machine: examples", () => {
  it("accepts none, one or two levels ordered from the school up, and nothing else", () => {
    expect(levelsAreValid([])).toBe(true);
    expect(levelsAreValid(["district"])).toBe(true);
    expect(levelsAreValid(["district", "academy"])).toBe(true);
    expect(levelsAreValid(["department", "academy"])).toBe(true);
    expect(levelsAreValid(["academy", "department"])).toBe(false);
    expect(levelsAreValid(["district", "district"])).toBe(false);
    expect(levelsAreValid(["district", "department", "academy"])).toBe(false);
    expect(levelsAreValid(["school"])).toBe(false);
  });

  it("approves a submitted response only, and refuses every step when the campaign has no approval", () => {
    const t = tree(["district"], [school("A", "submitted", "D1"), school("B", "draft", "D1")]);
    expect(responseStep(t, "A", "approve")).toMatchObject({ ok: true, from: "submitted", to: "approved" });
    expect(responseStep(t, "B", "approve")).toMatchObject({ ok: false, status: 409, code: "not_submitted" });
    expect(responseStep(t, "Z", "approve")).toMatchObject({ ok: false, status: 404 });
    expect(responseStep({ ...t, levels: [] }, "A", "approve")).toMatchObject({ ok: false, status: 400 });
    expect(nodeStep({ ...t, levels: [] }, "district", "D1", "approve")).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it("refuses a territory's approval before every school under it is approved, naming how many and the first UAIs", () => {
    const schools = ["A", "B", "C", "D", "E", "F", "G"].map((u, i) =>
      school(u, i === 0 ? "approved" : "submitted", "D1"),
    );
    const refused = nodeStep(tree(["district"], schools), "district", "D1", "approve");
    expect(refused).toMatchObject({ ok: false, status: 409, code: "schools_not_approved" });
    if (refused.ok) return;
    expect(refused.message).toMatch(/6 établissements sur 7 ne sont pas encore validés \(B, C, D, E, F…\)/);
    expect(refused.pending).toEqual(["B", "C", "D", "E", "F"]);
  });

  it("refuses a level the campaign does not have (400) and a territory with no target school (404)", () => {
    const t = tree(["district"], [school("A", "approved", "D1")]);
    const wrong = nodeStep(t, "academy", "04", "approve");
    expect(wrong).toMatchObject({ ok: false, status: 400, code: "level_not_in_campaign" });
    if (!wrong.ok)
      expect(wrong.message).toMatch(
        /ne se valide pas au niveau de l'académie : niveaux de validation district/,
      );
    expect(nodeStep(t, "district", "D9", "approve")).toMatchObject({ ok: false, status: 404 });
  });

  it("two steps: approve, accept by the level above, approve above; undoing needs the level above undone first", () => {
    let t = tree(["district", "department"], [school("A", "approved", "D1"), school("B", "approved", "D2")]);
    for (const d of ["D1", "D2"]) {
      const approved = nodeStep(t, "district", d, "approve");
      if (!approved.ok) throw new Error(approved.message);
      t = applyNode(t, approved);
    }
    const early = nodeStep(t, "department", "033", "approve");
    expect(early).toMatchObject({ ok: false, code: "nodes_not_accepted" });
    if (!early.ok) expect(early.message).toMatch(/2 territoires du district sur 2 non acceptés \(D1, D2\)/);
    for (const d of ["D1", "D2"]) {
      const accepted = nodeStep(t, "district", d, "accept");
      expect(accepted).toMatchObject({ ok: true, node: "accepted" });
      if (!accepted.ok) return;
      t = applyNode(t, accepted);
    }
    expect(t.schools.map((s) => s.state)).toEqual(["accepted", "accepted"]);
    const top = nodeStep(t, "department", "033", "approve");
    if (!top.ok) throw new Error(top.message);
    t = applyNode(t, top);
    expect(nodeStep(t, "district", "D1", "unaccept")).toMatchObject({ ok: false, code: "approved_above" });
    expect(nodeStep(t, "district", "D1", "unapprove")).toMatchObject({ ok: false, code: "accepted_above" });
    expect(responseStep(t, "A", "return")).toMatchObject({ ok: false, code: "approved_above" });
    expect(nodeStep(t, "department", "033", "accept")).toMatchObject({ ok: false, status: 400 });
  });

  it("returns a submitted or approved response, not one whose district has approved", () => {
    const t = tree(["district"], [school("A", "approved", "D1"), school("B", "submitted", null)]);
    expect(responseStep(t, "A", "return")).toMatchObject({ ok: true, to: "returned" });
    expect(responseStep(t, "B", "return")).toMatchObject({ ok: true, to: "returned" });
    const approved = nodeStep(t, "district", "D1", "approve");
    if (!approved.ok) throw new Error(approved.message);
    const after = applyNode(t, approved);
    expect(responseStep(after, "A", "return")).toMatchObject({
      ok: false,
      status: 409,
      code: "approved_above",
    });
    expect(responseStep(after, "A", "unapprove")).toMatchObject({ ok: false, code: "approved_above" });
  });
});

// --- Properties on random trees -----------------------------------------------------------------

const VALID_LEVELS: ApprovalLevel[][] = [
  ["district"],
  ["department"],
  ["academy"],
  ["district", "department"],
  ["district", "academy"],
  ["department", "academy"],
];

/** Schools under 1–2 académies, 1–2 départements each, 0–3 districts each (some schools without one). */
const arbTree: fc.Arbitrary<ApprovalTree> = fc
  .record({
    levels: fc.constantFrom(...VALID_LEVELS),
    shape: fc.array(
      fc.array(fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 0, maxLength: 3 }), {
        minLength: 1,
        maxLength: 2,
      }),
      { minLength: 1, maxLength: 2 },
    ),
    orphans: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  })
  .map(({ levels, shape, orphans }) => {
    const schools: SchoolEntry[] = [];
    for (const [a, departments] of shape.entries())
      for (const [d, districts] of departments.entries()) {
        const department = `${a}${d}`;
        // A département without districts still has a school (without district).
        const counts = districts.length > 0 ? districts : [1];
        for (const [k, n] of counts.entries())
          for (let i = 0; i < n; i++) {
            const orphan = districts.length === 0 || (orphans[(schools.length + k) % 6] && i === 0);
            schools.push({
              uai: `U${schools.length}`,
              state: "draft",
              nodes: { district: orphan ? null : `${department}-${k}`, department, academy: `A${a}` },
            });
          }
      }
    return { levels, schools, nodes: [] };
  });

type Op =
  | { kind: "submit"; pick: number }
  | { kind: "response"; pick: number; action: ResponseAction }
  | { kind: "node"; pick: number; level: number; action: NodeAction };

// Biased towards the steps that move up (so that walks reach accepted and top-level approvals),
// with enough undoing and returning to exercise the way back.
const arbOps: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("submit" as const), pick: fc.nat() }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("response" as const),
        pick: fc.nat(),
        action: fc.constantFrom<ResponseAction>(
          "approve",
          "approve",
          "approve",
          "approve",
          "unapprove",
          "return",
        ),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("node" as const),
        pick: fc.nat(),
        level: fc.nat({ max: 1 }),
        action: fc.constantFrom<NodeAction>(
          "approve",
          "approve",
          "approve",
          "accept",
          "accept",
          "unapprove",
          "unaccept",
        ),
      }),
    },
  ),
  { minLength: 40, maxLength: 150 },
);

const SUBMITTABLE: readonly ResponseState[] = ["not_started", "draft", "returned"];

function nodeState(t: ApprovalTree, level: ApprovalLevel, code: string | null) {
  return code === null ? null : (t.nodes.find((n) => n.level === level && n.code === code)?.state ?? null);
}

function under(t: ApprovalTree, level: ApprovalLevel, code: string) {
  return t.schools.filter((s) => s.nodes[level] === code);
}

/** The DHIS2 invariants: a level is approved only when everything under it is. */
function checkInvariants(t: ApprovalTree): void {
  const [l1, l2] = t.levels as [ApprovalLevel, ApprovalLevel | undefined];
  for (const n of t.nodes) {
    expect(t.levels).toContain(n.level);
    const schools = under(t, n.level, n.code);
    expect(schools.length).toBeGreaterThan(0);
    if (n.level === l1) {
      const wanted = n.state === "accepted" ? ["accepted"] : ["approved"];
      for (const s of schools) expect(wanted, `${s.uai} under ${n.code}`).toContain(s.state);
      if (n.state === "accepted") expect(l2).toBeDefined();
    } else {
      expect(n.state).toBe("approved");
      for (const s of schools) {
        const below = s.nodes[l1];
        if (below === null) expect(s.state).toBe("approved");
        else expect(nodeState(t, l1, below)).toBe("accepted");
      }
    }
  }
  for (const s of t.schools) {
    const below = s.nodes[l1];
    // Accepted responses are exactly those of accepted L1 territories.
    expect(s.state === "accepted").toBe(below !== null && nodeState(t, l1, below) === "accepted");
  }
}

const sameTree = (a: ApprovalTree, b: ApprovalTree) => {
  const key = (t: ApprovalTree) => ({
    schools: t.schools,
    nodes: [...t.nodes].sort((x, y) => `${x.level}${x.code}`.localeCompare(`${y.level}${y.code}`)),
  });
  expect(key(a)).toEqual(key(b));
};

const INVERSE: Partial<Record<NodeAction, NodeAction>> = {
  approve: "unapprove",
  unapprove: "approve",
  accept: "unaccept",
  unaccept: "accept",
};

function run(
  t0: ApprovalTree,
  ops: Op[],
  visit: (before: ApprovalTree, op: Op, after: ApprovalTree | null) => void,
) {
  let t = t0;
  for (const op of ops) {
    const s = t.schools[op.pick % t.schools.length] as SchoolEntry;
    let next: ApprovalTree | null = null;
    if (op.kind === "submit") {
      if (SUBMITTABLE.includes(s.state))
        next = applyResponse(t, { uai: s.uai, from: s.state, to: "submitted" });
    } else if (op.kind === "response") {
      const step = responseStep(t, s.uai, op.action);
      if (step.ok) next = applyResponse(t, step);
    } else {
      const level = t.levels[op.level % t.levels.length] as ApprovalLevel;
      const code = s.nodes[level];
      if (code !== null) {
        const step = nodeStep(t, level, code, op.action);
        if (step.ok) next = applyNode(t, step);
      }
    }
    visit(t, op, next);
    if (next) t = next;
  }
  return t;
}

describe("approval machine: properties on random trees", () => {
  it("keeps the invariants after every step of random walks", () => {
    fc.assert(
      fc.property(arbTree, arbOps, (t0, ops) => {
        run(t0, ops, (_before, _op, after) => {
          if (after) checkInvariants(after);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("approves a first-level territory exactly when it is not approved and every school under it is", () => {
    fc.assert(
      fc.property(arbTree, arbOps, (t0, ops) => {
        const t = run(t0, ops, () => {});
        const l1 = t.levels[0] as ApprovalLevel;
        const codes = new Set(t.schools.map((s) => s.nodes[l1]).filter((c): c is string => c !== null));
        for (const code of codes) {
          const expected =
            nodeState(t, l1, code) === null && under(t, l1, code).every((s) => s.state === "approved");
          expect(nodeStep(t, l1, code, "approve").ok).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("approves a response exactly when it is submitted and no territory above it has approved", () => {
    fc.assert(
      fc.property(arbTree, arbOps, (t0, ops) => {
        const t = run(t0, ops, () => {});
        for (const s of t.schools) {
          const above = t.levels.some((l) => nodeState(t, l, s.nodes[l]) !== null);
          expect(responseStep(t, s.uai, "approve").ok).toBe(s.state === "submitted" && !above);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("undoes every node step and every response approval with its inverse, back to the same tree", () => {
    fc.assert(
      fc.property(arbTree, arbOps, (t0, ops) => {
        run(t0, ops, (before, op, after) => {
          if (!after || op.kind === "submit") return;
          if (op.kind === "response") {
            if (op.action !== "approve") return;
            const s = before.schools[op.pick % before.schools.length] as SchoolEntry;
            const back = responseStep(after, s.uai, "unapprove");
            expect(back.ok).toBe(true);
            if (back.ok) sameTree(applyResponse(after, back), before);
            return;
          }
          const level = before.levels[op.level % before.levels.length] as ApprovalLevel;
          const code = (before.schools[op.pick % before.schools.length] as SchoolEntry).nodes[
            level
          ] as string;
          const back = nodeStep(after, level, code, INVERSE[op.action] as NodeAction);
          expect(back.ok, `${op.action} then ${INVERSE[op.action]} of ${level} ${code}`).toBe(true);
          if (back.ok) sameTree(applyNode(after, back), before);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("never changes a response whose territory above has approved, and never moves an accepted response by a response step", () => {
    fc.assert(
      fc.property(arbTree, arbOps, (t0, ops) => {
        run(t0, ops, (before, op, after) => {
          if (!after || op.kind !== "response") return;
          const s = before.schools[op.pick % before.schools.length] as SchoolEntry;
          expect(before.levels.every((l) => nodeState(before, l, s.nodes[l]) === null)).toBe(true);
          expect(s.state).not.toBe("accepted");
        });
      }),
      { numRuns: 200 },
    );
  });
});
