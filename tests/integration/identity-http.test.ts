import { Writable } from "node:stream";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installRouteGuard } from "../../src/server/identity/access.ts";
import { issueToken } from "../../src/server/identity/tokens.ts";
import { createHttp } from "../../src/server/platform/http.ts";
import { writeAnnuaireCsv } from "../../src/server/territories/annuaire/index.ts";
import { generateDemoSchools } from "../../src/server/territories/demo/generate.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  openIdentityTestApp,
  PASSWORD,
  postLogin,
  signIn,
} from "../helpers/identity.ts";
import { waitForJobDone } from "../helpers/jobs.ts";

describe("access rules are mandatory", () => {
  it("refuses to start when an /api route has no rule, whatever its method", async () => {
    const app = await createHttp({ logLevel: "silent", beforeRoutes: [installRouteGuard] });
    expect(() => app.get("/api/v1/oubli", async () => ({}))).toThrow(
      "Route GET /api/v1/oubli sans règle d'accès : ajoutez config.access",
    );
    expect(() => app.post("/page", async () => ({}))).toThrow("Route POST /page sans règle d'accès");
    // A plugin declaring such a route makes the whole start fail.
    app.register(async (child) => {
      child.delete("/api/v1/dans-un-plugin", async () => ({}));
    });
    await expect(app.ready()).rejects.toThrow("Route DELETE /api/v1/dans-un-plugin sans règle d'accès");
  });

  it("lets through routes with a rule, the OpenAPI viewer and static pages; lists them all", async () => {
    const app = Fastify();
    installRouteGuard(app);
    app.get("/api/v1/ouvert", { config: { access: "public" } }, async () => ({}));
    app.get("/api/docs/json", async () => ({}));
    app.get("/assets/app.js", async () => "");
    await app.ready();
    expect(app.registeredRoutes.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /api/v1/ouvert",
      "HEAD /api/v1/ouvert",
      "GET /api/docs/json",
      "HEAD /api/docs/json",
      "GET /assets/app.js",
      "HEAD /assets/app.js",
    ]);
    await app.close();
  });
});

describe(`access rules cannot be bypassed on ${testEngine}`, () => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await openIdentityTestApp();
  });
  afterAll(async () => t?.close());

  it("applies a route's rule whatever the spelling of its URL (percent-encoding, query string)", async () => {
    for (const url of ["/api/v1/users", "/%61pi/v1/users", "/api/v1/%75sers", "/api/v1/users?x=1"]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error, url).toBe("unauthenticated");
    }
    const post = await t.app.inject({
      method: "POST",
      url: "/%61pi/v1/imports/annuaire",
      headers: { origin: "https://evil.example" },
    });
    expect(post.statusCode).toBe(403);
    expect(post.json().error).toBe("cross_origin");
  });
});

describe(`security headers and logs on ${testEngine}`, () => {
  let t: IdentityTestApp;
  const log: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        log.push(String(chunk));
        done();
      },
    });
    t = await openIdentityTestApp({ LOG_LEVEL: "debug" }, { logStream: stream });
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  });
  afterAll(async () => t?.close());

  it("sends a strict content security policy and the other headers", async () => {
    const res = await t.app.inject({ url: "/api/health" });
    const csp = res.headers["content-security-policy"] as string;
    const directives = Object.fromEntries(
      csp.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values.join(" ")];
      }),
    );
    expect(directives["default-src"]).toBe("'self'");
    expect(directives["script-src"]).toBe("'self'");
    expect(directives["script-src-attr"]).toBe("'none'");
    expect(directives["style-src"]).toMatch(/^'self' 'sha256-[^']+' 'sha256-[^']+'$/);
    expect(directives["frame-ancestors"]).toBe("'none'");
    expect(directives["object-src"]).toBe("'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["referrer-policy"]).toBe("same-origin");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["strict-transport-security"]).toBeUndefined();

    const docs = await t.app.inject({ url: "/api/docs" });
    expect(docs.statusCode).toBe(200);
    const docsCsp = docs.headers["content-security-policy"] as string;
    expect(docsCsp).toContain("frame-ancestors 'none'");
    expect(docsCsp).toMatch(/script-src 'self'/);
    expect(docsCsp).not.toContain("unsafe-inline");
    expect(docsCsp).not.toContain("upgrade-insecure-requests");
  });

  it("describes login and logout in the OpenAPI document", async () => {
    const spec = (await t.app.inject({ url: "/api/docs/json" })).json();
    const login = spec.paths["/api/v1/auth/login"].post;
    expect(login.requestBody.content["application/json"].schema.required).toEqual(["email", "password"]);
    expect(Object.keys(login.responses)).toEqual(["200", "401", "429"]);
    expect(Object.keys(spec.paths["/api/v1/auth/logout"].post.responses)).toEqual(["200", "204"]);
  });

  it("writes no password, cookie, CSRF token or one-time token in the log", async () => {
    const login = await postLogin(t.app, "dane@ac-bordeaux.fr", PASSWORD);
    const cookie = login.cookies.find((c) => c.name === "vigie_session")?.value ?? "";
    const csrf = login.json().csrfToken as string;
    await postLogin(t.app, "dane@ac-bordeaux.fr", "Mauvais-Mot-De-Passe-7");
    const user = await makeUser(t.db, "invite@ac-bordeaux.fr", [], { password: null, status: "invited" });
    const { token } = await issueToken(t.db, user.id, "invitation");
    await t.app.inject({ url: `/activation?jeton=${token}` });
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      payload: { token, password: "Secret-Tres-Long-42" },
    });
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie: `vigie_session=${cookie}`, "x-csrf-token": csrf },
    });
    // A route failing with the request in its error must not leak either.
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { cookie: `vigie_session=${cookie}`, authorization: "Bearer abc" },
      payload: "{not json",
    });
    const text = log.join("");
    expect(text).toContain("/api/v1/auth/login");
    expect(text).toContain("jeton=%5Bmasqu%C3%A9%5D");
    for (const secret of [
      PASSWORD,
      "Mauvais-Mot-De-Passe-7",
      "Secret-Tres-Long-42",
      cookie,
      csrf,
      token,
      "Bearer abc",
    ]) {
      expect(text, secret).not.toContain(secret);
    }
  });
});

