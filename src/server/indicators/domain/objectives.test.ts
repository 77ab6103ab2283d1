import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectedValue, objectiveStatus, sumTargets, yearOf } from "./objectives.ts";

describe("objectiveStatus, hand-computed", () => {
  // Baseline 40 % in 2020, target 80 % in 2024: +10 points a year; slack 5 % × 40 = 2 points.
  const base = { baseline: { value: 40, year: 2020 }, target: { value: 80, year: 2024 } };
  const higher = (value: number, year: number) =>
    objectiveStatus({ ...base, current: { value, year }, direction: "higher_is_better" });

  it("follows the linear trajectory with its tolerance", () => {
    expect(expectedValue(base.baseline, base.target, 2022)).toBe(60);
    expect(higher(58, 2022)).toBe("on_track"); // 60 − 2
    expect(higher(57.9, 2022)).toBe("late");
    expect(higher(80, 2022)).toBe("reached");
    expect(higher(79, 2024)).toBe("late"); // deadline passed
    expect(higher(81, 2026)).toBe("reached");
    expect(objectiveStatus({ ...base, current: null, direction: "higher_is_better" })).toBe("no_data");
    expect(
      objectiveStatus({
        ...base,
        current: { value: 57.9, year: 2022 },
        direction: "higher_is_better",
        tolerance: 0.1,
      }),
    ).toBe("on_track");
  });

  it("handles lower-is-better and target directions", () => {
    // 20 in 2021 → 10 in 2025: expected 15 in 2023, slack 0.5.
    const lower = (value: number) =>
      objectiveStatus({
        baseline: { value: 20, year: 2021 },
        target: { value: 10, year: 2025 },
        current: { value, year: 2023 },
        direction: "lower_is_better",
      });
    expect(lower(15.5)).toBe("on_track");
    expect(lower(15.6)).toBe("late");
    expect(lower(10)).toBe("reached");
    // Keep close to 5, from 2 in 2021, by 2025: expected 3.5 in 2023, slack 0.15.
    const aim = (value: number) =>
      objectiveStatus({
        baseline: { value: 2, year: 2021 },
        target: { value: 5, year: 2025 },
        current: { value, year: 2023 },
        direction: "target",
      });
    expect(aim(4.9)).toBe("reached");
    expect(aim(3.6)).toBe("on_track"); // 1.4 from the target ≤ 1.5 + 0.15
    expect(aim(3)).toBe("late");
  });

  it("reads years and school years", () => {
    expect(yearOf("2024-2025")).toBe(2024);
    expect(yearOf(2021)).toBe(2021);
    expect(() => yearOf("2024/25")).toThrow(/non reconnue/);
  });

  it("a value at or above the trajectory is never late before the deadline (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 100 }),
        (b, gain, span, elapsed, extra) => {
          fc.pre(elapsed < span);
          const baseline = { value: b, year: 2020 };
          const target = { value: b + gain, year: 2020 + span };
          const year = 2020 + elapsed;
          const value = expectedValue(baseline, target, year) + extra;
          const s = objectiveStatus({
            baseline,
            target,
            current: { value, year },
            direction: "higher_is_better",
          });
          expect(["on_track", "reached"]).toContain(s);
        },
      ),
    );
  });
});

describe("sumTargets", () => {
  it("adds count targets and refuses ratios", () => {
    const targets = [
      { territory: "024", target: 80 },
      { territory: "033", target: 60 },
    ];
    expect(sumTargets({ code: "certified_teachers", kind: "count" }, targets)).toBe(140);
    expect(() => sumTargets({ code: "ent_activation_rate", kind: "ratio" }, targets)).toThrow(
      /ne s'additionnent pas/,
    );
    expect(() => sumTargets({ code: "mean_pix_score", kind: "mean" }, targets)).toThrow(
      /ne s'additionnent pas/,
    );
  });
});
