import type { Kysely, Migration } from "kysely";
import { describe, expect, it } from "vitest";
import { collectMigrations, migrateToLatest } from "./migrate.ts";

const noop: Migration = { up: async () => {} };

describe("collectMigrations", () => {
  it("merges the modules' lists in the order of the migration numbers", () => {
    const all = collectMigrations({
      territories: { "0001-territories": noop, "0008-school-search": noop },
      platform: { "0007-jobs": noop },
    });
    expect(Object.keys(all)).toEqual(["0001-territories", "0007-jobs", "0008-school-search"]);
  });

  it("refuses two modules taking the same number", () => {
    expect(() => collectMigrations({ a: { "0009-a": noop }, b: { "0009-b": noop } })).toThrow(
      /0009 est déjà pris par 0009-a \(a\)/,
    );
  });
});

describe("migrateToLatest", () => {
  it("refuses to open a base with no migration at all", async () => {
    // Never reached: the check comes before the migrator touches the base.
    const db = {} as Kysely<unknown>;
    await expect(migrateToLatest(db, {})).rejects.toThrow("Aucune migration fournie");
  });
});
