import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { createDecoder, detectEncoding } from "./encoding.ts";

const text = "Identifiant;Nom\r\n0350003N;École élémentaire « Fougères » – Pacé\r\n";

describe("detectEncoding", () => {
  it("recognises UTF-8 with and without BOM, and Windows-1252", () => {
    expect(detectEncoding(Buffer.from(`\uFEFF${text}`, "utf8")).encoding).toBe("utf-8-bom");
    expect(detectEncoding(Buffer.from(text, "utf8")).encoding).toBe("utf-8");
    expect(detectEncoding(iconv.encode(text, "win1252")).encoding).toBe("windows-1252");
    expect(detectEncoding(Buffer.from("uai;nom\n", "ascii")).encoding).toBe("utf-8");
  });
});

describe("createDecoder", () => {
  it("decodes UTF-8 cut in the middle of a character and drops the BOM", () => {
    const bytes = Buffer.from(`\uFEFF${text}`, "utf8");
    const decoder = createDecoder("utf-8-bom");
    let out = "";
    for (let i = 0; i < bytes.length; i += 3) out += decoder.write(bytes.subarray(i, i + 3));
    out += decoder.end();
    expect(out).toBe(text);
  });

  it("decodes Windows-1252 accents, guillemets and dashes", () => {
    const decoder = createDecoder("windows-1252");
    expect(decoder.write(iconv.encode(text, "win1252")) + decoder.end()).toBe(text);
  });
});
