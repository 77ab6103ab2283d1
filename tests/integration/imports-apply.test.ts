import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyValues, findSchool } from "../../src/server/imports/framework/apply.ts";
import { rollbackImport } from "../../src/server/imports/framework/batches.ts";
import { commitFile } from "../../src/server/imports/framework/run.ts";
import type { ProfileValue } from "../../src/server/imports/framework/types.ts";
import { rollbackImportBatch } from "../../src/server/indicators/import-batches.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";
import { classProfile, TEST_PROFILES } from "../helpers/import-profiles.ts";

/**
 * Issue 10, item 1: the import framework's commit (`applyValues`) and the rollback of a batch
 * (`rollbackImportBatch`), on both engines: one batch every written value points to, unchanged
 * values not rewritten, the same content twice writes nothing, a rollback restores the values the
 * batch had replaced (unless a newer batch replaced them since), and a second rollback is refused.
 */

const PERIOD = "2033-2034";

describe(`import framework: apply and rollback on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  let uais: string[];

  beforeAll(async () => {
    handle = await openTestDatabase();
    await loadDemo(handle.db, "tiny");
    uais = (
      await handle.db
        .selectFrom("school")
        .select("uai")
        .where("status", "=", "open")
        .orderBy("uai")
        .limit(4)
        .execute()
    ).map((s) => s.uai);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const value = (uai: string, v: number, element = "computers"): ProfileValue => ({
    uai,
    dataElement: element,
    period: PERIOD,
    disaggregation: {},
    value: v,
  });
  const stored = async () =>
    (
      await handle.db
        .selectFrom("data_value")
        .innerJoin("school", "school.id", "data_value.school_id")
        .select(["school.uai", "data_value.value", "data_value.import_batch_id", "data_value.source"])
        .where("period", "=", PERIOD)
        .where("data_element_code", "=", "computers")
        .orderBy("school.uai")
        .execute()
    ).map((r) => ({ uai: r.uai, value: r.value, batch: r.import_batch_id, source: r.source }));
  const options = (sha256: string) => ({
    profile: "test-profile",
    fileName: `${sha256}.csv`,
    sha256,
    actor: "test",
  });

  it("writes every value pointing to one batch, reports unknown UAIs, and the same content twice writes nothing", async () => {
    const [a, b] = uais as [string, string];
    const first = await applyValues(
      handle.db,
      [value(a, 10), value(b, 20), value("9999999Z", 1)],
      options("f1"),
    );
    expect(first).toMatchObject({
      written: 2,
      unchanged: 0,
      alreadyImported: false,
      unknownUai: ["9999999Z"],
    });
    expect(first.batchId).not.toBeNull();
    expect(await stored()).toEqual([
      { uai: a, value: 10, batch: first.batchId, source: "import" },
      { uai: b, value: 20, batch: first.batchId, source: "import" },
    ]);
    const again = await applyValues(handle.db, [value(a, 10), value(b, 20)], options("f1"));
    expect(again).toMatchObject({ alreadyImported: true, written: 0, batchId: first.batchId });
    const rollups = await handle.db.selectFrom("rollup_request").select("id").execute();
    // Another content with the same values: nothing changed, nothing rewritten, no roll-up asked.
    const same = await applyValues(
      handle.db,
      (async function* () {
        yield [value(a, 10)];
        yield [value(b, 20)];
      })(),
      options("f1-copy"),
    );
    expect(same).toMatchObject({ written: 0, unchanged: 2, alreadyImported: false });
    expect((await stored()).map((r) => r.batch)).toEqual([first.batchId, first.batchId]);
    expect(await handle.db.selectFrom("rollup_request").select("id").execute()).toHaveLength(rollups.length);
  });

  it("skips the values of schools outside the actor's scope, and names them", async () => {
    const [a, , c] = uais as [string, string, string];
    const report = await applyValues(
      handle.db,
      [value(a, 11, "interactive_boards"), value(c, 3, "interactive_boards")],
      {
        ...options("scoped"),
        allowedSchool: (s) => s.uai === a,
      },
    );
    expect(report).toMatchObject({ written: 1, outOfScope: [c], outOfScopeTotal: 1 });
  });

  it("rolls a batch back: created values deleted, overwritten ones restored, a newer write kept; twice is refused", async () => {
    const [a, b, , d] = uais as [string, string, string, string];
    const before = await stored();
    // Batch 2 overwrites a (10 → 15) and creates d; batch 3 then overwrites b (20 → 25).
    const second = await applyValues(handle.db, [value(a, 15), value(d, 40)], options("f2"));
    const third = await applyValues(handle.db, [value(d, 41), value(b, 25)], options("f3"));
    expect(second.written).toBe(2);
    const rollups = (await handle.db.selectFrom("rollup_request").select("id").execute()).length;
    const report = await rollbackImportBatch(handle.db, second.batchId as string, "test");
    expect(report).toEqual({ batchId: second.batchId, removed: 0, restored: 1, replacedSince: 1 });
    expect((await handle.db.selectFrom("rollup_request").select("id").execute()).length).toBeGreaterThan(
      rollups,
    );
    const afterSecond = await stored();
    expect(afterSecond.find((r) => r.uai === a)).toEqual(before.find((r) => r.uai === a));
    // d was replaced by batch 3 since: it stays as batch 3 wrote it.
    expect(afterSecond.find((r) => r.uai === d)).toMatchObject({ value: 41, batch: third.batchId });
    await expect(rollbackImportBatch(handle.db, second.batchId as string, "test")).rejects.toThrow(
      /Le lot \d+ a déjà été annulé/,
    );
    // Rolling batch 3 back now removes d entirely (batch 2, which created it, is undone) and restores b.
    const undoThird = await rollbackImportBatch(handle.db, third.batchId as string, "test");
    expect(undoThird).toMatchObject({ removed: 1, restored: 1 });
    expect(await stored()).toEqual(before);
  });

  it("keeps no previous state for the keys a batch creates, counts them per part, and rolls them back", async () => {
    const [a] = uais as [string];
    const period = "2034-2035";
    const created = await applyValues(
      handle.db,
      [
        { ...value(a, 5), period },
        { ...value(a, 6, "interactive_boards"), period },
      ],
      options("created-only"),
    );
    const batchId = created.batchId as string;
    const previous = await handle.db
      .selectFrom("data_value_previous")
      .select("school_id")
      .where("import_batch_id", "=", batchId)
      .execute();
    expect(previous).toEqual([]);
    const parts = await handle.db
      .selectFrom("data_value_batch_part")
      .select(["data_element_code", "period", "created"])
      .where("import_batch_id", "=", batchId)
      .orderBy("data_element_code")
      .execute();
    expect(parts).toEqual([
      { data_element_code: "computers", period, created: 1 },
      { data_element_code: "interactive_boards", period, created: 1 },
    ]);
    const report = await rollbackImportBatch(handle.db, batchId, "test");
    expect(report).toEqual({ batchId, removed: 2, restored: 0, replacedSince: 0 });
    const left = await handle.db
      .selectFrom("data_value")
      .select("value")
      .where("period", "=", period)
      .execute();
    expect(left).toEqual([]);
  });

  it("rolls back batches written before migration 0024 (created keys kept as `existed = false`)", async () => {
    const [a, b] = uais as [string, string];
    const period = "2036-2037";
    const at = (v: ProfileValue) => ({ ...v, period });
    // Batch 1 creates a's and b's values; batch 2 overwrites a (5 → 6).
    const first = await applyValues(handle.db, [at(value(a, 5)), at(value(b, 7))], options("old-1"));
    const second = await applyValues(handle.db, [at(value(a, 6))], options("old-2"));
    const firstId = first.batchId as string;
    // The shape such a batch has after the migration: one `existed = false` row per created key,
    // and parts rebuilt from those rows with `created = 0`.
    await sql`
      insert into data_value_previous (import_batch_id, academy_code, data_element_code, period, school_id,
        disaggregation, existed)
      select cast(${firstId} as bigint), academy_code, data_element_code, period, school_id, disaggregation, false
      from data_value where period = ${period}
    `.execute(handle.db);
    await handle.db
      .updateTable("data_value_batch_part")
      .set({ created: 0 })
      .where("import_batch_id", "=", firstId)
      .execute();
    const undoFirst = await rollbackImportBatch(handle.db, firstId, "test");
    // b was removed; a, replaced by batch 2 since, stays as batch 2 wrote it.
    expect(undoFirst).toEqual({ batchId: firstId, removed: 1, restored: 0, replacedSince: 1 });
    const values = () =>
      handle.db
        .selectFrom("data_value")
        .select(["school_id", "value"])
        .where("period", "=", period)
        .execute();
    expect((await values()).map((r) => r.value)).toEqual([6]);
    // Batch 2 inherits « n'existait pas » for a: undoing it removes a's value too.
    const undoSecond = await rollbackImportBatch(handle.db, second.batchId as string, "test");
    expect(undoSecond).toMatchObject({ removed: 1, restored: 0 });
    expect(await values()).toEqual([]);
  });

  it("refuses, in the database, a value whose school, element or batch is unknown", async () => {
    const school = await findSchool(handle.db, uais[0] as string);
    const row = {
      academy_code: school?.academyCode as string,
      data_element_code: "computers",
      period: "2035-2036",
      school_id: school?.id as string,
      value: 1,
      source: "api" as const,
    };
    const insert = (r: typeof row & { import_batch_id?: string }) =>
      handle.db.insertInto("data_value").values(r).execute();
    await expect(insert({ ...row, school_id: "999999999" })).rejects.toThrow(/établissement inconnu/);
    await expect(insert({ ...row, data_element_code: "no_such_element" })).rejects.toThrow(
      /élément de donnée inconnu/,
    );
    await expect(insert({ ...row, import_batch_id: "999999999" })).rejects.toThrow(/lot d'import inconnu/);
    await insert(row);
    await expect(
      handle.db
        .updateTable("data_value")
        .set({ school_id: "999999999" })
        .where("period", "=", row.period)
        .execute(),
    ).rejects.toThrow(/établissement inconnu/);
    await handle.db.deleteFrom("data_value").where("period", "=", row.period).execute();
  });

  it("applies a rolled-back content again", async () => {
    const [a] = uais as [string];
    const first = await applyValues(handle.db, [value(a, 77, "interactive_boards")], options("again"));
    await rollbackImportBatch(handle.db, first.batchId as string, "test");
    await handle.db
      .updateTable("import_file")
      .set({ status: "rolled-back" })
      .where("id", "=", first.fileId as string)
      .execute();
    const second = await applyValues(handle.db, [value(a, 77, "interactive_boards")], options("again"));
    expect(second).toMatchObject({ alreadyImported: false, written: 1 });
  });

  it("keeps fractional values exact, holds an implausible one among its peers, and a rollback restores its review state", async () => {
    // Twelve schools of one académie: enough peers (outliers.ts MIN_PEERS) for a judgement.
    const open = await handle.db
      .selectFrom("school")
      .select(["uai", "academy_code"])
      .where("status", "=", "open")
      .orderBy("uai")
      .execute();
    const byAcademy = new Map<string, typeof open>();
    for (const s of open) byAcademy.set(s.academy_code, [...(byAcademy.get(s.academy_code) ?? []), s]);
    const peers = [...byAcademy.values()]
      .find((l) => l.length >= 12)
      ?.slice(0, 12)
      .map((s) => s.uai);
    expect(peers).toHaveLength(12);
    const ips = (uai: string, v: number): ProfileValue => ({
      uai,
      dataElement: "ips",
      period: "2035-2036",
      disaggregation: {},
      value: v,
    });
    // Numbers whose shortest writing is long: the unchanged check must compare them exactly.
    const fractions = (peers as string[]).slice(0, 11).map((uai, i) => ips(uai, 0.1 + 0.2 + i / 3 / 7));
    const outlier = ips((peers as string[])[11] as string, 150.5);
    const first = await applyValues(handle.db, [...fractions, outlier], options("ips-1"));
    expect(first).toMatchObject({ written: 12, unchanged: 0, held: 1 });
    const heldRow = () =>
      handle.db
        .selectFrom("data_value")
        .select(["value", "status", "held_limit", "import_batch_id"])
        .where("period", "=", "2035-2036")
        .where("data_element_code", "=", "ips")
        .where("value", ">", 1)
        .executeTakeFirstOrThrow();
    // Ten times the 9th decile, the decile (below 1) counting as 1.
    expect(await heldRow()).toMatchObject({ value: 150.5, status: "held", held_limit: 10 });
    const same = await applyValues(handle.db, [...fractions, outlier], options("ips-2"));
    expect(same).toMatchObject({ written: 0, unchanged: 12, held: 0 });
    const kept = await handle.db
      .selectFrom("data_value_previous")
      .select("school_id")
      .where("import_batch_id", "=", same.batchId as string)
      .execute();
    expect(kept).toEqual([]);
    // The outlier corrected: published again, judged anew; its rollback puts the held state back.
    const fixed = await applyValues(handle.db, [ips(outlier.uai, 0.5)], options("ips-3"));
    expect(fixed).toMatchObject({ written: 1, unchanged: 0, held: 0 });
    const corrected = await handle.db
      .selectFrom("data_value")
      .select(["status", "held_limit"])
      .where("period", "=", "2035-2036")
      .where("value", "=", 0.5)
      .executeTakeFirstOrThrow();
    expect(corrected).toEqual({ status: "published", held_limit: null });
    await rollbackImportBatch(handle.db, fixed.batchId as string, "test");
    expect(await heldRow()).toMatchObject({
      value: 150.5,
      status: "held",
      held_limit: 10,
      import_batch_id: first.batchId,
    });
  });

  it("adds up the files of one school for a combining profile, and recombines the others after a rollback", async () => {
    const school = await findSchool(handle.db, uais[3] as string);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-combine-"));
    const file = (name: string, rows: number) => {
      const p = path.join(dir, name);
      const lines = Array.from({ length: rows }, (_, i) => `Participant ${i};3e${i % 2};1`);
      fs.writeFileSync(p, ["Nom du Participant;Classe;Tableaux", ...lines].join("\n"));
      return p;
    };
    const commit = (p: string) =>
      commitFile(handle.db, {
        profile: classProfile as never,
        profiles: TEST_PROFILES,
        file: p,
        fileName: path.basename(p),
        school,
        period: "2034-2035",
        actor: "test",
      });
    const boards = async () =>
      (
        await handle.db
          .selectFrom("data_value")
          .select("value")
          .where("period", "=", "2034-2035")
          .where("data_element_code", "=", "interactive_boards")
          .execute()
      ).map((r) => r.value);
    try {
      const first = await commit(file("a.csv", 3));
      expect(await boards()).toEqual([3]);
      const second = await commit(file("b.csv", 5));
      expect(second).toMatchObject({ committed: true, written: 1 });
      expect(await boards()).toEqual([8]);
      const stored = await handle.db
        .selectFrom("import_file")
        .select("detail")
        .where("id", "=", second.fileId as string)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(stored.detail)).not.toContain("Participant");
      // The first file is undone: its value had been replaced by the second's total, which is recomputed.
      const undone = await rollbackImport(handle.db, first.batchId as string, {
        actor: { userId: null, label: "test", source: "cli" },
        profiles: TEST_PROFILES,
      });
      expect(undone).toMatchObject({ removed: 0, restored: 0, replacedSince: 1, recombined: 1 });
      expect(await boards()).toEqual([5]);
      await expect(
        rollbackImport(handle.db, first.batchId as string, {
          actor: { userId: null, label: "test", source: "cli" },
          profiles: TEST_PROFILES,
        }),
      ).rejects.toThrow(`Le lot ${first.batchId} a déjà été annulé`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
