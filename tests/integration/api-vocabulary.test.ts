import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  openIdentityTestApp,
  type SignedIn,
  signIn,
} from "../helpers/identity.ts";

/**
 * Issue 9, point 7, through the real app: every error is French with a stable code, framework
 * refusals included, and every route reads a territory the same way (FR and nation:FR, level:code,
 * a code that names one territory; a code that names several is a 400 listing them).
 */

/** English sentences Fastify, Zod or a plugin would answer if a refusal escaped the handler. */
const ENGLISH =
  /\b(Unsupported|Media Type|Body is not|valid JSON|Too small|Too big|Invalid|expected|pattern|must|Route|not found)\b/;

describe(`API vocabulary on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    await makeUser(t.db, "admin@education.gouv.fr", [["national-admin", "FR"]]);
    admin = await signIn(t.app, "admin@education.gouv.fr");
  });
  afterAll(async () => t?.close());

  const ROUTES = [
    (territory: string) => `/api/v1/schools?territory=${territory}`,
    (territory: string) => `/api/v1/indicators/computers_per_100_pupils/values?territory=${territory}`,
    (territory: string) => `/api/v1/indicators/computers_per_100_pupils/dashboard?territory=${territory}`,
    (territory: string) => `/api/v1/audit-events?territory=${territory}`,
  ];

  it("accepts FR, nation:FR, level:code and a code that names one territory on every route", async () => {
    for (const route of ROUTES) {
      for (const territory of [
        "FR",
        "nation:FR",
        "fr",
        "academy:04",
        "department:33",
        "33".replace("33", "2A"),
      ]) {
        const res = await admin.request({ method: "GET", url: route(encodeURIComponent(territory)) });
        expect(res.statusCode, `${route(territory)} → ${res.body.slice(0, 200)}`).toBe(200);
      }
    }
  });

  it("reads FR and nation:FR as the same node, and 2A as department:2A", async () => {
    for (const route of ROUTES.slice(0, 2)) {
      const fr = await admin.request({ method: "GET", url: route("FR") });
      const nation = await admin.request({ method: "GET", url: route("nation:FR") });
      expect(fr.json()).toEqual(nation.json());
      const bare = await admin.request({ method: "GET", url: route("2A") });
      const keyed = await admin.request({ method: "GET", url: route("department:2A") });
      expect(bare.json()).toEqual(keyed.json());
    }
  });

  it("refuses an ambiguous code on every route with the same code and the candidates, in French", async () => {
    for (const route of ROUTES) {
      const res = await admin.request({ method: "GET", url: route("04") });
      expect(res.statusCode, route("04")).toBe(400);
      const body = res.json();
      expect(body.error).toBe("invalid_parameters");
      expect(body.message).toContain("Territoire « 04 » ambigu");
      for (const key of ["academicRegion:04", "academy:04", "department:04"])
        expect(body.message).toContain(key);
      expect(body.message).not.toMatch(ENGLISH);
    }
  });

  it("refuses what it cannot read with the same French reason everywhere", async () => {
    const messages = new Set<string>();
    for (const route of ROUTES.slice(0, 2)) {
      const res = await admin.request({ method: "GET", url: route("xyz") });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe("invalid_parameters");
      messages.add(res.json().message.replace(/écrivez .*$/, ""));
    }
    expect([...messages]).toEqual(["Paramètres invalides — territory : Territoire « xyz » non reconnu : "]);
  });

  it("reads role territories and roadmap territories with the same reader", async () => {
    const ambiguous = await admin.request({
      method: "POST",
      url: "/api/v1/users/invitations",
      payload: { email: "lecteur@example.fr", role: "reader", territory: "04" },
    });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().message).toContain("Territoire « 04 » ambigu");
    const bare = await admin.request({
      method: "POST",
      url: "/api/v1/users/invitations",
      payload: { email: "lecteur@example.fr", role: "reader", territory: "2A" },
    });
    expect(bare.statusCode, bare.body).toBe(201);
    const roadmap = await admin.request({
      method: "POST",
      url: "/api/v1/roadmaps",
      payload: { territory: "04" },
    });
    expect(roadmap.statusCode).toBe(400);
    expect(roadmap.json()).toMatchObject({ error: "invalid_territory" });
    expect(roadmap.json().message).toContain("Territoire « 04 » ambigu");
    const school = await admin.request({
      method: "POST",
      url: "/api/v1/roadmaps",
      payload: { territory: "school:0330001A" },
    });
    expect(school.statusCode).toBe(400);
    expect(school.json()).toMatchObject({ error: "invalid_territory" });
    expect(school.json().message).toContain("un établissement ne convient pas");
    const merged = await admin.request({
      method: "POST",
      url: "/api/v1/roadmaps",
      payload: { territory: "academy:05" },
    });
    expect(merged.statusCode).toBe(400);
    expect(merged.json().message).toBe(
      "territory : Territoire « academy:05 » inconnu : l'académie 05 n'existe plus, écrivez academy:70",
    );
    const corsica = await admin.request({
      method: "POST",
      url: "/api/v1/roadmaps",
      payload: { territory: "2A" },
    });
    expect(corsica.statusCode, corsica.body).toBeLessThan(300);
    expect(corsica.json().territory).toMatchObject({ level: "department", code: "2A" });
  });

  it("answers framework refusals in French with their stable code", async () => {
    const cases = [
      {
        request: { headers: { "content-type": "application/xml" }, payload: "<a/>" },
        status: 415,
        error: "unsupported_media_type",
      },
      {
        request: { headers: { "content-type": "application/json" }, payload: "{x" },
        status: 400,
        error: "invalid_json",
      },
      {
        request: { headers: { "content-type": "application/json" }, payload: "" },
        status: 400,
        error: "empty_body",
      },
      { request: { payload: { values: "x" } }, status: 400, error: "invalid_parameters" },
      {
        request: { payload: { values: [{ uai: 1, dataElement: "", period: 2024, value: "beaucoup" }] } },
        status: 400,
        error: "invalid_parameters",
      },
    ];
    for (const c of cases) {
      const res = await admin.request({ method: "POST", url: "/api/v1/data-values", ...c.request });
      expect(res.statusCode, res.body).toBe(c.status);
      expect(res.json().error).toBe(c.error);
      expect(res.json().message).not.toMatch(ENGLISH);
    }
    const page = await admin.request({
      method: "GET",
      url: "/api/v1/schools?page=0&pageSize=100000&status=x",
    });
    expect(page.json()).toMatchObject({ error: "invalid_parameters" });
    expect(page.json().message).not.toMatch(ENGLISH);
    const unknown = await admin.request({ method: "GET", url: "/api/v1/nope" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: "not_found",
      message: "Ressource introuvable : GET /api/v1/nope",
    });
  });
});
