import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSchool } from "../../src/server/imports/framework/apply.ts";
import {
  commitFile,
  dryRun,
  formatImportFileReport,
  type ImportReport,
  PROFILES,
  type RunOptions,
} from "../../src/server/imports/index.ts";
import { usageProfile } from "../../src/server/imports/profiles/usage.ts";
import { importValues } from "../../src/server/indicators/index.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { AppError } from "../../src/server/platform/index.ts";
import { importRoadmapFromCli } from "../../src/server/roadmaps/index.ts";
import { importAnnuaire } from "../../src/server/territories/index.ts";
import {
  BAD_INPUT_CASES,
  type BadInputCase,
  type Expectation,
  READERS,
  type Reader,
} from "../fixtures/bad-input/cases.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";
import { countsProfile, TEST_PROFILES } from "../helpers/import-profiles.ts";

/**
 * Every reader of Vigie on every file of the bad-input corpus (tests/fixtures/bad-input), on the
 * engine of the run: the French reason, nothing stored by a dry run nor by a refused or empty
 * commit, exactly the accepted rows stored by a commit, and a bounded memory.
 */

const corpus = path.resolve(process.cwd(), "tests/fixtures/bad-input");
/** Growth of the process's peak RSS over its RSS before one read, and of the heap after it. */
const MEMORY_BOUND = 600 * 1024 * 1024;

/** What a reader made of a file, in the corpus's vocabulary. */
type Outcome =
  | { refused: { code: string; message: string } }
  | {
      rows: {
        accepted: number;
        rejected: number;
        duplicates: number;
        reasons: string[];
        warnings: string[];
        /** Rows the commit wrote into the reader's data table. */
        written: number;
      };
    };

/** What an import profile's commit keeps beside its values (its batch, file, parts, previous states, audit). */
const IMPORT_BOOKKEEPING = [
  "import_batch",
  "import_file",
  "rollup_request",
  "data_value_previous",
  "data_value_batch_part",
  "audit_event",
] as const;
const IMPORT_STORAGE = { data: "data_value", bookkeeping: IMPORT_BOOKKEEPING };

/** The table each reader stores its rows in, and the bookkeeping tables a commit may also touch. */
const STORAGE: Record<Reader, { data: string; bookkeeping: readonly string[] }> = {
  annuaire: { data: "school", bookkeeping: ["district", "import_batch"] },
  values: { data: "data_value", bookkeeping: ["import_batch", "rollup_request"] },
  roadmap: { data: "roadmap", bookkeeping: ["audit_event"] },
  imports: IMPORT_STORAGE,
  usage: IMPORT_STORAGE,
  "pix-profiles": IMPORT_STORAGE,
  "pix-certification": IMPORT_STORAGE,
  ips: IMPORT_STORAGE,
  dnb: IMPORT_STORAGE,
};

/**
 * The Pix profiles name no UAI: each commit is about a school of its own (a Pix commit combines
 * the school's earlier files, which would rewrite, not add, the values of a shared school).
 */
const PIX_SCHOOLS = [
  "0350001L",
  "0350003N",
  "0350005R",
  "0350006S",
  "0350008U",
  "0350009V",
  "6200001G",
  "7200001N",
];
let pixCommits = 0;

/** A period of its own for each import (written values are new keys: the data table grows by them). */
let importYear = 2040;
const importDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-corpus-imports-"));

/** A refused file as the corpus sees a refusal: the code every caller (CLI, HTTP) gives it. */
class ImportRefused extends AppError {
  constructor(message: string) {
    super(400, "import_refused", message);
  }
}

function importWarnings(r: ImportReport): string[] {
  return [
    ...(r.warning ? [r.warning] : []),
    ...(r.unknownUaiTotal > 0 ? [`UAI inconnus (${r.unknownUaiTotal}) : ${r.unknownUai.join(", ")}`] : []),
    ...(r.outOfScopeTotal > 0
      ? [`hors de votre périmètre (${r.outOfScopeTotal}) : ${r.outOfScope.join(", ")}`]
      : []),
  ];
}

/**
 * The import framework through its test profile (`test-counts`, one value per row), as an importer
 * who may not write 0350002M. A commit is repeated at once: the second must say « déjà importé »
 * and write nothing.
 */
