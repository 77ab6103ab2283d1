import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Cell,
  type CellStatus,
  cellsFromRollup,
  type Equation,
  hierarchyEquations,
  isSuppressed,
  primaryStatus,
  protectCells,
  recoverableCells,
  viewFor,
} from "./confidentiality.ts";
import { type NodeAggregate, type RollupIndicator, rollUp, rollUpGroups, type TreeNode } from "./rollup.ts";
import { randomCase } from "./test-trees.ts";

const cell = (id: string, units: number, numerator: number, largest: number, people?: number): Cell => ({
  id,
  units,
  numerator,
  largestUnitNumerator: largest,
  people: people ?? null,
});
const RATIO: RollupIndicator = { factor: 100, numerator: "sum", denominator: "sum" };

describe("primary suppression", () => {
  it("applies the default thresholds: 5 schools, 10 people, 85 %", () => {
    expect(primaryStatus(cell("a", 4, 100, 30))).toBe("suppressed-frequency");
    expect(primaryStatus(cell("a", 5, 100, 30))).toBe("published");
    expect(primaryStatus(cell("a", 6, 100, 30, 9))).toBe("suppressed-frequency");
    expect(primaryStatus(cell("a", 6, 100, 30, 10))).toBe("published");
    expect(primaryStatus(cell("a", 6, 100, 86))).toBe("suppressed-dominance");
    expect(primaryStatus(cell("a", 6, 100, 85))).toBe("published"); // strictly more than 85 %
    expect(primaryStatus(cell("a", 0, 0, 0))).toBe("published"); // empty: "no data" reveals nothing
    expect(primaryStatus(cell("a", 3, 100, 30), { minUnits: 3, minPeople: 10, dominanceShare: 0.85 })).toBe(
      "published",
    );
  });
});

describe("secondary suppression, hand-computed", () => {
  it("suppresses the smallest published sibling of a lone suppressed child", () => {
    const cells = [
      cell("A", 21, 1000, 100),
      cell("D1", 10, 500, 100),
      cell("D2", 3, 150, 60),
      cell("D3", 8, 350, 90),
    ];
    const { statuses } = protectCells(cells, [{ total: "A", parts: ["D1", "D2", "D3"] }]);
    expect(Object.fromEntries(statuses)).toEqual({
      A: "published",
      D1: "published",
      D2: "suppressed-frequency",
      D3: "suppressed-secondary", // 350 < 500
    });
  });

  it("suppresses the parent of an only child, then goes up", () => {
    // N = R + S; R has a single child X (3 schools): X = R, so R goes; then N = R + S needs S to go.
    const cells = [
      cell("N", 20, 900, 80),
      cell("R", 7, 300, 80),
      cell("X", 3, 300, 80),
      cell("S", 13, 600, 70),
    ];
    const eqs = [
      { total: "N", parts: ["R", "S"] },
      { total: "R", parts: ["X"] },
    ];
    const { statuses } = protectCells(cells, eqs);
    expect(Object.fromEntries(statuses)).toEqual({
      N: "published",
      R: "suppressed-secondary",
      X: "suppressed-frequency",
      S: "suppressed-secondary",
    });
  });

  it("protects a suppressed parent whose children are all published", () => {
    // P is dominated by a unit that is spread… impossible in practice, but forced suppression shows
    // the rule: P = C1 + C2 must hide a child too.
    const cells = [cell("P", 12, 200, 50), cell("C1", 6, 120, 50), cell("C2", 6, 80, 40)];
    const { statuses } = protectCells(cells, [{ total: "P", parts: ["C1", "C2"] }], {
      forcedSuppressed: new Set(["P"]),
    });
    expect(statuses.get("C2")).toBe("suppressed-secondary");
    expect(statuses.get("C1")).toBe("published");
  });

  it("finds recoverable cells by solving the equations", () => {
    const eqs: Equation[] = [
      { total: "A", parts: ["B", "C"] },
      { total: "B", parts: ["B1", "B2"] },
    ];
    expect(recoverableCells(eqs, (id) => id === "C")).toEqual(["C"]);
    // B and C hidden, but B1 and B2 published: B = B1 + B2, then C = A − B.
    expect(recoverableCells(eqs, (id) => ["B", "C"].includes(id))).toEqual(["B", "C"]);
    expect(recoverableCells(eqs, (id) => ["B", "C", "B1"].includes(id))).toEqual([]);
    expect(
      recoverableCells([...eqs, { total: "B", parts: ["B3"] }], (id) => ["B", "C", "B3"].includes(id)),
    ).toEqual(["B", "B3", "C"]);
  });
});

