import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { echo, FirstLines } from "./import-values.ts";

describe("FirstLines", () => {
  it("remembers the first line of each key like a Map, through its growths (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.maxSafeNat()), { maxLength: 3000 }),
        (keys) => {
          const table = new FirstLines(4);
          const reference = new Map<number, number>();
          keys.forEach((key, line) => {
            const expected = reference.get(key);
            if (expected === undefined) reference.set(key, line);
            expect(table.firstOrSet(key, line)).toBe(expected);
          });
          expect(table.size).toBe(reference.size);
        },
      ),
    );
  });
});

describe("echo", () => {
  it("quotes at most 80 characters of a cell, then « … »", () => {
    expect(echo("abc")).toBe("abc");
    expect(echo("x".repeat(80))).toBe("x".repeat(80));
    expect(echo("x".repeat(81))).toBe(`${"x".repeat(80)}…`);
  });
});