async function readImport(
  db: DatabaseHandle["db"],
  bytes: Uint8Array,
  commit: boolean,
  reader: "imports" | "usage" | "pix-profiles" | "pix-certification" | "ips" | "dnb" = "imports",
) {
  const file = path.join(importDir, `corpus-${importYear}.csv`);
  fs.writeFileSync(file, bytes);
  const year = importYear++;
  // The usage profile (ENT statistics) reads its periods from its rows.
  const pixSchool =
    reader === "pix-profiles" || reader === "pix-certification"
      ? await findSchool(db, PIX_SCHOOLS[commit ? pixCommits++ : 0] as string)
      : null;
  const options: RunOptions = pixSchool
    ? {
        profile: PROFILES.find((p) => p.code === reader) as RunOptions["profile"],
        profiles: PROFILES,
        file,
        fileName: "corpus.csv",
        school: pixSchool,
        period: null,
        // The fixtures' dates are of 2025-2026; the future is after this day.
        today: "2026-12-01",
      }
    : reader === "ips" || reader === "dnb"
      ? {
          // Open data names its schools and periods; the future is after this day.
          profile: PROFILES.find((p) => p.code === reader) as RunOptions["profile"],
          profiles: PROFILES,
          file,
          fileName: "corpus.csv",
          school: null,
          period: null,
          today: "2026-12-01",
        }
      : reader === "usage"
        ? {
            profile: usageProfile as RunOptions["profile"],
            profiles: PROFILES,
            file,
            fileName: "corpus.csv",
            school: null,
            period: null,
            allowedSchool: (s) => s.uai !== "0350002M",
          }
        : {
            profile: countsProfile as RunOptions["profile"],
            profiles: TEST_PROFILES,
            file,
            fileName: "corpus.csv",
            school: null,
            period: `${year}-${year + 1}`,
            allowedSchool: (s) => s.uai !== "0350002M",
          };
  const r = commit ? await commitFile(db, { ...options, actor: "corpus" }) : await dryRun(db, options);
  if (r.refused) throw new ImportRefused(r.refused);
  if (commit) {
    const again = await commitFile(db, { ...options, actor: "corpus" });
    expect(again).toMatchObject({ alreadyImported: true, alreadyImportedBatch: r.batchId, written: 0 });
    expect(formatImportFileReport(again)).toContain(`Déjà importé (lot ${r.batchId})`);
  }
  return {
    accepted: r.accepted,
    rejected: r.rejectedTotal,
    duplicates: r.duplicatesTotal,
    reasons: r.rejected.map((x) => x.reason),
    warnings: importWarnings(r),
    written: r.written,
  };
}

async function read(db: DatabaseHandle["db"], reader: Reader, bytes: Uint8Array, commit: boolean) {
  const fileName = "corpus.csv";
  if (reader === "annuaire") {
    const r = await importAnnuaire(db, bytes, { commit, fileName });
    const totals = r as { rejectedTotal?: number; duplicatesTotal?: number };
    return {
      accepted: r.created + r.updated + r.unchanged,
      rejected: totals.rejectedTotal ?? r.rejected.length,
      duplicates: totals.duplicatesTotal ?? r.duplicates.length,
      reasons: r.rejected.map((x) => x.reason),
      warnings: r.warnings,
      written: commit ? r.created : 0,
    };
  }
  if (reader === "values") {
    const r = await importValues(db, bytes, { commit, fileName });
    return {
      accepted: r.accepted,
      rejected: r.rejected.length,
      duplicates: r.duplicates.length,
      reasons: r.rejected.map((x) => x.reason),
      warnings: [],
      written: r.written,
    };
  }
  if (
    reader === "imports" ||
    reader === "usage" ||
    reader === "pix-profiles" ||
    reader === "pix-certification" ||
    reader === "ips" ||
    reader === "dnb"
  )
    return readImport(db, bytes, commit, reader);
  // A roadmap has no dry run: it is read once, as a commit.
  await importRoadmapFromCli(db, { yaml: Buffer.from(bytes).toString("utf8"), fileName: "corpus.yaml" });
  return { accepted: 1, rejected: 0, duplicates: 0, reasons: [], warnings: [], written: 1 };
}

async function outcomeOf(run: () => ReturnType<typeof read>): Promise<Outcome> {
  try {
    return { rows: await run() };
  } catch (error) {
    // Only a typed refusal is an answer; anything else (a crash, a 500) fails the case.
    if (!(error instanceof AppError)) throw error;
    return { refused: { code: error.code, message: error.message } };
  }
}

/** Runs one read and measures its memory: peak RSS growth and heap growth. */
async function measured(
  run: () => Promise<Outcome>,
): Promise<{ outcome: Outcome; peak: number; heap: number }> {
  const rss = process.memoryUsage().rss;
  const heap = process.memoryUsage().heapUsed;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const outcome = await run();
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  // Conservative: the process's peak (maybe reached before this read) over its RSS before it.
  const result = { outcome, peak: peakAfter - rss, heap: process.memoryUsage().heapUsed - heap };
  worst.peak = Math.max(worst.peak, result.peak);
  worst.newPeak = Math.max(worst.newPeak, peakAfter - peakBefore);
  worst.heap = Math.max(worst.heap, result.heap);
  return result;
}

/** The largest growths seen, printed with CORPUS_MEMORY=1 (figures for docs/benchmarks.md). */
const worst = { peak: 0, newPeak: 0, heap: 0 };

function bytesOf(c: BadInputCase): Uint8Array {
  if (c.generate) return c.generate();
  return fs.readFileSync(path.join(corpus, c.file as string));
}

