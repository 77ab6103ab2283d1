import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../../contracts/confidentiality.ts";
import { IPS_BAND_SCHOOL, ipsPeersOf, type PeerFigures, peerGroupValue } from "./comparisons.ts";

const RATE = { factor: 100, hasDenominator: true, thresholds: DEFAULT_THRESHOLDS };
const school = (numerator: number | null, denominator: number | null): PeerFigures => ({
  numerator,
  denominator,
  schools: 1,
});

describe("similar-IPS peers, hand-computed", () => {
  it("takes the other units within ±5 points, both ends included, never the node itself", () => {
    const units = [
      { id: "self", ips: 100 },
      { id: "a", ips: 95 },
      { id: "b", ips: 105 },
      { id: "c", ips: 105.1 },
      { id: "d", ips: 94.9 },
      { id: "e", ips: null },
      { id: "f", ips: 101.3 },
    ];
    expect(ipsPeersOf(units[0] as (typeof units)[0], units, IPS_BAND_SCHOOL).map((u) => u.id)).toEqual([
      "a",
      "b",
      "f",
    ]);
    expect(ipsPeersOf({ id: "x", ips: null }, units, IPS_BAND_SCHOOL)).toEqual([]);
  });

  it("is Σ numerator / Σ denominator of the peers, not the mean of their rates", () => {
    // 10/100, 90/300, 30/50, 20/100, 40/200: 190 / 750 = 25.33 % (the rates' mean would be 28 %).
    const peers = [school(10, 100), school(90, 300), school(30, 50), school(20, 100), school(40, 200)];
    const r = peerGroupValue(peers, RATE);
    expect(r.status).toBe("published");
    expect(r.peers).toBe(5);
    expect(r.reference).toBeCloseTo((190 / 750) * 100, 10);
  });

  it("shows no value under 5 schools or 10 people, nor when one peer brings more than 85 % of the numerator", () => {
    const four = [school(10, 100), school(90, 300), school(30, 50), school(20, 100)];
    expect(peerGroupValue(four, RATE)).toEqual({
      reference: null,
      peers: 4,
      schools: 4,
      status: "suppressed-frequency",
    });
    // A peer without a value is not a peer: still four.
    expect(peerGroupValue([...four, school(null, 100)], RATE).status).toBe("suppressed-frequency");
    const fewPeople = [1, 2, 3, 4, 5].map((): PeerFigures => ({ ...school(1, 2), people: 1 }));
    expect(peerGroupValue(fewPeople, RATE).status).toBe("suppressed-frequency");
    // 900 of 1 000 = 90 % from one school.
    const dominated = [school(900, 1000), school(25, 100), school(25, 100), school(25, 100), school(25, 100)];
    expect(peerGroupValue(dominated, RATE)).toMatchObject({
      reference: null,
      status: "suppressed-dominance",
    });
    // Exactly 85 % is published.
    const edge = [school(85, 100), school(5, 100), school(5, 100), school(5, 100), school(0, 100)];
    expect(peerGroupValue(edge, RATE)).toMatchObject({ status: "published", reference: 20 });
  });

  it("takes the peers' mean for a count, not their sum (one unit against several)", () => {
    const days = [120, 80, 100, 60, 140].map((n) => ({ numerator: n, denominator: null, schools: 10 }));
    const r = peerGroupValue(days, { factor: 1, hasDenominator: false, thresholds: DEFAULT_THRESHOLDS });
    expect(r).toMatchObject({ reference: 100, peers: 5, status: "published" });
  });

  it("counts the schools behind territories: two published départements of 40 and 3 schools make a published group", () => {
    const departments = [
      { numerator: 300, denominator: 1000, schools: 40 },
      { numerator: 20, denominator: 100, schools: 3 },
    ];
    // 300 of 320 is 94 % from one département: harmless, both cells are public already.
    expect(peerGroupValue(departments, RATE).status).toBe("suppressed-dominance");
    const r = peerGroupValue(departments, { ...RATE, unitsArePublished: true });
    expect(r).toMatchObject({ peers: 2, schools: 43, status: "published" });
    expect(r.reference).toBeCloseTo((320 / 1100) * 100, 10);
  });
});

const unitArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  ips: fc.option(fc.double({ min: 40, max: 180, noNaN: true }), { nil: null }),
});

const figuresArb = fc.record({
  numerator: fc.option(fc.nat({ max: 1000 }), { nil: null }),
  denominator: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null }),
  schools: fc.constant(1),
});

describe("similar-IPS peers, properties", () => {
  it("peers are within the band, never the node, and the relation is symmetric", () => {
    fc.assert(
      fc.property(fc.uniqueArray(unitArb, { selector: (u) => u.id, maxLength: 40 }), (units) => {
        for (const a of units) {
          const peers = ipsPeersOf(a, units, IPS_BAND_SCHOOL);
          for (const p of peers) {
            expect(p.id).not.toBe(a.id);
            expect(Math.abs((p.ips as number) - (a.ips as number))).toBeLessThanOrEqual(
              IPS_BAND_SCHOOL + 1e-9,
            );
          }
          for (const b of units) {
            if (a.id === b.id) continue;
            const ab = ipsPeersOf(a, units, IPS_BAND_SCHOOL).includes(b);
            const ba = ipsPeersOf(b, units, IPS_BAND_SCHOOL).includes(a);
            expect(ab).toBe(ba);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("the peers' value does not depend on their order, and is null whenever the group is below the threshold", () => {
    fc.assert(
      fc.property(fc.array(figuresArb, { maxLength: 30 }), fc.integer(), (peers, seed) => {
        const shuffled =
          fc.sample(fc.shuffledSubarray(peers, { minLength: peers.length }), { seed, numRuns: 1 })[0] ??
          peers;
        const a = peerGroupValue(peers, RATE);
        const b = peerGroupValue(shuffled, RATE);
        expect(b.status).toBe(a.status);
        expect(b.peers).toBe(a.peers);
        if (a.reference === null) expect(b.reference).toBeNull();
        else expect(b.reference).toBeCloseTo(a.reference, 9);
        const withValue = peers.filter((p) => p.numerator !== null && p.denominator !== null);
        expect(a.peers).toBe(withValue.length);
        if (withValue.length < DEFAULT_THRESHOLDS.minUnits) expect(a.reference).toBeNull();
        if (a.status !== "published") expect(a.reference).toBeNull();
        // Published: no peer brings more than 85 % of the numerator.
        const total = withValue.reduce((s, p) => s + (p.numerator as number), 0);
        if (a.status === "published" && total > 0)
          for (const p of withValue) expect((p.numerator as number) / total).toBeLessThanOrEqual(0.85);
      }),
      { numRuns: 200 },
    );
  });
});
