import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, conflict, invalid, notFound } from "./errors.ts";
import { createHttp } from "./http.ts";

/** The one error handler of createHttp, seen from a client and from the log. */

let app: FastifyInstance;
const logLines: string[] = [];

beforeAll(async () => {
  app = await createHttp({
    logLevel: "info",
    logStream: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get("/not-found", async () => {
    throw notFound("Feuille de route introuvable : 42.");
  });
  r.get("/conflict", async () => {
    throw conflict("Enregistrée entre-temps par quelqu'un d'autre.", "version_conflict", [
      "version lue : 3",
      "version enregistrée : 4",
    ]);
  });
  r.get("/empty-details", async () => {
    throw invalid("Rien à lire.", "empty_file", []);
  });
  r.get("/unavailable", async () => {
    throw new AppError(503, "mail_unavailable", "Le serveur de messagerie ne répond pas.");
  });
  r.get("/export.csv", async (_req, reply) => {
    reply.type("text/csv").header("content-disposition", 'attachment; filename="x.csv"');
    throw new Error("disk full");
  });
  r.get("/fault", async () => {
    throw new Error("connection to 10.0.0.3:5432 refused (password=hunter2)");
  });
  r.get(
    "/schools",
    {
      schema: {
        querystring: z.object({
          page: z.coerce.number().int().min(1),
          pageSize: z.coerce.number().int().max(100).default(20),
          uai: z
            .string()
            .regex(/^\d{7}[A-Z]$/)
            .optional(),
          status: z.enum(["open", "closed"]).optional(),
        }),
      },
    },
    async (req) => req.query,
  );
  r.post(
    "/roadmaps",
    {
      schema: {
        body: z.object({
          title: z.string().min(1).max(10),
          code: z.string().regex(/^[a-z]+$/, "code en minuscules sans accent"),
          objectives: z.array(z.object({ target: z.number() })),
        }),
      },
    },
    async () => ({ ok: true }),
  );
  r.post("/small", { bodyLimit: 32 }, async () => ({ ok: true }));
  await app.ready();
});

afterAll(async () => app?.close());

describe("AppError", () => {
  it("is answered with its status, its code and its French message", async () => {
    const res = await app.inject({ method: "GET", url: "/not-found" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: "not_found", message: "Feuille de route introuvable : 42." });
  });

  it("carries its details, and leaves out an empty list of them", async () => {
    const res = await app.inject({ method: "GET", url: "/conflict" });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: "version_conflict",
      message: "Enregistrée entre-temps par quelqu'un d'autre.",
      details: ["version lue : 3", "version enregistrée : 4"],
    });
    const empty = await app.inject({ method: "GET", url: "/empty-details" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ error: "empty_file", message: "Rien à lire." });
  });

  it("as a 5xx, also gives the request id", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/unavailable",
      headers: { "x-request-id": "r-503" },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      error: "mail_unavailable",
      message: "Le serveur de messagerie ne répond pas.",
      requestId: "r-503",
    });
  });
});

describe("an unexpected error", () => {
  it("is a 500 with the request id, in French, without its message or stack", async () => {
    const res = await app.inject({ method: "GET", url: "/fault", headers: { "x-request-id": "r-fault-1" } });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toEqual({
      error: "internal_error",
      message: expect.stringContaining("Erreur interne du serveur"),
      requestId: "r-fault-1",
    });
    expect(body.message).toContain("r-fault-1");
    expect(res.body).not.toMatch(/refused|hunter2|10\.0\.0\.3|at .*\.ts|stack/);
  });

  it("is logged on the server with its message, its stack and the request id", () => {
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.reqId === "r-fault-1" && l.err);
    expect(line?.level).toBe(50);
    expect(line?.err.message).toContain("connection to 10.0.0.3:5432 refused");
    expect(line?.err.stack).toMatch(/at /);
  });

  it("is answered as JSON, not as the file, when an export fails after its headers are set", async () => {
    const res = await app.inject({ method: "GET", url: "/export.csv" });
    expect(res.statusCode).toBe(500);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["content-disposition"]).toBeUndefined();
    expect(res.json().error).toBe("internal_error");
  });

  it("gets a fresh request id when the client sends none", async () => {
    const res = await app.inject({ method: "GET", url: "/fault" });
    expect(res.json().requestId).toMatch(/\S/);
  });
});

describe("a refused request", () => {
  it("names the field and says what is wrong in French (query string)", async () => {
    const res = await app.inject({ method: "GET", url: "/schools?page=0&pageSize=500&uai=abc&status=x" });
    expect(res.statusCode).toBe(400);
    const { error, message, details } = res.json();
    // A code of its own (issue 9, point 7): the client tells a bad field from other refusals.
    expect(error).toBe("invalid_parameters");
    expect(message).toMatch(/^Paramètres invalides — /);
    expect(details).toContain("page : doit être supérieur ou égal à 1");
    expect(details).toHaveLength(4);
    expect(message).toContain("page : doit être supérieur ou égal à 1");
    expect(message).toContain("pageSize : doit être inférieur ou égal à 100");
    expect(message).toContain("uai : format invalide");
    expect(message).toContain("status : valeur non reconnue (valeurs possibles : « open », « closed »)");
    expect(message).not.toMatch(/Too small|Too big|Invalid|expected|pattern/);
  });

  it("says which field is missing or of the wrong type, and keeps a schema's own message (body)", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/roadmaps",
      payload: { title: "", code: "École", objectives: [{ target: "beaucoup" }] },
    });
    expect(res.statusCode).toBe(400);
    const { message } = res.json();
    expect(message).toContain("title : ne doit pas être vide");
    expect(message).toContain("code : code en minuscules sans accent");
    expect(message).toContain("objectives.0.target : doit être un nombre");
    const missing = await app.inject({
      method: "POST",
      url: "/roadmaps",
      payload: { title: "Onze lettres" },
    });
    expect(missing.json().message).toContain("title : doit contenir au plus 10 caractères");
    expect(missing.json().message).toContain("code : valeur obligatoire manquante");
    const wrongType = await app.inject({ method: "GET", url: "/schools?page=deux" });
    expect(wrongType.json().message).toBe("Paramètres invalides — page : doit être un nombre");
  });

  it("answers Fastify's own refusals in French", async () => {
    const json = { "content-type": "application/json" };
    const broken = await app.inject({ method: "POST", url: "/roadmaps", headers: json, payload: "{titre" });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toEqual({
      error: "invalid_json",
      message: "Le corps de la requête n'est pas du JSON valide.",
    });
    const empty = await app.inject({ method: "POST", url: "/roadmaps", headers: json, payload: "" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe("empty_body");
    expect(empty.json().message).toMatch(/^Le corps de la requête est vide/);
    const xml = await app.inject({
      method: "POST",
      url: "/roadmaps",
      headers: { "content-type": "application/xml" },
      payload: "<a/>",
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toEqual({
      error: "unsupported_media_type",
      message: "Type de contenu non pris en charge : « application/xml ».",
    });
    const big = await app.inject({
      method: "POST",
      url: "/small",
      headers: json,
      payload: { text: "x".repeat(100) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toEqual({ error: "too_large", message: "Le fichier envoyé est trop volumineux." });
  });
});
