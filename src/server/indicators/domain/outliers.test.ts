import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { primaryStatus } from "./confidentiality.ts";
import {
  isImplausible,
  MIN_PEERS,
  OUTLIER_FACTOR,
  peerStats,
  quantileDisc,
  reviewLimit,
} from "./outliers.ts";

const counts = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: min, maxLength: max });

describe("quantileDisc", () => {
  it("takes the value at row ⌈p × n⌉ like PostgreSQL's percentile_disc", () => {
    expect(quantileDisc([5, 1, 3, 2, 4, 10, 9, 8, 7, 6], 0.9)).toBe(9);
    expect(quantileDisc([1, 2, 3], 0.9)).toBe(3);
    expect(quantileDisc([7], 0.9)).toBe(7);
    expect(quantileDisc([], 0.9)).toBeNull();
  });
});

describe("reviewLimit", () => {
  it("judges nothing below MIN_PEERS values", () => {
    expect(reviewLimit(peerStats([1, 2, 3]))).toBeNull();
    expect(reviewLimit(null)).toBeNull();
    expect(isImplausible(1e9, null)).toBe(false);
  });

  it("is ten times the 9th decile, a decile below 1 counting as 1", () => {
    const peers = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(reviewLimit(peerStats(peers))).toBe(900);
    expect(reviewLimit(peerStats(new Array(20).fill(0)))).toBe(10);
  });

  it("holds one huge value among plausible peers, whatever they are (property)", () => {
    fc.assert(
      fc.property(counts(MIN_PEERS - 1, 300), fc.integer({ min: 1, max: 1000 }), (peers, times) => {
        const huge = OUTLIER_FACTOR * Math.max(...peers, 1) * times + 1;
        // The value is among its own peers, as when the store judges it.
        const limit = reviewLimit(peerStats([...peers, huge]));
        expect(isImplausible(huge, limit)).toBe(true);
      }),
    );
  });

  it("never holds more than a tenth of the peers (property)", () => {
    fc.assert(
      fc.property(counts(MIN_PEERS, 400), (peers) => {
        const limit = reviewLimit(peerStats(peers));
        const held = peers.filter((v) => isImplausible(v, limit)).length;
        expect(held).toBeLessThanOrEqual(Math.floor(peers.length / 10));
      }),
    );
  });

  it("publishes any value within ten times the 9th decile (property)", () => {
    fc.assert(
      fc.property(counts(MIN_PEERS, 200), (peers) => {
        const stats = peerStats(peers);
        const within = OUTLIER_FACTOR * Math.max(stats?.decile9 ?? 0, 1);
        expect(isImplausible(within, reviewLimit(peerStats([...peers, within])))).toBe(false);
      }),
    );
  });

  it("leaves no value that is published able to dominate a cell of 100 schools or more (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 99, maxLength: 600 }),
        fc.integer({ min: 0, max: 1_000_000_000 }),
        (others, candidate) => {
          const all = [...others, candidate];
          const limit = reviewLimit(peerStats(all));
          fc.pre(!isImplausible(candidate, limit));
          const sum = all.reduce((a, b) => a + b, 0);
          const status = primaryStatus({
            id: "academy",
            units: all.length,
            numerator: sum,
            largestUnitNumerator: Math.max(...all),
          });
          expect(status).not.toBe("suppressed-dominance");
        },
      ),
    );
  });
});
