import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import fc from "fast-check";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { classProfile, countsProfile, TEST_PROFILES } from "../../../../tests/helpers/import-profiles.ts";
import { isMissing, numberCell, yesNoCell } from "./cells.ts";
import { matchHeader, matchProfile, normalizeLabel } from "./headers.ts";
import { FileRefusal, openTable, type TableRow } from "./reader.ts";
import { readFileReport } from "./run.ts";
import type { SchoolRef } from "./types.ts";

/**
 * Issue 10, item 1: the import framework's reader (encodings, separators, quotes, cells, truncated
 * lines, binary files, XLSX), its header matching (tolerant labels, the profile a file is for) and
 * the reading part of the runner, with property tests: any bytes give a report, never an
 * exception; a valid file in another row order gives the same summary.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-imports-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const write = (content: string | Uint8Array, ext = "csv") => {
  const file = path.join(dir, `f${n++}.${ext}`);
  fs.writeFileSync(file, content);
  return file;
};

async function readAll(file: string, sliceBytes?: number) {
  const reading = await openTable(file, sliceBytes ? { sliceBytes } : {});
  let labels: readonly string[] = [];
  const rows: TableRow[] = [];
  for await (const part of reading.read()) {
    if ("header" in part) labels = part.header.labels;
    else rows.push(...part.rows);
  }
  return { info: reading.info, labels, rows };
}

const SCHOOL: SchoolRef = { id: "1", uai: "0330001A", academyCode: "04", type: "college" };
const run = (file: string, profile = countsProfile, extra: { fileName?: string } = {}) =>
  readFileReport({
    profile: profile as never,
    profiles: TEST_PROFILES,
    file,
    fileName: extra.fileName ?? path.basename(file),
    school: profile.needsSchool ? SCHOOL : null,
    period: null,
    today: "2026-12-01",
    sliceBytes: 7,
  }).then((r) => r.report);

describe("reader", () => {
  it("reads UTF-8 with a BOM, also one inside the quoted first label, CRLF, quotes, NA and the formula guard", async () => {
    const file = write(
      `\uFEFF"\uFEFFUAI";"Nombre d'élèves";Note\r\n0330001A;"1 2,5";'=SOMME(A1)\r\n"0330002B";NA;"a;""b"""\r\n`,
    );
    const { info, labels, rows } = await readAll(file, 5);
    expect(info).toMatchObject({ format: "csv", encoding: "utf-8-bom", separator: ";" });
    expect(labels).toEqual(["UAI", "Nombre d'élèves", "Note"]);
    expect(rows).toEqual([
      { line: 2, cells: ["0330001A", "1 2,5", "=SOMME(A1)"] },
      { line: 3, cells: ["0330002B", "", 'a;"b"'] },
    ]);
    expect(numberCell(rows[0]?.cells[1])).toBe(12.5);
  });

  it("reads Windows-1252, commas and tabs", async () => {
    const latin = write(iconv.encode("UAI,Nombre d'élèves\n0330001A,3\n", "win1252"));
    expect(await readAll(latin)).toMatchObject({
      info: { encoding: "windows-1252", separator: "," },
      labels: ["UAI", "Nombre d'élèves"],
    });
    const tabs = write("UAI\tEffectif\n0330001A\t4\n");
    expect((await readAll(tabs)).rows).toEqual([{ line: 2, cells: ["0330001A", "4"] }]);
  });

  it("rejects a truncated last line, with its line and the column where it stops", async () => {
    const fewer = await readAll(write("UAI;Nombre d'élèves;Équipé (O/N)\n0330001A;3;O\n0330002B;4"));
    expect(fewer.rows[1]?.issue).toEqual({
      line: 3,
      column: "Équipé (O/N)",
      reason: "la ligne compte 2 colonnes au lieu de 3 : elle est tronquée, elle n'est pas lue",
    });
    const quote = await readAll(write("UAI;Nombre d'élèves\n0330001A;3\n0330002B;\"4\n"));
    expect(quote.rows[1]?.issue).toMatchObject({ line: 3, column: "Nombre d'élèves" });
    expect(quote.rows[1]?.issue?.reason).toMatch(/guillemet ouvert jamais fermé/);
    const report = await run(write("UAI;Nombre d'élèves\n0330001A;3\n0330002B;\"4\n"));
    expect(report).toMatchObject({ read: 2, accepted: 1, rejectedTotal: 1, values: 1 });
    expect(report.rejected[0]).toMatchObject({ line: 3, column: "Nombre d'élèves" });
  });

  it("refuses binary bytes in French, and an archive that is not a workbook", async () => {
    await expect(readAll(write(Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 3, 10, 0])))).rejects.toThrow(
      /n'est pas un tableau CSV : il contient des octets binaires \(un PDF\)/,
    );
    const report = await run(write(Buffer.from("UAI;Effectif\n0330001A;\u0000\u0001\n")));
    expect(report.refused).toMatch(/octets binaires, ligne 2/);
    expect(report.read).toBe(0);
    await expect(
      openTable(write(Buffer.from([0x50, 0x4b, 3, 4, 0, 0]), "zip"), { fileName: "x.zip" }),
    ).rejects.toBeInstanceOf(FileRefusal);
  });

  it("reads the first sheet of an XLSX workbook", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Export");
    sheet.addRow(["Code UAI", "Effectif", "Équipé (O/N)"]);
    sheet.addRow(["0330001A", 12.5, "Oui"]);
    sheet.addRow(["0330002B", 3]);
    workbook.addWorksheet("Notes").addRow(["ignorée"]);
    const file = path.join(dir, "book.xlsx");
    await workbook.xlsx.writeFile(file);
    const { info, labels, rows } = await readAll(file);
    expect(info.format).toBe("xlsx");
    expect(labels).toEqual(["Code UAI", "Effectif", "Équipé (O/N)"]);
    expect(rows).toEqual([
      { line: 2, cells: ["0330001A", "12.5", "Oui"] },
      { line: 3, cells: ["0330002B", "3", ""] },
    ]);
    expect(await run(file, countsProfile, { fileName: "book.xlsx" })).toMatchObject({
      read: 2,
      accepted: 2,
      summary: { schools: 2, pupils: 15.5, equipped: 1 },
    });
  });
});

describe("cells", () => {
  it("reads numbers with a decimal comma, Oui/Non and O/N, and missing values", () => {
    expect(numberCell("3,25")).toBe(3.25);
    expect(numberCell("1 234")).toBe(1234);
    expect(numberCell("douze")).toBe("invalid");
    expect(["Oui", "O", "o", "NON", "n", "", "NA", "peut-être"].map(yesNoCell)).toEqual([
      true,
      true,
      true,
      false,
      false,
      null,
      null,
      "invalid",
    ]);
    expect(isMissing(" NA ")).toBe(true);
  });
});

describe("header matching", () => {
  it("is tolerant to accents, case, apostrophes, spaces and a BOM", () => {
    expect(normalizeLabel("\uFEFF  NOMBRE   D’ÉLÈVES ")).toBe(normalizeLabel("Nombre d'eleves"));
    const { header, missing } = matchHeader(countsProfile, [
      "code uai",
      "nombre d’eleves",
      "Niveau pour la compétence 1.1",
      "Niveau pour la compétence 2.3",
      "Equipe (o/n)",
    ]);
    expect(missing).toEqual([]);
    expect([...header.columns]).toEqual([
      ["uai", 0],
      ["pupils", 1],
      ["equipped", 4],
    ]);
    expect([...(header.families.get("level") ?? [])]).toEqual([
      ["1.1", 2],
      ["2.3", 3],
    ]);
  });

  it("says which columns were expected, and which profile a file is meant for", () => {
    const none = matchProfile(countsProfile, ["Commune", "Effectif"], TEST_PROFILES);
    expect(none).toEqual({
      ok: false,
      reason:
        "L'en-tête ne correspond pas au profil test-counts (« Comptes de test ») : colonne obligatoire absente : « UAI ». Colonnes attendues : « UAI », « Nombre d'élèves », et les colonnes répétées du profil. Colonnes lues : « Commune », « Effectif ».",
    });
    const other = matchProfile(countsProfile, ["Nom du Participant", "Classe", "Tableaux"], TEST_PROFILES);
    expect(other.ok).toBe(false);
    expect(!other.ok && other.reason).toMatch(
      /^Ce fichier ressemble à un export « Classes de test » : utilisez le profil test-class/,
    );
  });
});

describe("runner (reading part)", () => {
  it("reports read, accepted, rejected with line and column, duplicates, empty lines and the summary", async () => {
    const report = await run(
      write(
        [
          "UAI;Nombre d'élèves;Équipé (O/N)",
          "0330001A;10;O",
          "0330002B;dix;O",
          "0330003C;5;peut-être",
          "0330001A;10;N",
          "NA;;",
          "",
          "0330004D;2,5;Non",
        ].join("\n"),
      ),
    );
    expect(report).toMatchObject({
      read: 6,
      accepted: 2,
      empty: 1,
      rejectedTotal: 2,
      duplicatesTotal: 1,
      values: 2,
      summary: { schools: 2, pupils: 12.5, equipped: 1 },
      refused: null,
    });
    expect(report.rejected).toEqual([
      { line: 3, column: "Nombre d'élèves", reason: "nombre d'élèves illisible" },
      { line: 4, column: "Équipé (O/N)", reason: "ni Oui ni Non" },
    ]);
    expect(report.duplicates).toEqual([{ line: 5, column: "UAI", reason: "UAI déjà lu" }]);
  });

  it("refuses a header of another profile, an empty file, and a file without its school", async () => {
    const wrong = await run(write("Nom du Participant;Classe;Tableaux\nA;3e1;2\n"));
    expect(wrong.refused).toMatch(/utilisez le profil test-class/);
    expect((await run(write(""))).refused).toBe("Le fichier est vide : la ligne d'en-tête est absente.");
    const noSchool = await readFileReport({
      profile: classProfile as never,
      profiles: TEST_PROFILES,
      file: write("Nom du Participant;Tableaux\nA;1\n"),
      fileName: "x.csv",
      school: null,
      period: null,
    });
    expect(noSchool.report.refused).toMatch(/ne nomme pas d'établissement/);
  });

  it("keeps the profile's detail and never echoes a personal cell", async () => {
    const { report, result } = await readFileReport({
      profile: classProfile as never,
      profiles: TEST_PROFILES,
      file: write(
        "Nom du Participant;Classe;Tableaux\nDupont Zoé;3e1;1\nMartin Léo;3e2;1\nDurand Ana;3e1;1\n",
      ),
      fileName: "pix.csv",
      school: SCHOOL,
      period: null,
    });
    expect(report.summary).toEqual({ participants: 3, classes: 2 });
    expect(result?.detail).toEqual({
      uai: SCHOOL.uai,
      period: "2024-2025",
      classes: [
        { name: "3e1", participants: 2 },
        { name: "3e2", participants: 1 },
      ],
    });
    expect(JSON.stringify(report)).not.toMatch(/Dupont|Zoé|Martin|Durand/);
  });

  it("never throws on arbitrary bytes: always a report (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc
            .array(
              fc.string({
                unit: fc.constantFrom(
                  "U",
                  "A",
                  ";",
                  ",",
                  "\t",
                  '"',
                  "\n",
                  "\r",
                  "é",
                  "1",
                  "'",
                  "=",
                  "\uFEFF",
                ),
              }),
              {
                maxLength: 8,
              },
            )
            .map((parts) => Buffer.from(`UAI;Nombre d'élèves\n${parts.join("")}`)),
        ),
        async (bytes) => {
          const report = await run(write(bytes));
          expect(report.read).toBeGreaterThanOrEqual(
            report.accepted + report.rejectedTotal + report.duplicatesTotal,
          );
          expect(report.refused === null || report.refused.length > 10).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("gives the same summary and counts for a valid file in any row order (property)", async () => {
    const rowArb = fc.record({
      uai: fc.constantFrom("0330001A", "0330002B", "0330003C", "0330004D", "0330005E"),
      pupils: fc.integer({ min: 0, max: 999 }),
      equipped: fc.constantFrom("O", "N", "Oui", "Non", ""),
    });
    await fc.assert(
      fc.asyncProperty(
        fc
          .uniqueArray(rowArb, { selector: (r) => r.uai, maxLength: 5 })
          .chain((rows) =>
            fc.tuple(
              fc.constant(rows),
              fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
            ),
          ),
        async ([rows, shuffled]) => {
          const text = (list: typeof rows) =>
            [
              "UAI;Nombre d'élèves;Équipé (O/N)",
              ...list.map((r) => `${r.uai};${r.pupils};${r.equipped}`),
            ].join("\r\n");
          const a = await run(write(text(rows)));
          const b = await run(write(text(shuffled)));
          expect(b.summary).toEqual(a.summary);
          expect([b.read, b.accepted, b.values, b.rejectedTotal]).toEqual([
            a.read,
            a.accepted,
            a.values,
            a.rejectedTotal,
          ]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
