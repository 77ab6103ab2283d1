import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { indexCatalogue } from "./catalogue.ts";
import { loadIndicatorCatalogue } from "./catalogue-file.ts";
import { period, periodsWithin } from "./domain/periods.ts";
import { aggregateOverTime } from "./domain/time-aggregation.ts";
import { aggregateYear, SeriesIndex } from "./series-index.ts";

/** The engine's shortcut for school years equals the domain's aggregation over time. */
describe("aggregateYear", () => {
  const year = period("2024-2025");
  const months = periodsWithin(year, "month");

  it("gives the domain's sum, first and last over any months of the school year", () => {
    fc.assert(
      fc.property(
        fc.subarray(months, { minLength: 1 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 12, maxLength: 12 }),
        fc.constantFrom("sum", "first", "last", "average_over_days" as const),
        (chosen, numbers, aggregation) => {
          const values = chosen.map((p, i) => ({ period: p, value: numbers[i] as number }));
          const expected = aggregateOverTime(values, year, aggregation).value;
          const actual = aggregateYear(values, year, aggregation);
          expect(actual).toBeCloseTo(expected as number, 9);
        },
      ),
    );
  });

  it("derives the school year of monthly rows, and keeps a value stored for the year itself", async () => {
    const catalogue = indexCatalogue(await loadIndicatorCatalogue());
    const rows = [
      {
        school_id: "1",
        data_element_code: "ent_connections",
        period: "2024-09",
        disaggregation: "",
        value: 10,
      },
      {
        school_id: "1",
        data_element_code: "ent_connections",
        period: "2024-10",
        disaggregation: "",
        value: 20,
      },
      {
        school_id: "2",
        data_element_code: "ent_connections",
        period: "2024-09",
        disaggregation: "",
        value: 5,
      },
      {
        school_id: "2",
        data_element_code: "ent_connections",
        period: "2024-2025",
        disaggregation: "",
        value: 99,
      },
      // `last` over time: the later month wins whatever the order of the rows.
      { school_id: "1", data_element_code: "ent_accounts", period: "2025-03", disaggregation: "", value: 7 },
      { school_id: "1", data_element_code: "ent_accounts", period: "2024-11", disaggregation: "", value: 3 },
    ];
    const index = SeriesIndex.fromRows(rows, catalogue);
    const series = (element: string) => ({ element, disaggregation: "", aggregation: "sum" as const });
    expect(index.lookup(series("ent_connections"), "2024-2025", "1")).toBe(30);
    expect(index.lookup(series("ent_connections"), "2024-2025", "2")).toBe(99);
    expect(index.lookup(series("ent_accounts"), "2024-2025", "1")).toBe(7);
    expect(index.periodsOf(series("ent_connections")).sort()).toEqual(["2024-09", "2024-10", "2024-2025"]);
  });
});
