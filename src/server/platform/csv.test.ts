import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CSV_BOM, csvCell, csvDocument, csvLine } from "./csv.ts";

describe("CSV output", () => {
  it("neutralises cells a spreadsheet would evaluate", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+33 5 56 00 00 00")).toBe("'+33 5 56 00 00 00");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("Normal = texte")).toBe("Normal = texte");
    // A number stays a number
    expect(csvCell(-3)).toBe("-3");
  });

  it("quotes separators, quotes and line breaks; writes dates in ISO 8601 and objects in JSON", () => {
    expect(csvCell('a;b"c')).toBe('"a;b""c"');
    expect(csvCell("ligne\nsuivante")).toBe('"ligne\nsuivante"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2026-01-15T10:00:00Z"))).toBe("2026-01-15T10:00:00.000Z");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvLine(["a", 1, null])).toBe("a;1;\r\n");
    expect(csvDocument(["x", "y"], [["1", "2"]])).toBe(`${CSV_BOM}x;y\r\n1;2\r\n`);
  });

  it("reads back as written, apart from the neutralising apostrophe", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 5 }),
        (rows) => {
          const text = csvDocument(["a", "b"], rows);
          const back = parse(text, { delimiter: ";", bom: true, relax_column_count: true }) as string[][];
          const expected = rows.map((row) =>
            row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)),
          );
          expect(back.slice(1)).toEqual(expected);
        },
      ),
    );
  });
});
