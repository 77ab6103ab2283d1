import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECHO_MAX, importValues, REPORT_LIST_CAP } from "../../src/server/indicators/import-values.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

/**
 * Issue 9, item 6: `vigie import valeurs` refuses lines whose cell count differs from the
 * header's (extra cells were silently dropped: `…;;1;234` stored 1), integers that are not,
 * echoes at most 80 characters of a bad cell, reads the file in slices and caps its report.
 */

const PERIOD = "2031-2032";
const HEADER = "uai;element;periode;ventilation;valeur";

describe(`values import hygiene on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  let uais: string[];
  let dir: string;

  beforeAll(async () => {
    handle = await openTestDatabase();
    await loadDemo(handle.db, "tiny");
    uais = (
      await handle.db
        .selectFrom("school")
        .select("uai")
        .where("status", "=", "open")
        .orderBy("uai")
        .limit(40)
        .execute()
    ).map((s) => s.uai);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-values-"));
  });
  afterAll(async () => {
    await handle?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const file = (lines: readonly string[]) => Buffer.from([HEADER, ...lines].join("\n"), "utf8");
  const stored = async () =>
    (await handle.db.selectFrom("data_value").select("value").where("period", "=", PERIOD).execute()).length;

  it("rejects a line with extra cells, saying how many, and stores nothing of it", async () => {
    const u = uais[0] as string;
    const report = await importValues(
      handle.db,
      file([`${u};computers;${PERIOD};;1;234`, `${u};interactive_boards;${PERIOD};;4;`]),
      { commit: true, fileName: "extra.csv" },
    );
    expect(report.rejected).toEqual([
      {
        line: 2,
        column: "ligne",
        reason: "la ligne compte 6 colonnes au lieu de 5 (cellules en trop : « 234 »)",
      },
      { line: 3, column: "ligne", reason: "la ligne compte 6 colonnes au lieu de 5" },
    ]);
    expect(report.accepted).toBe(0);
    expect(await stored()).toBe(0);
  });

  it("rejects a 500-column line and a line with too few cells", async () => {
    const u = uais[0] as string;
    const wide = `${u};computers;${PERIOD};;1${";9".repeat(495)}`;
    const report = await importValues(handle.db, file([wide, `${u};computers;${PERIOD}`]), {
      commit: false,
      fileName: "wide.csv",
    });
    expect(report.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^la ligne compte 500 colonnes au lieu de 5 \(cellules en trop : « 9 ; 9 ; 9/),
      "la ligne compte 3 colonnes au lieu de 5",
    ]);
    expect((report.rejected[0]?.reason.length ?? 0) < 200).toBe(true);
  });

  it("rejects 1.234 for a count, saying it is not an integer and how thousands are written", async () => {
    const report = await importValues(handle.db, file([`${uais[0]};computers;${PERIOD};;1.234`]), {
      commit: false,
      fileName: "point.csv",
    });
    expect(report.rejected).toEqual([
      {
        line: 2,
        column: "valeur",
        reason:
          "« 1.234 » n'est pas un entier : « computers » se compte en unités (le séparateur des milliers est une espace : 1 234)",
      },
    ]);
  });

  it("refuses a value out of bounds, naming the element, the bound and the line", async () => {
    const report = await importValues(
      handle.db,
      file([`${uais[0]};computers;${PERIOD};;1e308`, `${uais[1]};computers;${PERIOD};;-3`]),
      { commit: true, fileName: "huge.csv" },
    );
    expect(report.rejected).toEqual([
      { line: 2, column: "valeur", reason: "1e+308 dépasse le maximum de « computers » (1 000 000 000)" },
      { line: 3, column: "valeur", reason: "-3 est sous le minimum de « computers » (0)" },
    ]);
    expect(await stored()).toBe(0);
  });

  it("holds, on commit, a value far beyond the file's other schools, and says so", async () => {
    // The 40 schools are of académie 04 or its neighbours: the first 30 of the same académie are peers.
    const academies = await handle.db
      .selectFrom("school")
      .select(["uai", "academy_code"])
      .where("uai", "in", uais)
      .execute();
    const academy = academies[0]?.academy_code as string;
    const peers = academies.filter((s) => s.academy_code === academy).map((s) => s.uai);
    expect(peers.length).toBeGreaterThanOrEqual(11);
    const lines = peers.map(
      (u, i) => `${u};interactive_boards;${PERIOD};;${i === 0 ? "50 000 000" : 3 + (i % 5)}`,
    );
    const report = await importValues(handle.db, file(lines), { commit: true, fileName: "tni.csv" });
    expect(report).toMatchObject({ committed: true, written: peers.length, held: 1, rejectedTotal: 0 });
    const held = await handle.db
      .selectFrom("data_value")
      .select(["value", "status"])
      .where("data_element_code", "=", "interactive_boards")
      .where("status", "=", "held")
      .execute();
    expect(held).toEqual([{ value: 50_000_000, status: "held" }]);
    await handle.db.deleteFrom("data_value").where("period", "=", PERIOD).execute();
  });

  it("echoes at most 80 characters of a 2 MB cell", async () => {
    const big = "x".repeat(2 * 1024 * 1024);
    const report = await importValues(
      handle.db,
      file([`${uais[0]};computers;${PERIOD};;${big}`, `${uais[0]};${big};${PERIOD};;1`]),
      { commit: false, fileName: "big.csv" },
    );
    expect(report.rejected).toHaveLength(2);
    for (const r of report.rejected) {
      expect(r.reason).toContain(`${"x".repeat(ECHO_MAX)}…`);
      expect(r.reason).not.toContain("x".repeat(ECHO_MAX + 1));
    }
  });

  it("caps the rejections and duplicates it lists, and counts them all", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 1500; i++) lines.push(`${uais[0]};nope;${PERIOD};;${i}`);
    for (let i = 0; i < 1200; i++) lines.push(`${uais[1]};computers;${PERIOD};;7`);
    const report = await importValues(handle.db, file(lines), { commit: false, fileName: "many.csv" });
    expect(report.read).toBe(2700);
    expect(report.accepted).toBe(1);
    expect(report.rejectedTotal).toBe(1500 + 1199);
    expect(report.rejected).toHaveLength(REPORT_LIST_CAP);
    expect(report.duplicatesTotal).toBe(1199);
    expect(report.duplicates).toHaveLength(REPORT_LIST_CAP);
    expect(report.duplicates[0]).toEqual({ line: 1503, firstLine: 1502 });
  });

  it("reads a file from its path in slices as from its bytes, wherever the slices cut (property)", async () => {
    const cell = fc.constantFrom(
      "computers",
      "interactive_boards",
      "nope",
      PERIOD,
      "2031-2033",
      "",
      "12",
      "1 012",
      "1.234",
      "NA",
      'é"à',
      '"a;b"',
      "9",
    );
    const line = fc.tuple(fc.integer({ min: 0, max: 39 }), fc.array(cell, { minLength: 2, maxLength: 6 }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom("\n", "\r\n"),
        async (rows, sliceBytes, eol) => {
          const text = [HEADER, ...rows.map(([u, cells]) => [uais[u], ...cells].join(";"))].join(eol);
          const bytes = Buffer.from(text, "utf8");
          const whole = await importValues(handle.db, bytes, { commit: false, fileName: "p.csv" });
          const sliced = await importValues(handle.db, bytes, {
            commit: false,
            fileName: "p.csv",
            sliceBytes,
          });
          const target = path.join(dir, "p.csv");
          fs.writeFileSync(target, bytes);
          const fromPath = await importValues(
            handle.db,
            { path: target },
            { commit: false, fileName: "p.csv" },
          );
          expect(sliced).toEqual(whole);
          expect(fromPath).toEqual(whole);
          expect(whole.accepted + whole.missing + whole.rejectedTotal).toBe(whole.read);
        },
      ),
      { numRuns: 40 },
    );
  });
});
