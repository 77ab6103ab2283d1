import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/server/platform/db.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";

/**
 * Issue 9, point 7: an unchanged re-import of an Annuaire file closes nothing (it reported
 * `closed: 608`) and queues no roll-up; a file that closes a school counts it once.
 */

const BOUNDARY = "vigieboundary";
const fixture = (name: string) => fs.readFileSync(path.resolve("tests/fixtures/annuaire", name));
const multipart = (content: Buffer) =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="annuaire.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);

describe(`re-importing an unchanged Annuaire file on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-reimport-test-"));
    t = await openIdentityTestApp({}, { dataDir });
    await makeUser(t.db, "admin@education.gouv.fr", [["national-admin", "FR"]]);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Upload, dry run and commit through the API, as the import page does. */
  async function importThroughApi(content: Buffer) {
    const admin = await signIn(t.app, "admin@education.gouv.fr");
    const upload = await admin.request({
      method: "POST",
      url: "/api/v1/imports/annuaire",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      payload: multipart(content),
    });
    expect(upload.statusCode).toBe(200);
    const { importId, report: plan } = upload.json();
    const commit = await admin.request({
      method: "POST",
      url: `/api/v1/imports/annuaire/${importId}/commit?wait=true`,
    });
    expect(commit.statusCode).toBe(200);
    return { plan, report: commit.json().report };
  }

  const rollups = async () => ({
    jobs: (await t.db.selectFrom("job").select("id").where("type", "=", "indicators.rollup").execute())
      .length,
    requests: (await t.db.selectFrom("rollup_request").select("id").execute()).length,
  });

  it("closes and refreshes on the first import, nothing the second time", async () => {
    const file = fixture("annuaire-2023-bom-crlf.csv");
    const first = await importThroughApi(file);
    // One school of the file is FERME: new to Vigie, the import records it closed.
    expect(first.plan).toMatchObject({ created: 12, closed: 1, committed: false });
    expect(first.report).toMatchObject({ created: 12, closed: 1, committed: true });
    const afterFirst = await rollups();
    expect(afterFirst.jobs).toBeGreaterThanOrEqual(1);

    const again = await importThroughApi(file);
    expect(again.plan).toMatchObject({ created: 0, updated: 0, unchanged: 12, closed: 0 });
    expect(again.report).toMatchObject({ created: 0, updated: 0, unchanged: 12, closed: 0, committed: true });
    // No roll-up asked for (in the transaction) nor queued (after it).
    expect(await rollups()).toEqual(afterFirst);
  });

  it("counts a school closed by a newer file once, and not again when that file comes back", async () => {
    const newer = fixture("annuaire-2026-lf-newer.csv");
    const before = await rollups();
    const first = await importThroughApi(newer);
    // 0350002M closes in this file; 0350008U, closed already, is not in it.
    expect(first.report).toMatchObject({ closed: 1, committed: true });
    const afterFirst = await rollups();
    expect(afterFirst.jobs).toBeGreaterThan(before.jobs);
    const again = await importThroughApi(newer);
    expect(again.report).toMatchObject({ created: 0, updated: 0, closed: 0, committed: true });
    expect(await rollups()).toEqual(afterFirst);
  });
});

describe(`vigie import annuaire --commit twice on ${testEngine}`, { timeout: 300_000 }, () => {
  let cli: CliWorkspace;
  beforeAll(async () => {
    cli = await openCliWorkspace("vigie-reimport-cli-");
  });
  afterAll(async () => cli?.close());

  /** Roll-up jobs run so far: the command's own runner records them in the `job` table. */
  async function rollupJobs(): Promise<number> {
    const handle = await openDatabase(
      { dataDir: cli.dataDir, databaseUrl: cli.databaseUrl || undefined },
      { migrations: MIGRATIONS },
    );
    try {
      const rows = await handle.db
        .selectFrom("job")
        .select("id")
        .where("type", "=", "indicators.rollup")
        .execute();
      return rows.length;
    } finally {
      await handle.close();
    }
  }

  it("reports closed: 0 and runs no roll-up the second time", async () => {
    const file = path.resolve("tests/fixtures/annuaire/annuaire-2023-bom-crlf.csv");
    const first = await cli.vigie("import", "annuaire", file, "--commit", "--json");
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: 12, closed: 1, committed: true });

    const again = await cli.vigie("import", "annuaire", file, "--commit", "--json");
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 12, closed: 0 });
    // One roll-up, the first commit's: the unchanged file ran none.
    expect(await rollupJobs()).toBe(1);
  });
});
