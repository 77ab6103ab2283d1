import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANNUAIRE_2023_COLUMNS, ANNUAIRE_2026_COLUMNS } from "./columns.ts";
import { AnnuaireFormatError } from "./errors.ts";
import { parseAnnuaire } from "./parse.ts";

/** Characters that drive the CSV state machine, plus a few ordinary ones and a UAI-looking fragment. */
const csvish = fc.string({
  unit: fc.constantFrom(";", '"', "\r", "\n", "a", "é", "0", "035", "0350001L", " "),
  maxLength: 400,
});

describe("parseAnnuaire never crashes", () => {
  it("returns a report or throws an AnnuaireFormatError on arbitrary bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        try {
          const parsed = await parseAnnuaire(bytes);
          expect(parsed.read).toBe(parsed.records.length + parsed.rejected.length + parsed.duplicates.length);
        } catch (error) {
          expect(error).toBeInstanceOf(AnnuaireFormatError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("always returns a report, accounting for every row, after a valid header", async () => {
    const headers = [
      ANNUAIRE_2023_COLUMNS.join(";"),
      ANNUAIRE_2026_COLUMNS.join(";"),
      "UAI;Nom_etablissement",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...headers),
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }),
          csvish.map((s) => new Uint8Array(Buffer.from(s))),
        ),
        async (header, body) => {
          const parsed = await parseAnnuaire(Buffer.concat([Buffer.from(`${header}\r\n`), body]));
          expect(parsed.read).toBe(parsed.records.length + parsed.rejected.length + parsed.duplicates.length);
          for (const r of [...parsed.rejected, ...parsed.duplicates])
            expect(r.line).toBeGreaterThanOrEqual(2);
          for (const r of parsed.rejected) expect(r.reason.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
