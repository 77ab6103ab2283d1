import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UploadStore } from "../../src/server/platform/index.ts";
import { writeAnnuaireCsv } from "../../src/server/territories/annuaire/index.ts";
import { generateDemoSchools } from "../../src/server/territories/demo/generate.ts";
import type { SchoolRecord } from "../../src/server/territories/school-record.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";
import { waitForJobDone } from "../helpers/jobs.ts";

/**
 * The upload path every importer uses (platform/uploads), through the Annuaire's routes: the file
 * streams to the data directory, the report caps its lists and gives a full CSV, an upload is its
 * sender's, a commit happens once however many requests ask for it, and what is never confirmed
 * is purged.
 */

type Client = Awaited<ReturnType<typeof signIn>>;
const BOUNDARY = "vigieboundary";
const multipart = (content: string | Buffer) =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="annuaire.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
const send = (client: Client, payload: Buffer) =>
  client.request({
    method: "POST",
    url: "/api/v1/imports/annuaire",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    payload,
  });

const schools = generateDemoSchools("tiny");
const csvOf = (records: readonly SchoolRecord[]) => writeAnnuaireCsv(records, "2026");

describe(`Uploads on ${testEngine}: on disk, capped reports, one commit, purge`, () => {
  let t: IdentityTestApp;
  let dataDir: string;
  const uploadsDir = () => path.join(dataDir, "uploads");
  const filesOnDisk = () => (fs.existsSync(uploadsDir()) ? fs.readdirSync(uploadsDir()).sort() : []);
  const uploadRows = async () => t.db.selectFrom("upload").selectAll().execute();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-upload-test-"));
    // 1 Mo: large enough for the files below, small enough to test the limit.
    t = await openIdentityTestApp({ VIGIE_UPLOAD_MAX_MB: "1" }, { dataDir });
    await makeUser(t.db, "admin@education.gouv.fr", [["national-admin", "FR"]]);
    await makeUser(t.db, "autre-admin@education.gouv.fr", [["national-admin", "FR"]]);
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("streams the file under the data directory, caps the report's lists and writes every issue to a CSV", async () => {
    const admin = await signIn(t.app, "admin@education.gouv.fr");
    const first = schools[0] as SchoolRecord;
    const valid = schools.slice(0, 30);
    const badUais = Array.from({ length: 1_100 }, (_, i) => ({ ...first, uai: `X${i}` }));
    // A formula where a UAI should be: echoed in the report, neutralised in the CSV.
    const formula = { ...first, uai: "=HYPERLINK(1)" };
    const repeated = Array.from({ length: 1_200 }, () => first);
    const content = csvOf([...valid, formula, ...badUais, ...repeated]);
    const res = await send(admin, multipart(content));
    expect(res.statusCode).toBe(200);
    const { importId, report, fullReportUrl } = res.json();
    expect(report).toMatchObject({
      read: 30 + 1 + 1_100 + 1_200,
      created: 30,
      rejectedTotal: 1_101,
      duplicatesTotal: 1_200,
      committed: false,
    });
    expect(report.rejected).toHaveLength(1_000);
    expect(report.duplicates).toHaveLength(1_000);
    expect(report.rejected[0]).toMatchObject({ line: 32, uai: "=HYPERLINK(1)" });
    expect(fullReportUrl).toBe(`/api/v1/imports/annuaire/${importId}/rapport.csv`);

    // The bytes are on disk, as sent; the table holds their description only.
    const onDisk = fs.readFileSync(path.join(uploadsDir(), importId));
    expect(onDisk.equals(Buffer.from(content))).toBe(true);
    const row = await t.db
      .selectFrom("upload")
      .selectAll()
      .where("id", "=", importId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: "annuaire",
      file_name: "annuaire.csv",
      sha256: createHash("sha256").update(content).digest("hex"),
      committed_at: null,
    });
    expect(Number(row.size_bytes)).toBe(Buffer.byteLength(content));

    const csv = await admin.request({ method: "GET", url: fullReportUrl });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="rapport-annuaire.csv"');
    const lines = csv.body.split("\r\n").filter((l) => l !== "");
    expect(lines[0]).toBe("\uFEFFLigne;UAI;Type;Colonne;Motif;Première ligne avec cet UAI");
    expect(lines).toHaveLength(1 + 1_101 + 1_200);
    expect(lines[1]).toMatch(/^32;'=HYPERLINK\(1\);rejet;/);
    expect(lines.at(-1)).toBe(
      `${30 + 1 + 1_100 + 1_200 + 1};${first.uai};doublon;;UAI déjà présent plus haut dans le fichier;2`,
    );
  });

  it("refuses a missing, empty, too large or interrupted file, and keeps nothing of it", async () => {
    const admin = await signIn(t.app, "admin@education.gouv.fr");
    const before = { files: filesOnDisk(), rows: (await uploadRows()).length };

    // A form with a text field and no file.
    const noFile = await send(
      admin,
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nbonjour\r\n--${BOUNDARY}--\r\n`,
      ),
    );
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json()).toMatchObject({ error: "no_file" });
    const empty = await send(admin, multipart(""));
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ error: "empty_file", message: "Le fichier envoyé est vide." });
    const big = csvOf(Array.from({ length: 8_000 }, () => schools[0] as SchoolRecord));
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
    const tooLarge = await send(admin, multipart(big));
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toEqual({
      error: "file_too_large",
      message: "Le fichier dépasse la taille maximale acceptée (1 Mo).",
    });
    // The sending stops in the middle of the file: no closing boundary ever comes.
    const cut = multipart(csvOf(schools.slice(0, 200)));
    const interrupted = await send(admin, cut.subarray(0, Math.floor(cut.length / 2)));
    expect(interrupted.statusCode).toBe(400);
    expect(interrupted.json()).toEqual({
      error: "upload_aborted",
      message: "L'envoi du fichier a été interrompu avant la fin : renvoyez-le.",
    });
    const notAnnuaire = await send(admin, multipart("nom;ville\nÉcole du Port;Bordeaux\n"));
    expect(notAnnuaire.statusCode).toBe(400);
    expect(notAnnuaire.json()).toMatchObject({ error: "missing_columns" });

    expect(filesOnDisk()).toEqual(before.files);
    expect(await uploadRows()).toHaveLength(before.rows);
  });

  it("keeps an upload to its sender: nobody else confirms it or reads its report", async () => {
    const dane = await signIn(t.app, "dane@ac-bordeaux.fr");
    const res = await send(dane, multipart(csvOf(schools.slice(0, 5))));
    expect(res.statusCode).toBe(200);
    const { importId, fullReportUrl } = res.json();
    const other = await signIn(t.app, "autre-admin@education.gouv.fr");
    for (const request of [
      { method: "POST" as const, url: `/api/v1/imports/annuaire/${importId}/commit` },
      { method: "POST" as const, url: `/api/v1/imports/annuaire/${importId}/commit?wait=true` },
      { method: "GET" as const, url: fullReportUrl },
    ]) {
      const refused = await other.request(request);
      expect(refused.statusCode, request.url).toBe(404);
      expect(refused.json()).toMatchObject({ message: "Import introuvable : renvoyez le fichier." });
    }
    expect((await t.app.inject({ method: "GET", url: fullReportUrl })).statusCode).toBe(401);
    const own = await dane.request({ method: "GET", url: fullReportUrl });
    expect(own.statusCode).toBe(200);
    const row = await t.db
      .selectFrom("upload")
      .selectAll()
      .where("id", "=", importId)
      .executeTakeFirstOrThrow();
    expect(row.committed_at).toBeNull();
  });

  /** Three requests at once for one upload: one job, one batch, one audit event. */
  async function commitConcurrently(wait: boolean) {
    const admin = await signIn(t.app, "admin@education.gouv.fr");
    // A file of its own (different schools), so that its batch is told apart by its hash.
    const content = csvOf(schools.slice(wait ? 100 : 200, wait ? 140 : 240));
    const sent = await send(admin, multipart(content));
    expect(sent.statusCode).toBe(200);
    const { importId } = sent.json();
    const url = `/api/v1/imports/annuaire/${importId}/commit${wait ? "?wait=true" : ""}`;
    const answers = await Promise.all([1, 2, 3].map(() => admin.request({ method: "POST", url })));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([wait ? 200 : 202, 409, 409]);
    for (const loser of answers.filter((a) => a.statusCode === 409)) {
      expect(["Cet import a déjà été confirmé.", "Cet import est déjà en cours d'enregistrement."]).toContain(
        loser.json().message,
      );
    }
    const winner = answers.find((a) => a.statusCode !== 409)?.json() as { jobId: string };
    if (!wait) await waitForJobDone(admin, winner.jobId);
    const sha = createHash("sha256").update(content).digest("hex");
    const batches = await t.db
      .selectFrom("import_batch")
      .select("id")
      .where("file_sha256", "=", sha)
      .execute();
    expect(batches).toHaveLength(1);
    const audits = await t.db
      .selectFrom("audit_event")
      .select("id")
      .where("action", "=", "annuaire.import")
      .where("entity_id", "=", batches[0]?.id as string)
      .execute();
    expect(audits).toHaveLength(1);
    const row = await t.db
      .selectFrom("upload")
      .selectAll()
      .where("id", "=", importId)
      .executeTakeFirstOrThrow();
    expect(row.commit_job_id).toBe(winner.jobId);
    // The applied file is gone; a later request is told it is done.
    expect(fs.existsSync(path.join(uploadsDir(), importId))).toBe(false);
    const later = await admin.request({ method: "POST", url });
    expect(later.statusCode).toBe(409);
    expect(later.json().message).toBe("Cet import a déjà été confirmé.");
  }

  it("commits once when three requests confirm the same upload at once", async () =>
    commitConcurrently(false));
  it("commits once when three requests confirm and wait at once (?wait=true)", async () =>
    commitConcurrently(true));

  it("purges uploads never confirmed after the retention period, files included", async () => {
    const admin = await signIn(t.app, "admin@education.gouv.fr");
    const old = (await send(admin, multipart(csvOf(schools.slice(300, 303))))).json().importId as string;
    const recent = (await send(admin, multipart(csvOf(schools.slice(303, 306))))).json().importId as string;
    await t.db
      .updateTable("upload")
      .set({ created_at: sql<Date>`now() - interval '8 days'` })
      .where("id", "=", old)
      .execute();
    const store = new UploadStore(t.db, { dataDir, maxBytes: 1024 * 1024, retentionDays: 7 });
    expect(await store.purge()).toBe(1);
    expect(await store.get(old)).toBeNull();
    expect(filesOnDisk().filter((f) => f.startsWith(old))).toEqual([]);
    expect(await store.get(recent)).not.toBeNull();
    expect(filesOnDisk()).toEqual(expect.arrayContaining([recent, `${recent}.rapport.csv`]));
    const gone = await admin.request({ method: "POST", url: `/api/v1/imports/annuaire/${old}/commit` });
    expect(gone.statusCode).toBe(404);
  });
});

describe(`Uploads kept in the database by an older version, on ${testEngine}`, () => {
  it("moves them to the store at start, and they can still be confirmed", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-upload-legacy-"));
    const t = await openIdentityTestApp({}, { dataDir });
    try {
      await makeUser(t.db, "admin@education.gouv.fr", [["national-admin", "FR"]]);
      const content = Buffer.from(csvOf(schools.slice(0, 4)));
      const id = "6f1c2a5e-8a63-4d2b-9a55-0a4b8e7f1c20";
      await t.db
        .insertInto("import_upload")
        .values({ id, kind: "annuaire", file_name: "ancien.csv", file_sha256: "x", content })
        .execute();
      // The first request readies the app, whose start moves the file.
      const admin = await signIn(t.app, "admin@education.gouv.fr");
      expect(fs.readFileSync(path.join(dataDir, "uploads", id)).equals(content)).toBe(true);
      const legacy = await t.db
        .selectFrom("import_upload")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(legacy.content).toHaveLength(0);
      const commit = await admin.request({
        method: "POST",
        url: `/api/v1/imports/annuaire/${id}/commit?wait=true`,
      });
      expect(commit.statusCode).toBe(200);
      expect(commit.json().report).toMatchObject({ read: 4, created: 4, committed: true });
    } finally {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