function assertOutcome(outcome: Outcome, expected: Expectation): void {
  if ("refused" in expected) {
    expect(outcome).toMatchObject({ refused: { code: expected.refused.code } });
    if ("refused" in outcome) {
      expect(outcome.refused.message).toContain(expected.refused.message);
      expect(outcome.refused.message.length).toBeLessThanOrEqual(1_000);
    }
    return;
  }
  expect("rows" in outcome ? "rows" : outcome).toBe("rows");
  if (!("rows" in outcome)) return;
  const { rows } = outcome;
  expect({ accepted: rows.accepted, rejected: rows.rejected, duplicates: rows.duplicates }).toEqual({
    accepted: expected.rows.accepted,
    rejected: expected.rows.rejected,
    duplicates: expected.rows.duplicates ?? 0,
  });
  // Every reason says something, and echoes a bad cell in a few words, never whole.
  for (const reason of rows.reasons) {
    expect(reason.length).toBeGreaterThan(0);
    expect(reason.length).toBeLessThanOrEqual(400);
  }
  for (const [i, reason] of (expected.rows.reasons ?? []).entries())
    expect(rows.reasons[i]).toContain(reason);
  for (const warning of expected.rows.warnings ?? [])
    expect(
      rows.warnings.some((w) => w.includes(warning)),
      `warning « ${warning} » in ${rows.warnings}`,
    ).toBe(true);
}

describe(`bad-input corpus on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  let tables: string[] = [];

  /** Row count of every table of the base. */
  async function counts(): Promise<Record<string, number>> {
    const union = tables.map((t) => `select '${t}' as t, count(*)::int as n from "${t}"`).join(" union all ");
    const rows = await sql<{ t: string; n: number }>`${sql.raw(union)}`.execute(handle.db);
    return Object.fromEntries(rows.rows.map((r) => [r.t, Number(r.n)]));
  }

  beforeAll(async () => {
    handle = await openTestDatabase();
    // The values files name the schools of this fixture (0350001L, 0350002M…).
    await importAnnuaire(handle.db, fs.readFileSync("tests/fixtures/annuaire/annuaire-2023-bom-crlf.csv"), {
      commit: true,
      fileName: "base.csv",
    });
    const list = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
      order by table_name`.execute(handle.db);
    tables = list.rows.map((r) => r.table_name);
    // The first values import writes the catalogue's data elements (setup, not input): do it now.
    await importValues(handle.db, Buffer.from("uai;element;periode;valeur\n"), {
      commit: false,
      fileName: "catalogue.csv",
    });
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(importDir, { recursive: true, force: true });
    if (process.env.CORPUS_MEMORY) {
      const mb = (n: number) => `${Math.round(n / 1024 / 1024)} Mo`;
      console.log(
        `bad-input corpus on ${testEngine}: peak RSS over the RSS before a read ≤ ${mb(worst.peak)}, rise of the process's peak during a read ≤ ${mb(worst.newPeak)}, heap growth ≤ ${mb(worst.heap)}`,
      );
    }
  });

  it("has a unique id and one source per case, every file of the folder in the manifest", () => {
    const ids = BAD_INPUT_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of BAD_INPUT_CASES) expect(Boolean(c.file) !== Boolean(c.generate), c.id).toBe(true);
    const listed = new Set(BAD_INPUT_CASES.flatMap((c) => (c.file ? [c.file] : [])));
    const onDisk = fs.readdirSync(corpus).filter((f) => !/\.(ts|md)$/.test(f));
    expect(onDisk.filter((f) => !listed.has(f))).toEqual([]);
    for (const file of listed) expect(fs.existsSync(path.join(corpus, file)), file).toBe(true);
  });

  for (const c of BAD_INPUT_CASES) {
    for (const reader of READERS) {
      const expected = c.expect[reader];
      if (!expected) continue;
      it(`${reader} on ${c.id}: ${c.what}`, async () => {
        const bytes = bytesOf(c);
        const before = await counts();

        if (reader !== "roadmap") {
          const dry = await measured(() => outcomeOf(() => read(handle.db, reader, bytes, false)));
          assertOutcome(dry.outcome, expected);
          expect(await counts(), "a dry run stores nothing").toEqual(before);
          expect(dry.peak).toBeLessThan(MEMORY_BOUND);
          expect(dry.heap).toBeLessThan(MEMORY_BOUND);
        }

        const commit = await measured(() => outcomeOf(() => read(handle.db, reader, bytes, true)));
        assertOutcome(commit.outcome, expected);
        expect(commit.peak).toBeLessThan(MEMORY_BOUND);
        expect(commit.heap).toBeLessThan(MEMORY_BOUND);
        const after = await counts();
        const { data, bookkeeping } = STORAGE[reader];
        if ("refused" in commit.outcome) {
          expect(after, "a refused commit stores nothing").toEqual(before);
          return;
        }
        // The accepted rows, nothing else: only the reader's own tables moved. (An Annuaire commit
        // with nothing importable still keeps its report in import_batch, its trace.)
        expect((after[data] ?? 0) - (before[data] ?? 0)).toBe(commit.outcome.rows.written);
        if (commit.outcome.rows.accepted === 0) expect(commit.outcome.rows.written).toBe(0);
        const untouched = (counts: Record<string, number>) =>
          Object.fromEntries(Object.entries(counts).filter(([t]) => t !== data && !bookkeeping.includes(t)));
        expect(untouched(after)).toEqual(untouched(before));
      });
    }
  }
});
