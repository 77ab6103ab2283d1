import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentCell, periodBounds, pixDay, pupilKeyer, RecordStore, schoolYearOf } from "./pix-common.ts";

describe("Pix cells and periods", () => {
  it("reads both Pix date formats, refuses impossible days", () => {
    expect(pixDay("2021-03-02")).toBe("2021-03-02");
    expect(pixDay("14/10/2025 10:12")).toBe("2025-10-14");
    expect(pixDay("15/04/2026")).toBe("2026-04-15");
    expect(pixDay("29/02/2025")).toBe("invalid");
    expect(pixDay("14/10/2025 25:00")).toBe("invalid");
    expect(pixDay("NA")).toBeNull();
    expect(schoolYearOf("2025-08-31")).toBe("2024-2025");
    expect(schoolYearOf("2025-09-01")).toBe("2025-2026");
    expect(periodBounds("2024-2025")).toEqual(["2024-09-01", "2025-08-31"]);
    expect(periodBounds("2024-02")).toEqual(["2024-02-01", "2024-02-29"]);
    expect(periodBounds("2024-W01")).toEqual(["2024-01-01", "2024-01-07"]);
    expect(percentCell("0,67")).toBe(67);
    expect(percentCell("67 %")).toBe(67);
    expect(percentCell("1,5")).toBe("invalid");
  });
});

describe("RecordStore and the one-way keys", () => {
  it("gives back every record as written (32-bit, 4-bit and 16-bit slots), past its growths", () => {
    const wide = fc.integer({ min: -1000, max: 2_000_000 });
    fc.assert(
      fc.property(
        fc.constantFrom<4 | 16>(4, 16),
        fc.array(
          fc.tuple(wide, wide, fc.array(fc.integer({ min: -1, max: 14 }), { minLength: 5, maxLength: 5 })),
          {
            minLength: 1,
            maxLength: 300,
          },
        ),
        (bits, records) => {
          const store = new RecordStore(7, 2, bits);
          const key = pupilKeyer();
          for (const [i, [a, b, narrow]] of records.entries())
            store.set(store.add(key([String(i)]), i + 2), [a, b, ...narrow]);
          records.forEach(([a, b, narrow], i) => {
            const r = store.find(key([String(i)]));
            expect(r).toBe(i);
            expect(Array.from(store.slots(r as number))).toEqual([a, b, ...narrow]);
            expect(store.firstLine(r as number)).toBe(i + 2);
          });
          expect(store.find(key(["absent"]))).toBeUndefined();
          expect(store.find(null)).toBeUndefined();
        },
      ),
      { numRuns: 40 },
    );
  });

  it("keys depend on the import's salt: the same name gives other keys in another import", () => {
    const a = pupilKeyer();
    const b = pupilKeyer();
    expect(a(["Martin", "Léa"]).equals(a(["MARTIN ", "léa"]))).toBe(true);
    expect(a(["Martin", "Léa"]).equals(a(["Martin", "Lea"]))).toBe(true);
    expect(a(["Martin", "Léa"]).equals(b(["Martin", "Léa"]))).toBe(false);
    expect(a(["Martin", "Léa"]).equals(a(["Martin", "Léo"]))).toBe(false);
  });
});
