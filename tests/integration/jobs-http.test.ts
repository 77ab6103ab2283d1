import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobDto } from "../../src/contracts/jobs.ts";
import { writeAnnuaireCsv } from "../../src/server/territories/annuaire/index.ts";
import { generateDemoSchools } from "../../src/server/territories/demo/generate.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";
import { waitForJobDone } from "../helpers/jobs.ts";

/**
 * The job route and the Annuaire commit as a job, over HTTP: progress and report for the user
 * who confirmed, nothing for the others, one commit per upload, and `?wait=true` for scripts.
 */
describe(`GET /api/v1/jobs/{id} and the Annuaire commit job on ${testEngine}`, () => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await openIdentityTestApp();
    await makeUser(t.db, "admin@education.gouv.fr", [["national-admin", "FR"]]);
    await makeUser(t.db, "autre-admin@education.gouv.fr", [["national-admin", "FR"]]);
    await makeUser(t.db, "lecteur@education.gouv.fr", [["reader", "FR"]]);
  });
  afterAll(async () => t?.close());

  const csv = (count: number) => writeAnnuaireCsv(generateDemoSchools("tiny").slice(0, count), "2026");
  const upload = async (client: Awaited<ReturnType<typeof signIn>>, content: string) => {
    const boundary = "vigieboundary";
    const res = await client.request({
      method: "POST",
      url: "/api/v1/imports/annuaire",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="annuaire.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode).toBe(200);
    return res.json().importId as string;
  };

  it("shows the job to the user who started it, with its progress and then its report", async () => {
    const admin = await signIn(t.app, "admin@education.gouv.fr");
    const importId = await upload(admin, csv(12));
    const commit = await admin.request({
      method: "POST",
      url: `/api/v1/imports/annuaire/${importId}/commit`,
    });
    expect(commit.statusCode).toBe(202);
    const { jobId } = commit.json() as { jobId: string };
    expect(jobId).toMatch(/^\d+$/);

    const done = await waitForJobDone(admin, jobId);
    expect(jobDto.parse(done)).toEqual(done);
    expect(done).toMatchObject({
      id: jobId,
      type: "annuaire.commit",
      state: "done",
      error: null,
      attempts: 1,
      progress: { done: 12, total: 12, message: "Enregistrement des établissements" },
      result: { report: { read: 12, created: 12, committed: true } },
    });
    expect(await t.db.selectFrom("school").select("uai").execute()).toHaveLength(12);
    // The schools changed: the roll-up requested with them runs as its own job, and ends.
    const rollups = async () =>
      (await t.db
        .selectFrom("job" as never)
        .select(["state" as never, "attempts" as never])
        .where("type" as never, "=", "indicators.rollup" as never)
        .execute()) as { state: string }[];
    const started = Date.now();
    while ((await rollups()).some((j) => j.state !== "done") || (await rollups()).length === 0) {
      if (Date.now() - started > 20_000) throw new Error(`roll-up : ${JSON.stringify(await rollups())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const pending = await t.db
      .selectFrom("rollup_request")
      .select("id")
      .where("done_at", "is", null)
      .execute();
    expect(pending).toEqual([]);

    // Someone else, even a national administrator, and the anonymous: nothing to see.
    const other = await signIn(t.app, "autre-admin@education.gouv.fr");
    const hidden = await other.request({ method: "GET", url: `/api/v1/jobs/${jobId}` });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ error: "not_found", message: "Traitement introuvable." });
    const reader = await signIn(t.app, "lecteur@education.gouv.fr");
    expect((await reader.request({ method: "GET", url: `/api/v1/jobs/${jobId}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: "GET", url: `/api/v1/jobs/${jobId}` })).statusCode).toBe(401);
    expect((await admin.request({ method: "GET", url: "/api/v1/jobs/pas-un-id" })).statusCode).toBe(404);

    // The upload is spent: a second confirmation is refused.
    const again = await admin.request({ method: "POST", url: `/api/v1/imports/annuaire/${importId}/commit` });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe("Cet import a déjà été confirmé.");
  });

  it("refuses a second commit of the same upload, and waits for the report with ?wait=true", async () => {
    const admin = await signIn(t.app, "admin@education.gouv.fr");
    const importId = await upload(admin, csv(20));
    const url = `/api/v1/imports/annuaire/${importId}/commit`;
    const first = await admin.request({ method: "POST", url });
    expect(first.statusCode).toBe(202);
    // While the first is queued or running (or once it is done): refused either way.
    const second = await admin.request({ method: "POST", url });
    expect(second.statusCode).toBe(409);
    expect(["Cet import est déjà en cours d'enregistrement.", "Cet import a déjà été confirmé."]).toContain(
      second.json().message,
    );
    await waitForJobDone(admin, first.json().jobId);
    const jobs = await t.db
      .selectFrom("job" as never)
      .select("id" as never)
      .where("type" as never, "=", "annuaire.commit" as never)
      .execute();
    expect(jobs).toHaveLength(2); // this upload's and the first test's

    const next = await upload(admin, csv(25));
    const waited = await admin.request({
      method: "POST",
      url: `/api/v1/imports/annuaire/${next}/commit?wait=true`,
    });
    expect(waited.statusCode).toBe(200);
    expect(waited.json()).toMatchObject({ jobId: expect.any(String), report: { read: 25, committed: true } });
  });
});
