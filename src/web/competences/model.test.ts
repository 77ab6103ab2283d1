import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IndicatorCell } from "../../contracts/indicators.ts";
import { competencesSearch, heatStep, parseCompetencesParams } from "./model.ts";

const cell = (value: number | null, status: IndicatorCell["status"] = "published") =>
  ({ value, status, restricted: false }) as IndicatorCell;

describe("competences page model", () => {
  it("reads back the parameters it writes", () => {
    const p = { territory: "academy:04", period: "2024-2025", level: "terminale" as const };
    expect(parseCompetencesParams(new URLSearchParams(competencesSearch(p)))).toEqual(p);
    expect(parseCompetencesParams(new URLSearchParams("niveau=cm2")).level).toBe("");
  });

  it("puts every shown value on a step of 0 to 4, higher values never lower, hidden ones nowhere", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const sl = heatStep(cell(lo), "targetRate") as number;
          const sh = heatStep(cell(hi), "targetRate") as number;
          expect(sl).toBeGreaterThanOrEqual(0);
          expect(sh).toBeLessThanOrEqual(4);
          expect(sh).toBeGreaterThanOrEqual(sl);
        },
      ),
    );
    expect(heatStep(cell(8), "meanLevel")).toBe(4);
    expect(heatStep(cell(42, "suppressed-frequency"), "targetRate")).toBeNull();
    expect(heatStep(cell(null), "meanLevel")).toBeNull();
  });
});
