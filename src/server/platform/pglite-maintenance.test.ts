import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  COSTLY_MS,
  choreStatement,
  type LastChore,
  NAPTIME_MS,
  planChores,
  type TableActivity,
} from "./pglite-maintenance.ts";

const table = (over: Partial<TableActivity>): TableActivity => ({
  name: "t",
  rows: 1000,
  modifiedSinceAnalyze: 0,
  deadRows: 0,
  ...over,
});

describe("planChores", () => {
  it("analyses a table without statistics, or past 50 rows + 10 % of changes", () => {
    const plan = planChores(
      [
        table({ name: "fresh", rows: -1 }),
        table({ name: "changed", modifiedSinceAnalyze: 151 }),
        table({ name: "calm", modifiedSinceAnalyze: 150 }),
      ],
      new Map(),
      0,
    );
    expect(plan.chores).toEqual([
      { table: "fresh", kind: "analyze" },
      { table: "changed", kind: "analyze" },
    ]);
    expect(plan.retryInMs).toBeNull();
  });

  it("vacuums past 50 rows + 20 % of dead ones, even with fresh statistics", () => {
    const plan = planChores(
      [table({ name: "bloated", deadRows: 251 }), table({ name: "tidy", deadRows: 250 })],
      new Map(),
      0,
    );
    expect(plan.chores).toEqual([{ table: "bloated", kind: "vacuum" }]);
  });

  it("makes a table whose last chore was costly wait for the naptime, and says when to look again", () => {
    const last = new Map<string, LastChore>([
      ["big", { endedAt: 1_000, ms: COSTLY_MS + 1 }],
      ["small", { endedAt: 1_000, ms: COSTLY_MS }],
    ]);
    const busy = [
      table({ name: "big", modifiedSinceAnalyze: 500 }),
      table({ name: "small", modifiedSinceAnalyze: 500 }),
    ];
    const early = planChores(busy, last, 11_000);
    expect(early.chores).toEqual([{ table: "small", kind: "analyze" }]);
    expect(early.retryInMs).toBe(NAPTIME_MS - 10_000);
    expect(planChores(busy, last, 1_000 + NAPTIME_MS).chores.map((c) => c.table)).toEqual(["big", "small"]);
  });

  it("never makes a table without statistics wait", () => {
    const last = new Map([["big", { endedAt: 0, ms: 10_000 }]]);
    expect(planChores([table({ name: "big", rows: -1 })], last, 1).chores).toEqual([
      { table: "big", kind: "analyze" },
    ]);
  });

  it("either runs or defers every table that needs a chore, and nothing else (property)", () => {
    const activity = fc.record({
      name: fc.string({ minLength: 1, maxLength: 4 }),
      rows: fc.integer({ min: -1, max: 1_000_000 }),
      modifiedSinceAnalyze: fc.integer({ min: 0, max: 1_000_000 }),
      deadRows: fc.integer({ min: 0, max: 1_000_000 }),
    });
    const lastChore = fc.record({
      endedAt: fc.integer({ min: 0, max: 200_000 }),
      ms: fc.integer({ min: 0, max: 5_000 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(activity, { selector: (t) => t.name, maxLength: 8 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), lastChore),
        fc.integer({ min: 0, max: 300_000 }),
        (tables, lasts, now) => {
          const last = new Map(Object.entries(lasts));
          const plan = planChores(tables, last, now);
          const due = (t: TableActivity) =>
            t.deadRows > 50 + 0.2 * Math.max(t.rows, 0) ||
            t.rows < 0 ||
            t.modifiedSinceAnalyze > 50 + 0.1 * Math.max(t.rows, 0);
          const run = new Set(plan.chores.map((c) => c.table));
          for (const t of tables) {
            const l = last.get(t.name);
            const waiting =
              t.rows >= 0 && l !== undefined && l.ms > COSTLY_MS && now < l.endedAt + NAPTIME_MS;
            expect(run.has(t.name)).toBe(due(t) && !waiting);
          }
          const deferred = tables.filter((t) => due(t) && !run.has(t.name));
          if (deferred.length === 0) expect(plan.retryInMs).toBeNull();
          else expect(plan.retryInMs).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe("choreStatement", () => {
  it("quotes the table's name", () => {
    expect(choreStatement({ table: 'a"b', kind: "analyze" })).toBe('analyze "a""b"');
    expect(choreStatement({ table: "data_value", kind: "vacuum" })).toBe('vacuum (analyze) "data_value"');
  });
});
