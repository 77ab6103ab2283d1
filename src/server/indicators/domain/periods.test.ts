import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  containingPeriod,
  dateOfDayNumber,
  dayNumber,
  isoWeeksInYear,
  parsePeriod,
  period,
  periodDays,
  periodOfTypeContaining,
  periodsWithin,
  previousPeriod,
  samePeriodPreviousYear,
} from "./periods.ts";

describe("parsePeriod", () => {
  it("parses the five kinds with their bounds", () => {
    expect(period("2024-2025")).toEqual({
      type: "school_year",
      id: "2024-2025",
      start: "2024-09-01",
      end: "2025-08-31",
    });
    expect(period("2024")).toEqual({ type: "year", id: "2024", start: "2024-01-01", end: "2024-12-31" });
    expect(period("2024-02")).toEqual({
      type: "month",
      id: "2024-02",
      start: "2024-02-01",
      end: "2024-02-29",
    });
    expect(period("2024-W37")).toEqual({
      type: "week",
      id: "2024-W37",
      start: "2024-09-09",
      end: "2024-09-15",
    });
    expect(period("2024-09-02")).toEqual({
      type: "day",
      id: "2024-09-02",
      start: "2024-09-02",
      end: "2024-09-02",
    });
  });
  it("explains rejections in French", () => {
    expect(parsePeriod("2024-2026")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("seconde année"),
    });
    expect(parsePeriod("2024-13")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("hors de 01 à 12"),
    });
    expect(parsePeriod("2024-W53")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("52 semaines"),
    });
    expect(parsePeriod("2023-02-29")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("inexistante"),
    });
    expect(parsePeriod("sept. 2024")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("formats attendus"),
    });
    expect(() => period("2024-00")).toThrow(/mois/);
  });
  it("knows 53-week ISO years", () => {
    expect(isoWeeksInYear(2020)).toBe(53);
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2024)).toBe(52);
    expect(period("2020-W53")).toMatchObject({ start: "2020-12-28", end: "2021-01-03" });
    expect(period("2025-W01")).toMatchObject({ start: "2024-12-30", end: "2025-01-05" });
  });
});

describe("number of days", () => {
  it("counts leap years and months", () => {
    expect(periodDays(period("2023-2024"))).toBe(366); // contains 29 February 2024
    expect(periodDays(period("2024-2025"))).toBe(365);
    expect(periodDays(period("2024"))).toBe(366);
    expect(periodDays(period("2024-02"))).toBe(29);
    expect(periodDays(period("2024-W37"))).toBe(7);
    expect(periodDays(period("2024-09-02"))).toBe(1);
  });
});

describe("containingPeriod", () => {
  it("puts days, months and weeks in school and civil years", () => {
    expect(containingPeriod(period("2024-09-01"), "school_year").id).toBe("2024-2025");
    expect(containingPeriod(period("2024-08-31"), "school_year").id).toBe("2023-2024");
    expect(containingPeriod(period("2025-03"), "school_year").id).toBe("2024-2025");
    expect(containingPeriod(period("2025-03"), "year").id).toBe("2025");
    expect(containingPeriod(period("2024-09-02"), "week").id).toBe("2024-W36");
    expect(containingPeriod(period("2024-09-02"), "month").id).toBe("2024-09");
  });
  it("assigns a straddling ISO week by its Thursday", () => {
    // 2024-W35: Monday 26 → Sunday 1 September; Thursday 29 August → August, school year 2023-2024.
    expect(containingPeriod(period("2024-W35"), "month").id).toBe("2024-08");
    expect(containingPeriod(period("2024-W35"), "school_year").id).toBe("2023-2024");
    // 2025-W01: Monday 30 December 2024 → Sunday 5 January 2025; Thursday 2 January → 2025.
    expect(containingPeriod(period("2025-W01"), "year").id).toBe("2025");
    expect(containingPeriod(period("2025-W01"), "month").id).toBe("2025-01");
    // 2020-W53: Thursday 31 December 2020.
    expect(containingPeriod(period("2020-W53"), "year").id).toBe("2020");
  });
  it("refuses a coarser or non-nested type", () => {
    expect(() => containingPeriod(period("2024-09"), "week")).toThrow(/n'est pas contenu/);
    expect(() => containingPeriod(period("2024"), "school_year")).toThrow(/n'est pas contenu/);
  });
  it("lists the months of a school year and the weeks of a month", () => {
    expect(periodsWithin(period("2024-2025"), "month").map((p) => p.id)).toEqual([
      "2024-09",
      "2024-10",
      "2024-11",
      "2024-12",
      "2025-01",
      "2025-02",
      "2025-03",
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
    ]);
    expect(periodsWithin(period("2024-08"), "week").map((p) => p.id)).toEqual([
      "2024-W31",
      "2024-W32",
      "2024-W33",
      "2024-W34",
      "2024-W35",
    ]);
    expect(periodsWithin(period("2024-W37"), "day")).toHaveLength(7);
  });
  it("every week belongs to exactly one month of its Thursday (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber("2000-01-01"), max: dayNumber("2060-12-31") }), (d) => {
        const week = periodOfTypeContaining("week", dateOfDayNumber(d));
        const month = containingPeriod(week, "month");
        const weeks = periodsWithin(month, "week").map((p) => p.id);
        expect(weeks.filter((id) => id === week.id)).toHaveLength(1);
        expect(periodDays(week)).toBe(7);
      }),
    );
  });
});

describe("previous periods", () => {
  it("steps back one period", () => {
    expect(previousPeriod(period("2024-2025")).id).toBe("2023-2024");
    expect(previousPeriod(period("2024")).id).toBe("2023");
    expect(previousPeriod(period("2024-01")).id).toBe("2023-12");
    expect(previousPeriod(period("2024-W01")).id).toBe("2023-W52");
    expect(previousPeriod(period("2021-W01")).id).toBe("2020-W53");
    expect(previousPeriod(period("2024-03-01")).id).toBe("2024-02-29");
  });
  it("finds the same period a year earlier", () => {
    expect(samePeriodPreviousYear(period("2024-2025")).id).toBe("2023-2024");
    expect(samePeriodPreviousYear(period("2024-09")).id).toBe("2023-09");
    expect(samePeriodPreviousYear(period("2021-W52")).id).toBe("2020-W52");
    expect(samePeriodPreviousYear(period("2026-W53")).id).toBe("2025-W52");
    expect(samePeriodPreviousYear(period("2024-02-29")).id).toBe("2023-02-28");
  });
  it("round-trips ids and chains without gaps (property)", () => {
    const ids = fc.oneof(
      fc.integer({ min: 1990, max: 2090 }).map((y) => `${y}-${y + 1}`),
      fc.integer({ min: 1990, max: 2090 }).map(String),
      fc
        .tuple(fc.integer({ min: 1990, max: 2090 }), fc.integer({ min: 1, max: 12 }))
        .map(([y, m]) => `${y}-${String(m).padStart(2, "0")}`),
      fc
        .tuple(fc.integer({ min: 1990, max: 2090 }), fc.integer({ min: 1, max: 52 }))
        .map(([y, w]) => `${y}-W${String(w).padStart(2, "0")}`),
      fc.integer({ min: dayNumber("1990-01-01"), max: dayNumber("2090-12-31") }).map(dateOfDayNumber),
    );
    fc.assert(
      fc.property(ids, (id) => {
        const p = period(id);
        expect(p.id).toBe(id);
        const prev = previousPeriod(p);
        expect(prev.type).toBe(p.type);
        expect(dayNumber(prev.end) + 1).toBe(dayNumber(p.start));
      }),
    );
  });
});
