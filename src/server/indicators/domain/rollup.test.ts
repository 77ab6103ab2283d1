import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type NodeAggregate,
  type OperandValues,
  RollupError,
  type RollupIndicator,
  rollUp,
  rollUpGroups,
  rollUpPerSchoolThenCount,
  schoolOwnValues,
  type TreeNode,
} from "./rollup.ts";
import { randomCase, schoolsUnder } from "./test-trees.ts";

const territory = (id: string, parentId: string | null): TreeNode => ({ id, parentId, kind: "territory" });
const school = (id: string, parentId: string, attributes: Record<string, string> = {}): TreeNode => ({
  id,
  parentId,
  kind: "school",
  attributes,
});
const RATIO: RollupIndicator = { factor: 100, numerator: "sum", denominator: "sum" };

// Académie A: département D1 (S1 10/100, S2 90/300), département D2 (S3 30/50, S4 and S5 without data).
const nodes: TreeNode[] = [
  territory("A", null),
  territory("D1", "A"),
  territory("D2", "A"),
  school("S1", "D1", { sector: "public", type: "college" }),
  school("S2", "D1", { sector: "private", type: "lycee" }),
  school("S3", "D2", { sector: "public", type: "college" }),
  school("S4", "D2", { sector: "public", type: "college" }),
  school("S5", "D2", { sector: "private", type: "college" }),
];
const values = new Map<string, OperandValues>([
  ["S1", { numerator: 10, denominator: 100 }],
  ["S2", { numerator: 90, denominator: 300 }],
  ["S3", { numerator: 30, denominator: 50 }],
  ["S4", { numerator: null, denominator: 80 }],
]);

const get = (m: Map<string, NodeAggregate>, id: string) => m.get(id) as NodeAggregate;

