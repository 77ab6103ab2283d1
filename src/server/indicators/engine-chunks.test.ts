import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { indicatorChunks } from "./engine.ts";

type Row = Parameters<typeof indicatorChunks>[1][number];
const row = (indicator: string, i: number) =>
  ({ indicator_code: indicator, node_code: String(i) }) as unknown as Row;

describe("an académie's aggregates cut into transactions", () => {
  it("keeps each indicator whole, writes every row once and names every indicator once", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(40), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 60 }),
        (sizes, max) => {
          const codes = sizes.map((_, i) => `ind${i}`);
          const rows = sizes.flatMap((n, i) => Array.from({ length: n }, (_, k) => row(`ind${i}`, k)));
          const chunks = indicatorChunks(codes, rows, max);
          // Every indicator in exactly one chunk, with all its rows (its deletion and insertion together).
          expect(chunks.flatMap((c) => c.codes).sort()).toEqual([...codes].sort());
          expect(chunks.reduce((n, c) => n + c.rows.length, 0)).toBe(rows.length);
          for (const c of chunks) {
            for (const r of c.rows) expect(c.codes).toContain(r.indicator_code);
            // Above the limit only when a single indicator alone is larger.
            if (c.rows.length > max) expect(c.codes).toHaveLength(1);
          }
        },
      ),
    );
  });

  it("gives one transaction when the académie is small", () => {
    expect(indicatorChunks(["a", "b"], [row("a", 1), row("b", 1)])).toHaveLength(1);
  });
});
