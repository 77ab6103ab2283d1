import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { seedReferential } from "../../src/server/territories/seed.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

describe(`referential on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => handle?.close());

  it("seeds 18 régions académiques, 30 académies and 101 départements, idempotently", async () => {
    await seedReferential(handle.db);
    const count = async (table: "academic_region" | "academy" | "department") =>
      Number(
        (
          await handle.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count("academic_region")).toBe(18);
    expect(await count("academy")).toBe(30);
    expect(await count("department")).toBe(101);
    expect(handle.engine).toBe(testEngine);
  });
});
