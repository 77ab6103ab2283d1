import { describe, expect, it } from "vitest";
import type { Objective } from "../../contracts/roadmaps.ts";
import {
  disaggregationText,
  evaluateObjective,
  rollup,
  type SeriesPoint,
  seriesRequestOf,
} from "./evaluation.ts";

const point = (period: string, value: number | null, status = "published"): SeriesPoint => ({
  period,
  value,
  numerator: null,
  denominator: null,
  coverage: null,
  status,
});

function objective(fields: Partial<Objective>): Objective {
  return {
    id: "o",
    indicatorCode: "pix_certification_rate",
    territory: { level: "academy", code: "04", name: "Bordeaux" },
    mode: "level",
    target: 80,
    unit: "%",
    comparator: ">=",
    perYear: false,
    ...fields,
  } as Objective;
}

describe("objective evaluation", () => {
  it("takes the latest value up to the deadline, of the objective's kind of year", () => {
    const o = objective({ schoolYear: "2025-2026", baseline: { value: 40, schoolYear: "2023-2024" } });
    const r = evaluateObjective(o, [
      point("2023-2024", 40),
      point("2024", 99),
      point("2024-2025", 60),
      point("2026-2027", 90),
    ]);
    expect(r.current).toEqual({ period: "2024-2025", value: 60 });
    expect(r.status).toBe("on_track");
    expect(r.progress).toBeCloseTo(0.5);
  });

  it("judges on the first value after the deadline when none comes before", () => {
    const r = evaluateObjective(objective({ year: 2021 }), [point("2023", 50), point("2024", 85)]);
    expect(r.current).toEqual({ period: "2023", value: 50 });
    expect(r.status).toBe("late");
  });

  it("uses the civil years when the series has no school year (and the reverse)", () => {
    const r = evaluateObjective(objective({ schoolYear: "2026-2027" }), [point("2025", 81)]);
    expect(r).toMatchObject({ status: "reached", progress: 1, current: { period: "2025" } });
  });

  it("computes the value to reach of an increase over the baseline", () => {
    const o = objective({
      year: 2026,
      mode: "increase_percent",
      target: 20,
      baseline: { value: 100, year: 2023 },
      unit: "connexions",
    });
    const r = evaluateObjective(o, [point("2025", 115)]);
    expect(r.targetValue).toBeCloseTo(120);
    expect(r.status).toBe("on_track");
    expect(
      evaluateObjective(objective({ year: 2026, mode: "increase_percent", target: 20 }), []).targetValue,
    ).toBeNull();
  });

  it("follows the comparator: at most, equal", () => {
    expect(
      evaluateObjective(objective({ year: 2025, comparator: "<=", target: 5 }), [point("2025", 4)]).status,
    ).toBe("reached");
    expect(
      evaluateObjective(objective({ year: 2025, comparator: "<=", target: 5 }), [point("2025", 7)]).status,
    ).toBe("late");
    expect(
      evaluateObjective(objective({ year: 2025, comparator: "=", target: 2 }), [point("2025", 2)]).status,
    ).toBe("reached");
  });

  it("has no data without a value; suppressed values count only for entitled viewers", () => {
    expect(evaluateObjective(objective({ year: 2025 }), [point("2025", null)]).status).toBe("no_data");
    const secret = [point("2025", 90, "suppressed-frequency")];
    expect(evaluateObjective(objective({ year: 2025 }), secret).status).toBe("no_data");
    expect(evaluateObjective(objective({ year: 2025 }), secret, true).status).toBe("reached");
  });

  it("reads the series of the objective's territory and disaggregation (canonical text)", () => {
    expect(disaggregationText({ level: "troisieme", b: "x" })).toBe("b=x,level=troisieme");
    expect(seriesRequestOf(objective({ year: 2025, disaggregation: { level: "troisieme" } }))).toMatchObject({
      key: "pix_certification_rate|academy:04|level=troisieme",
      node: { level: "academy", code: "04" },
      disaggregation: "level=troisieme",
    });
  });
});

describe("roll-up", () => {
  it("no objective: no status; all without data: sans donnée; one late: late; all reached: reached", () => {
    expect(rollup([])).toMatchObject({ status: null, total: 0, reachedShare: null });
    expect(rollup(["no_data", "no_data"]).status).toBe("no_data");
    expect(rollup(["reached", "late", "no_data"]).status).toBe("late");
    expect(rollup(["reached", "reached"])).toMatchObject({ status: "reached", reachedShare: 1 });
    expect(rollup(["reached", "no_data"])).toMatchObject({ status: "on_track", reachedShare: 0.5 });
    expect(rollup(["on_track", "reached", "on_track", "no_data"]).counts).toEqual({
      reached: 1,
      on_track: 2,
      late: 0,
      no_data: 1,
    });
  });
});
