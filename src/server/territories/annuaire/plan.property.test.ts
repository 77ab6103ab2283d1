import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SchoolRecord } from "../school-record.ts";
import type { StoredSchoolHash } from "../school-store.ts";
import { schoolContentHash } from "./content-hash.ts";
import type { ImportIssue } from "./plan.ts";
import { ImportPlan, REPORT_LIST_CAP } from "./plan.ts";

/**
 * The import plan keeps only keys, one record at a time; these properties compare it with the
 * obvious model that holds the whole file: first occurrence wins, later ones are duplicates, the
 * caller's refusals are rejections, the stored hashes decide created / updated / unchanged, and
 * the report's lists are the first 1 000 of what the full report (onIssue) gets, in file order.
 */

const base: SchoolRecord = {
  uai: "0330001A",
  name: "École",
  type: "ecole_primaire",
  natureCode: "151",
  natureLabel: "ECOLE DE NIVEAU ELEMENTAIRE",
  sector: "public",
  priorityEducation: null,
  communeCode: "33063",
  communeName: "Bordeaux",
  postalCode: "33000",
  latitude: null,
  longitude: null,
  departmentCode: "33",
  academyCode: "04",
  academicRegionCode: "75",
  bassin: null,
  circonscription: null,
  status: "open",
  openedOn: null,
  pupils: null,
  sourceUpdatedOn: null,
};

/** A row: a record of one of a few UAIs (so that they repeat), or a rejected line. */
const row = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("record" as const),
      uai: fc.integer({ min: 0, max: 30 }).map((n) => `U${n}`),
      name: fc.constantFrom("A", "B"),
      closed: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("rejected" as const) }) },
);

const scan = { layout: "2026", encoding: "utf-8", separator: ";", read: 0, warnings: [], fileSha256: "" };

describe("ImportPlan", () => {
  it("reports what a whole-file model reports, its lists capped and complete in onIssue", () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 10 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.constantFrom("A", "B"), fc.boolean())),
        (rows, refusedNumbers, storedRows) => {
          const refused = new Set(refusedNumbers.map((n) => `U${n}`));
          const stored = new Map<string, StoredSchoolHash>();
          for (const [n, name, closed] of storedRows) {
            const record = {
              ...base,
              uai: `U${n}`,
              name,
              status: closed ? "closed" : "open",
            } as SchoolRecord;
            stored.set(record.uai, { contentHash: schoolContentHash(record), departmentCode: "33", closed });
          }
          const issues: ImportIssue[] = [];
          const plan = new ImportPlan(stored, {
            accept: (r) => (refused.has(r.uai) ? "hors périmètre" : null),
            onIssue: (issue) => issues.push(issue),
          });
          // The model: the whole file at once.
          const firstLine = new Map<string, number>();
          const model = { created: 0, updated: 0, unchanged: 0, closed: 0, rejected: 0, duplicates: 0 };
          const toWrite: [SchoolRecord, number][] = [];
          rows.forEach((r, i) => {
            const line = i + 2;
            if (r.kind === "rejected") {
              plan.reject({ line, uai: "", reason: "illisible" });
              model.rejected++;
              return;
            }
            const record = {
              ...base,
              uai: r.uai,
              name: r.name,
              status: r.closed ? "closed" : "open",
            } as SchoolRecord;
            plan.add(record, line);
            if (firstLine.has(r.uai)) {
              model.duplicates++;
              return;
            }
            firstLine.set(r.uai, line);
            if (refused.has(r.uai)) {
              model.rejected++;
              return;
            }
            const existing = stored.get(r.uai);
            if (r.closed && existing?.closed !== true) model.closed++;
            if (!existing) model.created++;
            else if (existing.contentHash !== schoolContentHash(record)) model.updated++;
            else {
              model.unchanged++;
              return;
            }
            toWrite.push([record, line]);
          });
          const report = plan.report({ ...scan, read: rows.length }, false);
          expect(report).toMatchObject({
            created: model.created,
            updated: model.updated,
            unchanged: model.unchanged,
            closed: model.closed,
            rejectedTotal: model.rejected,
            duplicatesTotal: model.duplicates,
          });
          expect(plan.importable).toBe(model.created + model.updated + model.unchanged);
          // The full report has everything, in file order; the JSON lists are its first 1 000.
          expect(issues).toHaveLength(model.rejected + model.duplicates);
          expect(issues.map((i) => i.line)).toEqual([...issues.map((i) => i.line)].sort((a, b) => a - b));
          const rejected = issues.filter((i) => i.kind === "rejected");
          expect(report.rejected.map((r) => r.line)).toEqual(
            rejected.slice(0, REPORT_LIST_CAP).map((r) => r.line),
          );
          // Exactly the records to write are written, each once.
          for (const [record, line] of toWrite) expect(plan.mustWrite(record, line)).toBe(true);
          const written = rows.filter((r, i) => {
            if (r.kind !== "record") return false;
            const record = {
              ...base,
              uai: r.uai,
              name: r.name,
              status: r.closed ? "closed" : "open",
            } as SchoolRecord;
            return plan.mustWrite(record, i + 2);
          });
          expect(written).toHaveLength(toWrite.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("lists at most 1 000 rejections and duplicates but counts them all", () => {
    const plan = new ImportPlan(new Map());
    for (let line = 2; line < 2_502; line++) plan.reject({ line, uai: "", reason: "illisible" });
    plan.add({ ...base, uai: "U1" }, 2_502);
    for (let line = 2_503; line < 4_003; line++) plan.add({ ...base, uai: "U1" }, line);
    const report = plan.report(scan, false);
    expect(report.rejected).toHaveLength(REPORT_LIST_CAP);
    expect(report.rejectedTotal).toBe(2_500);
    expect(report.duplicates).toHaveLength(REPORT_LIST_CAP);
    expect(report.duplicatesTotal).toBe(1_500);
    expect(report.duplicates[0]).toEqual({ line: 2_503, uai: "U1", firstLine: 2_502 });
  });
});