describe("viewFor", () => {
  const figures = { value: 25, numerator: 100, denominator: 400 };
  it("shows « secret statistique » and the reason, except to the cell's owners", () => {
    expect(viewFor(figures, "suppressed-frequency", { ownsCell: false })).toEqual({
      shown: false,
      status: "suppressed-frequency",
      label: "secret statistique",
      reason: expect.stringContaining("trop peu"),
    });
    expect(viewFor(figures, "suppressed-frequency", { ownsCell: true })).toEqual({
      shown: true,
      status: "suppressed-frequency",
      ownData: true,
      ...figures,
    });
    expect(viewFor(figures, "published", { ownsCell: false })).toEqual({
      shown: true,
      status: "published",
      ownData: false,
      ...figures,
    });
  });
});

function protectTree(nodes: TreeNode[], aggregates: Map<string, NodeAggregate>, forced?: Set<string>) {
  const cells = cellsFromRollup(nodes, aggregates, (a) => a.denominator);
  const equations = hierarchyEquations(cells);
  return { cells, equations, ...protectCells(cells, equations, { forcedSuppressed: forced }) };
}

describe("confidentiality, properties on random trees", () => {
  it("(a) primary, (b) no lone unknown, no recoverable cell, (c) published figures unchanged, (d) idempotent", () => {
    fc.assert(
      fc.property(randomCase({ maxTerritories: 10, maxSchools: 60 }), ({ nodes, schoolValues }) => {
        const aggregates = rollUp({ nodes, indicator: RATIO, schoolValues });
        const { cells, equations, statuses, unprotected } = protectTree(nodes, aggregates);
        const suppressed = (id: string) => isSuppressed(statuses.get(id));
        // (a) every cell under the thresholds is suppressed
        for (const c of cells) {
          if (c.units === 0) continue;
          const dominated =
            (c.numerator ?? 0) > 0 && (c.largestUnitNumerator ?? 0) / (c.numerator ?? 1) > 0.85;
          if (c.units < 5 || (c.people ?? 10) < 10 || dominated) expect(suppressed(c.id)).toBe(true);
        }
        // (b) every published parent has 0 or ≥ 2 suppressed children, and no equation has one unknown
        for (const e of equations) {
          const hiddenChildren = e.parts.filter(suppressed).length;
          if (!suppressed(e.total)) expect(hiddenChildren === 0 || hiddenChildren >= 2).toBe(true);
          expect([e.total, ...e.parts].filter(suppressed).length).not.toBe(1);
        }
        expect(unprotected).toEqual([]);
        expect(recoverableCells(equations, suppressed)).toEqual([]);
        // (c) published figures are the roll-up's, untouched
        for (const n of nodes) {
          const a = aggregates.get(n.id) as NodeAggregate;
          const view = viewFor(a, statuses.get(n.id) as CellStatus, { ownsCell: false });
          if (view.shown)
            expect([view.value, view.numerator, view.denominator]).toEqual([
              a.value,
              a.numerator,
              a.denominator,
            ]);
          else expect(suppressed(n.id)).toBe(true);
        }
        // (d) protecting again, with the suppressed cells forced, changes nothing
        const again = protectTree(
          nodes,
          aggregates,
          new Set(cells.filter((c) => suppressed(c.id)).map((c) => c.id)),
        );
        expect(again.statuses).toEqual(statuses);
      }),
    );
  });

  it("no suppressed cell is recoverable across a group set (public/private) either", () => {
    fc.assert(
      fc.property(randomCase({ maxTerritories: 6, maxSchools: 40 }), ({ nodes, schoolValues }) => {
        const all = rollUp({ nodes, indicator: RATIO, schoolValues });
        const groups = rollUpGroups({ nodes, indicator: RATIO, schoolValues }, [
          { code: "public", predicate: (s) => s.attributes?.sector === "public" },
          { code: "private", predicate: (s) => s.attributes?.sector === "private" },
        ]);
        const prefixed = (prefix: string, agg: Map<string, NodeAggregate>) =>
          cellsFromRollup(
            nodes.map((n) => ({
              ...n,
              id: `${prefix}${n.id}`,
              parentId: n.parentId && `${prefix}${n.parentId}`,
            })),
            new Map([...agg].map(([id, a]) => [`${prefix}${id}`, a])),
          );
        const cells = [
          ...cellsFromRollup(nodes, all),
          ...prefixed("public:", groups.get("public") as Map<string, NodeAggregate>),
          ...prefixed("private:", groups.get("private") as Map<string, NodeAggregate>),
        ];
        const equations = hierarchyEquations(cells);
        const extraEquations = nodes
          .filter((n) => n.kind === "territory")
          .map((n) => ({ total: n.id, parts: [`public:${n.id}`, `private:${n.id}`] }));
        const { statuses, unprotected } = protectCells(cells, equations, { extraEquations });
        const suppressed = (id: string) => isSuppressed(statuses.get(id));
        expect(unprotected).toEqual([]);
        expect(recoverableCells([...equations, ...extraEquations], suppressed)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
