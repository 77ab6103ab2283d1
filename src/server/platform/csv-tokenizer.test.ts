import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvRecord, CsvTokenizer, detectSeparator } from "./csv-tokenizer.ts";

function tokenize(text: string | string[], separator = ";"): CsvRecord[] {
  const records: CsvRecord[] = [];
  const tokenizer = new CsvTokenizer(separator, (r) => records.push(r));
  for (const chunk of Array.isArray(text) ? text : [text]) tokenizer.push(chunk);
  tokenizer.end();
  return records;
}

describe("CsvTokenizer", () => {
  it("splits on the separator and keeps a quoted separator inside its field", () => {
    const [record] = tokenize('0350001L;"Collège; site Nord";Rennes\r\n');
    expect(record?.fields).toEqual(["0350001L", "Collège; site Nord", "Rennes"]);
  });

  it("reads doubled quotes as one quote", () => {
    expect(tokenize('a;"Ecole ""des Lices""";b')[0]?.fields).toEqual(["a", 'Ecole "des Lices"', "b"]);
  });

  it("gives the physical line where each record starts, with CRLF, LF, lone CR and quoted line breaks", () => {
    const records = tokenize('h1;h2\r\n1;"a\r\nb"\r\n\r\n2;x\n3;"c\nd\re"\r4;y');
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ["h1", "h2"]],
      [2, ["1", "a\r\nb"]],
      [4, [""]],
      [5, ["2", "x"]],
      [6, ["3", "c\nd\re"]],
      [9, ["4", "y"]],
    ]);
  });

  it("adds no record for a final line break, and flushes a last line without one", () => {
    expect(tokenize("a;b\r\n")).toHaveLength(1);
    expect(tokenize("a;b\r\nc;d").map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("flags a quote left open at the end of the file instead of throwing", () => {
    const records = tokenize('a;b\n1;"never closed;x\n2;y\n');
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({
      line: 2,
      unterminatedQuote: true,
      fields: ["1", "never closed;x\n2;y\n"],
    });
  });

  it("treats a quote inside an unquoted field as a character, and keeps text after a closing quote", () => {
    expect(tokenize('l\'école "A";"B"C')[0]?.fields).toEqual(['l\'école "A"', "BC"]);
  });

  it("gives the same records however the text is cut into chunks", () => {
    const text = 'h;i\r\n1;"a;\r\n""b"""\r\n2;x\r3;"y"\n;\n';
    const whole = tokenize(text);
    fc.assert(
      fc.property(fc.array(fc.nat(text.length), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let previous = 0;
        for (const p of [...points, text.length]) {
          chunks.push(text.slice(previous, p));
          previous = p;
        }
        expect(tokenize(chunks)).toEqual(whole);
      }),
    );
  });
});

describe("detectSeparator", () => {
  it("prefers ; and recognises , and tab, ignoring separators inside quotes", () => {
    expect(detectSeparator("a;b;c")).toBe(";");
    expect(detectSeparator('a,b,"c;d;e;f"')).toBe(",");
    expect(detectSeparator("a\tb\tc")).toBe("\t");
    expect(detectSeparator("uai")).toBe(";");
  });
});
