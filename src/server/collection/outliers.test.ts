import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatQuantity,
  isOutlier,
  isSharpChange,
  MIN_PEERS,
  medianOfSorted,
  modifiedZ,
  peerStats,
  peersMessage,
} from "./outliers.ts";

/** The outlier scores (docs/collection.md, « Valeurs atypiques »): properties over random peers. */

const value = fc.integer({ min: -100_000, max: 100_000 });
const peers = fc.array(value, { minLength: MIN_PEERS, maxLength: 60 });

describe("modified z-score", () => {
  it("needs at least five peers", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: MIN_PEERS - 1 }), (xs) => {
        expect(peerStats(xs)).toBeNull();
      }),
    );
  });

  it("is 0.6745 × (x − median) / MAD on a known sample", () => {
    // Median 85, deviations 5 3 0 0 3 5 10: MAD 3.
    const stats = peerStats([80, 82, 85, 85, 88, 90, 95]);
    expect(stats).toMatchObject({ n: 7, median: 85, mad: 3 });
    expect(modifiedZ(1250, stats as NonNullable<typeof stats>)).toBeCloseTo((0.6745 * 1165) / 3);
  });

  it("does not change when every value moves by the same amount, and scales out", () => {
    fc.assert(
      fc.property(peers, value, value, fc.integer({ min: 1, max: 50 }), (xs, x, shift, factor) => {
        const base = peerStats(xs);
        const moved = peerStats(xs.map((v) => v * factor + shift));
        if (!base || !moved) throw new Error("assez de pairs");
        const z = modifiedZ(x, base);
        const zMoved = modifiedZ(x * factor + shift, moved);
        if (z === null) expect(zMoved).toBeNull();
        else expect(zMoved).toBeCloseTo(z, 6);
      }),
    );
  });

  it("has the sign of x − median, is 0 at the median, and grows with the distance", () => {
    fc.assert(
      fc.property(peers, value, fc.integer({ min: 1, max: 1000 }), (xs, x, step) => {
        const stats = peerStats(xs);
        if (!stats) throw new Error("assez de pairs");
        const z = modifiedZ(x, stats);
        if (z === null) {
          // Only when every peer gives the same value.
          expect(new Set(xs).size).toBe(1);
          return;
        }
        expect(Math.sign(z)).toBe(Math.sign(x - stats.median));
        expect(modifiedZ(stats.median, stats)).toBe(0);
        const further = modifiedZ(x >= stats.median ? x + step : x - step, stats) as number;
        expect(Math.abs(further)).toBeGreaterThan(Math.abs(z));
      }),
    );
  });

  it("does not depend on the order of the peers", () => {
    fc.assert(
      fc.property(peers, value, (xs, x) => {
        const a = peerStats(xs);
        const b = peerStats([...xs].reverse());
        expect(a).toEqual(b);
        if (a && b) expect(modifiedZ(x, a)).toEqual(modifiedZ(x, b));
      }),
    );
  });

  it("falls back on the mean deviation when more than half the peers agree (MAD 0)", () => {
    const stats = peerStats([0, 0, 0, 0, 0, 0, 3]);
    expect(stats?.mad).toBe(0);
    const z = modifiedZ(40, stats as NonNullable<typeof stats>);
    expect(z).toBeCloseTo(40 / (1.253314 * (3 / 7)));
    expect(isOutlier(z, 3.5)).toBe(true);
    // Identical peers: no spread, not judged.
    expect(modifiedZ(1, peerStats([2, 2, 2, 2, 2]) as NonNullable<ReturnType<typeof peerStats>>)).toBeNull();
    expect(isOutlier(null, 3.5)).toBe(false);
  });

  it("puts the median between the middle values", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 40 }), (xs) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const m = medianOfSorted(sorted);
        expect(sorted.filter((v) => v < m).length).toBeLessThanOrEqual(xs.length / 2);
        expect(sorted.filter((v) => v > m).length).toBeLessThanOrEqual(xs.length / 2);
      }),
    );
  });
});

describe("change from last year", () => {
  it("flags a tripling or a third, not a small change nor a start from zero", () => {
    expect(isSharpChange(1250, 85)).toBe(true);
    expect(isSharpChange(20, 85)).toBe(true);
    expect(isSharpChange(250, 85)).toBe(false);
    expect(isSharpChange(7, 2)).toBe(false);
    expect(isSharpChange(40, 0)).toBe(false);
  });

  it("is symmetric: from a to b as from b to a", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (a, b) => {
        expect(isSharpChange(a, b)).toBe(isSharpChange(b, a));
      }),
    );
  });
});

describe("messages", () => {
  it("writes numbers the French way, with the unit", () => {
    expect(peersMessage(1250, "ordinateurs", 85)).toMatch(
      /^1\u202f250 ordinateurs : très loin des établissements comparables \(médiane 85\)$/,
    );
    expect(formatQuantity(80.5, "%")).toBe("80,5 %");
    expect(formatQuantity(3, undefined)).toBe("3");
  });
});