describe(`Annuaire import by a scoped importer on ${testEngine}`, () => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await openIdentityTestApp();
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
    await makeUser(t.db, "admin@education.gouv.fr", [["national-admin", "FR"]]);
  });
  afterAll(async () => t?.close());

  /** A file with schools of the académies 04 Bordeaux, 13 Poitiers and 22 Limoges. */
  const file = () => {
    const schools = generateDemoSchools("tiny");
    const pick = (academy: string) => schools.filter((s) => s.academyCode === academy).slice(0, 3);
    return writeAnnuaireCsv([...pick("04"), ...pick("13"), ...pick("22")], "2026");
  };
  const upload = (client: Awaited<ReturnType<typeof signIn>>, csv: string) => {
    const boundary = "vigieboundary";
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="annuaire.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    return client.request({
      method: "POST",
      url: "/api/v1/imports/annuaire",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  };

  it("refuses a file that is not an Annuaire export, with the reason in French and nothing stored", async () => {
    const dane = await signIn(t.app, "dane@ac-bordeaux.fr");
    const notAnnuaire = await upload(dane, "nom;ville\nÉcole du Port;Bordeaux\n");
    expect(notAnnuaire.statusCode).toBe(400);
    expect(notAnnuaire.json()).toMatchObject({
      error: "missing_columns",
      message: expect.stringMatching(/colonne/i),
    });
    const empty = await upload(dane, "");
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ error: "empty_file", message: "Le fichier envoyé est vide." });
    expect(await t.db.selectFrom("import_upload").select("id").execute()).toEqual([]);
    expect(await t.db.selectFrom("upload").select("id").execute()).toEqual([]);
  });

  it("rejects the rows outside the importer's académie, imports the others, audits the commit", async () => {
    const dane = await signIn(t.app, "dane@ac-bordeaux.fr");
    const dry = await upload(dane, file());
    expect(dry.statusCode).toBe(200);
    const { importId, report } = dry.json();
    expect(report.read).toBe(9);
    expect(report.created).toBe(3);
    expect(report.rejected).toHaveLength(6);
    expect(report.rejected[0].reason).toBe(
      "Établissement hors de votre périmètre (académie de Bordeaux) : ligne ignorée",
    );
    expect(report.rejected.map((r: { line: number }) => r.line)).toEqual([5, 6, 7, 8, 9, 10]);

    const commit = await dane.request({ method: "POST", url: `/api/v1/imports/annuaire/${importId}/commit` });
    // The confirmation runs as a job: its id now, its report when it is done.
    expect(commit.statusCode).toBe(202);
    const job = await waitForJobDone(dane, commit.json().jobId);
    expect(job.result.report).toMatchObject({ created: 3, committed: true });
    const academies = await t.db.selectFrom("school").select("academy_code").distinct().execute();
    expect(academies).toEqual([{ academy_code: "04" }]);

    const batch = await t.db.selectFrom("import_batch").select("id").executeTakeFirstOrThrow();
    const audit = await t.db
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "annuaire.import")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actor_label: "dane@ac-bordeaux.fr",
      source: "import",
      source_ref: String(batch.id),
      entity_type: "import_batch",
      territory_level: "academy",
      territory_code: "04",
      academy_code: "04",
    });
    expect(audit.summary).toMatchObject({ read: 9, created: 3, updated: 0, rejected: 6, duplicates: 0 });
  });

  it("lets a national importer import everything", async () => {
    const admin = await signIn(t.app, "admin@education.gouv.fr");
    const dry = await upload(admin, file());
    expect(dry.json().report).toMatchObject({ created: 6, unchanged: 3, rejected: [] });
  });
});