describe("rollUp, hand-computed", () => {
  const r = rollUp({ nodes, indicator: RATIO, schoolValues: values });

  it("divides the sums, never averages the rates", () => {
    // D1: (10 + 90) / (100 + 300) = 25 %, whereas the mean of 10 % and 30 % would be 20 %.
    expect(get(r, "D1")).toMatchObject({ numerator: 100, denominator: 400, value: 25 });
    // A: (10 + 90 + 30) / (100 + 300 + 50) = 130 / 450 = 28.888… %.
    expect(get(r, "A").numerator).toBe(130);
    expect(get(r, "A").denominator).toBe(450);
    expect(get(r, "A").value).toBeCloseTo(28.888_888_9, 6);
    expect(get(r, "S3").value).toBe(60);
  });

  it("gives every aggregate its coverage", () => {
    expect(get(r, "D1")).toMatchObject({ schoolsReporting: 2, schoolsExpected: 2, coverage: 1 });
    // S4 has a denominator but no numerator: it does not report.
    expect(get(r, "D2")).toMatchObject({ schoolsReporting: 1, schoolsExpected: 3 });
    expect(get(r, "D2").coverage).toBeCloseTo(1 / 3, 12);
    expect(get(r, "A")).toMatchObject({ schoolsReporting: 3, schoolsExpected: 5, coverage: 0.6 });
    expect(get(r, "S4")).toMatchObject({ value: null, coverage: 0, numerator: null });
    expect(get(r, "A").largestSchoolNumerator).toBe(90);
  });

  it("counts only expected schools in the coverage", () => {
    const r2 = rollUp({ nodes, indicator: RATIO, schoolValues: values, isExpected: (s) => s.id !== "S5" });
    expect(get(r2, "D2")).toMatchObject({ schoolsExpected: 2, coverage: 0.5 });
    expect(get(r2, "A")).toMatchObject({ schoolsExpected: 4, coverage: 0.75 });
  });

  it("handles counts, averages, delivered values and zero denominators", () => {
    const counts = rollUp({ nodes, indicator: { factor: 1, numerator: "sum" }, schoolValues: values });
    expect(get(counts, "A").value).toBe(130);
    const mean = rollUp({ nodes, indicator: { factor: 1, numerator: "average" }, schoolValues: values });
    expect(get(mean, "D1").value).toBe(50); // (10 + 90) / 2 schools
    expect(get(mean, "A").value).toBeCloseTo(130 / 3, 12);
    // Unique users (not additive) over pupils: only the académie delivered its distinct count.
    const distinct = rollUp({
      nodes,
      indicator: { factor: 100, numerator: "none", denominator: "sum" },
      schoolValues: values,
      deliveredValues: new Map([["A", { numerator: 117 }]]),
    });
    expect(get(distinct, "A").value).toBeCloseTo(26, 12); // 117 / 450
    expect(get(distinct, "D1").value).toBeNull();
    const zero = rollUp({
      nodes,
      indicator: RATIO,
      schoolValues: new Map([["S1", { numerator: 0, denominator: 0 }]]),
    });
    expect(get(zero, "A")).toMatchObject({ numerator: 0, denominator: 0, value: null, schoolsReporting: 1 });
  });

  it("rolls up group sets the same way", () => {
    const g = rollUpGroups({ nodes, indicator: RATIO, schoolValues: values }, [
      { code: "public", predicate: (s) => s.attributes?.sector === "public" },
      { code: "private", predicate: (s) => s.attributes?.sector === "private" },
    ]);
    const pub = g.get("public") as Map<string, NodeAggregate>;
    const priv = g.get("private") as Map<string, NodeAggregate>;
    // Public: S1 10/100 and S3 30/50 → 40/150 = 26.67 %; S4 expected without data.
    expect(get(pub, "A")).toMatchObject({
      numerator: 40,
      denominator: 150,
      schoolsReporting: 2,
      schoolsExpected: 3,
    });
    expect(get(pub, "A").value).toBeCloseTo(26.666_666_7, 6);
    expect(get(priv, "A")).toMatchObject({ numerator: 90, denominator: 300, value: 30, schoolsExpected: 2 });
    expect(get(priv, "S1")).toMatchObject({ value: null, schoolsExpected: 0, coverage: null });
  });

  it("counts schools above a threshold, per school then count", () => {
    // Own values: S1 10 %, S2 30 %, S3 60 %; national value 130/450 = 28.9 % → S2 and S3 above.
    const national = get(r, "A").value as number;
    const above = rollUpPerSchoolThenCount({ nodes }, schoolOwnValues(nodes, r), {
      comparator: ">",
      threshold: national,
    });
    expect(get(above, "A")).toMatchObject({ numerator: 2, denominator: 3, schoolsExpected: 5 });
    expect(get(above, "A").value).toBeCloseTo(200 / 3, 12);
    expect(get(above, "D1")).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    expect(get(above, "D2")).toMatchObject({ numerator: 1, denominator: 1, value: 100 });
  });

  it("refuses broken trees in French", () => {
    expect(() => rollUp({ nodes: [territory("A", "X")], indicator: RATIO, schoolValues: values })).toThrow(
      /parent « X »/,
    );
    expect(() =>
      rollUp({ nodes: [territory("A", "B"), territory("B", "A")], indicator: RATIO, schoolValues: values }),
    ).toThrow(RollupError);
    expect(() =>
      rollUp({
        nodes: [territory("A", null), school("S", "A"), school("T", "S")],
        indicator: RATIO,
        schoolValues: values,
      }),
    ).toThrow(/ne peut pas avoir d'enfant/);
  });
});

describe("rollUp, properties", () => {
  it("every node is Σnum/Σden over its own schools; the root's Σnum is the sum over schools", () => {
    fc.assert(
      fc.property(randomCase(), ({ nodes, schoolValues }) => {
        const r = rollUp({ nodes, indicator: RATIO, schoolValues });
        const total = [...schoolValues.values()].reduce((s, v) => s + (v.numerator ?? 0), 0);
        expect(get(r, "t0").numerator ?? 0).toBe(total);
        for (const node of nodes) {
          const reporting = schoolsUnder(nodes, node.id).filter((s) => schoolValues.has(s.id));
          const num = reporting.reduce((s, x) => s + (schoolValues.get(x.id)?.numerator ?? 0), 0);
          const den = reporting.reduce((s, x) => s + (schoolValues.get(x.id)?.denominator ?? 0), 0);
          const agg = get(r, node.id);
          expect(agg.schoolsReporting).toBe(reporting.length);
          if (reporting.length === 0) expect(agg.numerator).toBeNull();
          else expect([agg.numerator, agg.denominator]).toEqual([num, den]);
          if (reporting.length === 0 || den === 0) expect(agg.value).toBeNull();
          else expect(agg.value).toBeCloseTo((num / den) * 100, 9);
        }
      }),
    );
  });

  it("a school without data changes no value but lowers the coverage", () => {
    fc.assert(
      fc.property(randomCase(), fc.nat(), ({ nodes, schoolValues }, at) => {
        const territories = nodes.filter((n) => n.kind === "territory");
        const parent = territories[at % territories.length] as TreeNode;
        const before = rollUp({ nodes, indicator: RATIO, schoolValues });
        const after = rollUp({ nodes: [...nodes, school("new", parent.id)], indicator: RATIO, schoolValues });
        for (const node of nodes) {
          const b = get(before, node.id);
          const a = get(after, node.id);
          expect([a.numerator, a.denominator, a.value]).toEqual([b.numerator, b.denominator, b.value]);
          if (
            schoolsUnder(nodes, node.id).length <
            schoolsUnder([...nodes, school("new", parent.id)], node.id).length
          ) {
            expect(a.schoolsExpected).toBe(b.schoolsExpected + 1);
            expect(a.coverage as number).toBeLessThanOrEqual(b.coverage ?? 0);
            if (b.schoolsReporting > 0) expect(a.coverage as number).toBeLessThan(b.coverage as number);
          } else expect(a).toEqual(b);
        }
      }),
    );
  });

  it("does not depend on the order of the nodes", () => {
    fc.assert(
      fc.property(
        randomCase().chain((c) =>
          fc.tuple(fc.constant(c), fc.shuffledSubarray(c.nodes, { minLength: c.nodes.length })),
        ),
        ([{ nodes, schoolValues }, shuffled]) => {
          const a = rollUp({ nodes, indicator: RATIO, schoolValues });
          const b = rollUp({ nodes: shuffled, indicator: RATIO, schoolValues });
          for (const node of nodes) expect(get(b, node.id)).toEqual(get(a, node.id));
        },
      ),
    );
  });

  it("group sets that partition the schools add up to the whole", () => {
    fc.assert(
      fc.property(randomCase(), ({ nodes, schoolValues }) => {
        const all = rollUp({ nodes, indicator: RATIO, schoolValues });
        const g = rollUpGroups({ nodes, indicator: RATIO, schoolValues }, [
          { code: "public", predicate: (s) => s.attributes?.sector === "public" },
          { code: "private", predicate: (s) => s.attributes?.sector === "private" },
        ]);
        for (const node of nodes) {
          const p = get(g.get("public") as Map<string, NodeAggregate>, node.id);
          const q = get(g.get("private") as Map<string, NodeAggregate>, node.id);
          const w = get(all, node.id);
          expect((p.numerator ?? 0) + (q.numerator ?? 0)).toBe(w.numerator ?? 0);
          expect(p.schoolsExpected + q.schoolsExpected).toBe(w.schoolsExpected);
        }
      }),
    );
  });
});
