import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";
import { waitForJobDone } from "../helpers/jobs.ts";

/**
 * Issue 10, item 1, from the web app's side: upload a file for a profile (dry run), read its
 * report, confirm it once (a job; concurrent confirmations get 409), the same content again
 * (« déjà importé »), the batch list in scope, a rollback and a second one refused; and the
 * refusals: a school outside the person's scope, an unknown UAI, a file for another profile,
 * binary bytes. With a real profile (pix-certification: the file names no UAI).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CERTIFICATION = fs.readFileSync(path.join(ROOT, "tests/fixtures/imports/pix-certification-3e.csv"));

type Client = Awaited<ReturnType<typeof signIn>>;
const BOUNDARY = "vigieimports";
const multipart = (content: Buffer, fileName = "certification.csv") =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
const upload = (client: Client, query: string, content = CERTIFICATION) =>
  client.request({
    method: "POST",
    url: `/api/v1/imports/files?${query}`,
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    payload: multipart(content),
  });

describe(`imports over HTTP on ${testEngine}: upload, report, one commit, batches, rollback`, () => {
  let t: IdentityTestApp;
  let dataDir: string;
  let mine: string;
  let other: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-imports-http-"));
    t = await openIdentityTestApp({}, { dataDir });
    await loadDemo(t.db, "tiny");
    const colleges = await t.db
      .selectFrom("school")
      .select("uai")
      .where("type", "=", "college")
      .where("status", "=", "open")
      .orderBy("uai")
      .limit(2)
      .execute();
    [mine, other] = colleges.map((c) => c.uai) as [string, string];
    await makeUser(t.db, "principale@ac-poitiers.fr", [["school-head", mine]]);
    await makeUser(t.db, "autre-principal@ac-poitiers.fr", [["school-head", other]]);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("dry-runs an upload for the person's single school, commits it once, then reports it already imported", async () => {
    const head = await signIn(t.app, "principale@ac-poitiers.fr");
    const profiles = await head.request({ method: "GET", url: "/api/v1/imports/profiles" });
    expect(profiles.json().map((p: { code: string }) => p.code)).toContain("pix-certification");

    // A dry run never confirmed, older than 30 days: forgotten at the next upload.
    const old = await t.db
      .insertInto("import_file")
      .values({
        profile: "pix-certification",
        file_name: "ancien.csv",
        sha256: "0".repeat(64),
        school_id: null,
        period: null,
        status: "dry-run",
        report: "{}",
        detail: null,
        batch_id: null,
        upload_id: null,
        actor: "principale@ac-poitiers.fr",
        created_at: new Date(Date.now() - 40 * 86_400_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const sent = await upload(head, "profile=pix-certification");
    expect(sent.statusCode, sent.body).toBe(200);
    expect(await t.db.selectFrom("import_file").select("id").where("id", "=", old.id).execute()).toEqual([]);
    const { fileId, report } = sent.json();
    expect(report).toMatchObject({
      profile: "pix-certification",
      school: mine,
      committed: false,
      refused: null,
    });
    expect(report.values).toBeGreaterThan(0);
    const again = await head.request({ method: "GET", url: `/api/v1/imports/files/${fileId}` });
    expect(again.json().report.read).toBe(report.read);
    const stranger = await signIn(t.app, "autre-principal@ac-poitiers.fr");
    expect(
      (await stranger.request({ method: "GET", url: `/api/v1/imports/files/${fileId}` })).statusCode,
    ).toBe(404);

    const commits = await Promise.all(
      [1, 2, 3].map(() => head.request({ method: "POST", url: `/api/v1/imports/files/${fileId}/commit` })),
    );
    expect(commits.map((c) => c.statusCode).sort()).toEqual([202, 409, 409]);
    const started = commits.find((c) => c.statusCode === 202);
    const job = await waitForJobDone(head, started?.json().jobId);
    expect(job.result.report).toMatchObject({ committed: true, alreadyImported: false });
    expect(job.result.report.written).toBeGreaterThan(0);
    const batchId = job.result.report.batchId as string;

    const repeated = await upload(head, "profile=pix-certification");
    expect(repeated.json().report).toMatchObject({ alreadyImported: true, alreadyImportedBatch: batchId });

    const batches = await head.request({ method: "GET", url: "/api/v1/imports/batches" });
    expect(batches.json()[0]).toMatchObject({
      batchId,
      status: "committed",
      schoolUai: mine,
      profile: "pix-certification",
    });
    const strangers = await stranger.request({ method: "GET", url: "/api/v1/imports/batches" });
    expect(strangers.json()).toEqual([]);
    // Somebody else's batch is not theirs to roll back: as if it did not exist.
    const foreign = await stranger.request({
      method: "POST",
      url: `/api/v1/imports/batches/${batchId}/rollback`,
    });
    expect(foreign.statusCode).toBe(404);

    const rollback = await head.request({
      method: "POST",
      url: `/api/v1/imports/batches/${batchId}/rollback`,
    });
    expect(rollback.statusCode, rollback.body).toBe(200);
    expect(rollback.json()).toMatchObject({ batchId, removed: job.result.report.written, restored: 0 });
    const twice = await head.request({ method: "POST", url: `/api/v1/imports/batches/${batchId}/rollback` });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe(`Le lot ${batchId} a déjà été annulé : rien n'a été changé.`);
    const stored = await t.db
      .selectFrom("data_value")
      .select("value")
      .where("import_batch_id", "=", batchId)
      .execute();
    expect(stored).toEqual([]);
  });

  it("refuses a school outside the scope, an unknown UAI, another profile's file, binary bytes, and keeps none", async () => {
    const head = await signIn(t.app, "principale@ac-poitiers.fr");
    const outside = await upload(head, `profile=pix-certification&school=${other}`);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().message).toBe(
      `L'établissement ${other} est hors de votre périmètre : vous ne pouvez pas importer de données pour lui.`,
    );
    const unknown = await upload(head, "profile=pix-certification&school=9999999Z");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain("UAI inconnu : 9999999Z");
    const wrong = await upload(head, "profile=pix-profiles");
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toMatch(
      /^Ce fichier ressemble à un export « .* » : utilisez le profil pix-certification/,
    );
    const binary = await upload(
      head,
      "profile=pix-certification",
      Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 0xff]),
    );
    expect(binary.statusCode).toBe(400);
    expect(binary.json().message).toMatch(/octets binaires \(un PDF\)/);
    const left = await t.db.selectFrom("upload").select("id").where("committed_at", "is", null).execute();
    const files = await t.db
      .selectFrom("import_file")
      .select("upload_id")
      .where("status", "=", "dry-run")
      .execute();
    // Only the two dry runs of the first test are kept.
    expect(left.length).toBe(files.length);
  });
});
