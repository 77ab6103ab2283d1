import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  changeFromPrevious,
  compareValues,
  compareWithNation,
  compareWithParent,
  compareWithPeers,
  decileOf,
  deciles,
  quantile,
  shareOfSchools,
} from "./comparisons.ts";
import { type OperandValues, rollUp, type TreeNode } from "./rollup.ts";

const nodes: TreeNode[] = [
  { id: "FR", parentId: null, kind: "territory" },
  { id: "A", parentId: "FR", kind: "territory" },
  { id: "B", parentId: "FR", kind: "territory" },
  { id: "c1", parentId: "A", kind: "school", attributes: { type: "college" } },
  { id: "c2", parentId: "A", kind: "school", attributes: { type: "college" } },
  { id: "l1", parentId: "A", kind: "school", attributes: { type: "lycee" } },
  { id: "c3", parentId: "B", kind: "school", attributes: { type: "college" } },
];
const values = new Map<string, OperandValues>([
  ["c1", { numerator: 10, denominator: 100 }], // 10 %
  ["c2", { numerator: 90, denominator: 300 }], // 30 %
  ["l1", { numerator: 50, denominator: 100 }], // 50 %
  ["c3", { numerator: 150, denominator: 500 }], // 30 %
]);
const r = rollUp({
  nodes,
  indicator: { factor: 100, numerator: "sum", denominator: "sum" },
  schoolValues: values,
});

describe("comparisons, hand-computed", () => {
  it("compares with the parent and the nation", () => {
    // A: 150/500 = 30 %; FR: 300/1000 = 30 %; c1 10 % vs A 30 % → −20 points, −66.7 %.
    const p = compareWithParent(nodes, r, "c1");
    expect(p).toMatchObject({ value: 10, reference: 30, difference: -20 });
    expect(p.relativeDifference).toBeCloseTo(-2 / 3, 12);
    expect(compareWithNation(r, "FR", "A")).toMatchObject({ value: 30, reference: 30, difference: 0 });
    expect(compareWithParent(nodes, r, "FR")).toMatchObject({ reference: null, difference: null });
  });

  it("compares a school with its same-type peers, Σ/Σ over the peers", () => {
    // Peers of c1 (collèges): c2 90/300 and c3 150/500 → 240/800 = 30 % (mean of rates would also be 30 %,
    // so take c2: peers c1 10/100 and c3 150/500 → 160/600 = 26.67 %, not (10 + 30) / 2 = 20 %).
    const c2 = compareWithPeers(nodes, r, "c2", (n) => n.attributes?.type === "college", 100);
    expect(c2.peersReporting).toBe(2);
    expect(c2.reference).toBeCloseTo(26.666_666_7, 6);
    expect(c2.difference).toBeCloseTo(3.333_333_3, 6);
  });

  it("computes the change from the previous period", () => {
    expect(changeFromPrevious(42.5, 37.2)).toMatchObject({ difference: expect.closeTo(5.3, 12) });
    expect(changeFromPrevious(12, 0)).toEqual({
      value: 12,
      reference: 0,
      difference: 12,
      relativeDifference: null,
    });
    expect(changeFromPrevious(null, 3).difference).toBeNull();
    expect(compareValues(110, 100).relativeDifference).toBeCloseTo(0.1, 12);
  });

  it("counts the share of schools above the national value", () => {
    // National 30 %: only l1 (50 %) is strictly above; c2 and c3 equal it.
    expect(shareOfSchools([10, 30, 50, 30, null], ">", 30)).toEqual({
      count: 1,
      schoolsWithValue: 4,
      share: 25,
    });
    expect(shareOfSchools([10, 30, 50, 30], ">=", 30).share).toBe(75);
    expect(shareOfSchools([null], ">", 0).share).toBeNull();
  });

  it("computes deciles like PERCENTILE.INC", () => {
    // 1…10: h = 9p; D1 = 1 + 0.9 = 1.9; D5 = 5.5; D9 = 9.1.
    const d = deciles([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, null]) as number[];
    expect(d[0]).toBeCloseTo(1.9, 12);
    expect(d[4]).toBeCloseTo(5.5, 12);
    expect(d[8]).toBeCloseTo(9.1, 12);
    expect(deciles([7])).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 7]);
    expect(deciles([])).toBeNull();
    expect(decileOf(1, d)).toBe(1);
    expect(decileOf(5.6, d)).toBe(6);
    expect(decileOf(10, d)).toBe(10);
  });

  it("deciles are ordered and within the range of values (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x + 0),
          { minLength: 1, maxLength: 200 },
        ),
        (xs) => {
          const d = deciles(xs) as number[];
          const sorted = [...xs].sort((a, b) => a - b);
          for (let i = 1; i < 9; i++)
            expect(d[i] as number).toBeGreaterThanOrEqual((d[i - 1] as number) - 1e-9);
          expect(d[0] as number).toBeGreaterThanOrEqual((sorted[0] as number) - 1e-9);
          expect(d[8] as number).toBeLessThanOrEqual((sorted[sorted.length - 1] as number) + 1e-9);
          expect(quantile(sorted, 0)).toBe(sorted[0]);
          expect(quantile(sorted, 1)).toBe(sorted[sorted.length - 1]);
        },
      ),
    );
  });
});
