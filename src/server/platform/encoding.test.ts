import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { createDecoder, detectEncoding, detectFileEncoding, FILE_SLICE_BYTES } from "./encoding.ts";

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

describe("detectFileEncoding", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-encoding-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Uint8Array) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, bytes);
    return target;
  };

  it("reads UTF-8 whose characters straddle the slices, and gives the file's hash and size", async () => {
    // « é » (2 bytes) and « € » (3 bytes) cut by every slice boundary.
    const text = `${"a".repeat(FILE_SLICE_BYTES - 1)}é${"b".repeat(FILE_SLICE_BYTES - 2)}€fin`;
    const bytes = Buffer.from(text, "utf8");
    const detected = await detectFileEncoding(file("coupe.csv", bytes));
    expect(detected).toEqual({
      encoding: "utf-8",
      sha256: createHash("sha256").update(bytes).digest("hex"),
      size: bytes.length,
    });
    expect(
      (await detectFileEncoding(file("bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]))))
        .encoding,
    ).toBe("utf-8-bom");
  });

  it("says Windows-1252 for a file valid at its start but not further, and for a cut last character", async () => {
    const late = Buffer.concat([
      Buffer.from("a".repeat(FILE_SLICE_BYTES + 10)),
      iconv.encode("Élève", "win1252"),
    ]);
    expect((await detectFileEncoding(file("tard.csv", late))).encoding).toBe("windows-1252");
    const cut = Buffer.concat([Buffer.from("abc"), Buffer.from("é", "utf8").subarray(0, 1)]);
    expect((await detectFileEncoding(file("fin-coupee.csv", cut))).encoding).toBe("windows-1252");
    expect(await detectFileEncoding(file("vide.csv", new Uint8Array()))).toMatchObject({
      encoding: "utf-8",
      size: 0,
    });
  });
});
