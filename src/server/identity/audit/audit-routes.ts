import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { auditFilters, auditPage, auditQuery } from "../../../contracts/audit.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { CSV_BOM, csvLine, type Database } from "../../platform/index.ts";
import {
  AUDIT_CSV_COLUMNS,
  auditCsvRow,
  auditVisibility,
  iterateAuditEvents,
  searchAuditEvents,
} from "./audit-log.ts";

/** Paris date of today, for file names (`journal-audit-2026-11-24.csv`). */
export function parisDay(date = new Date()): string {
  return new Intl.DateTimeFormat("fr-CA", { timeZone: "Europe/Paris" }).format(date);
}

/** Searching and exporting the audit log (`audit.read`, limited to the reader's scope). */
export function auditRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/audit-events",
    {
      config: { access: { permission: "audit.read" } },
      schema: {
        tags: ["journal d'audit"],
        summary: "Chercher dans le journal d'audit (filtres, tri, pagination)",
        description:
          "Permission audit.read. Un administrateur national voit tout ; un pilotage de région académique ou d'académie voit les événements de son périmètre (leur académie), pas ceux sans territoire (connexions, paramètres).",
        querystring: auditQuery,
        response: { 200: auditPage, 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    async (req) => {
      // The access rule let in only holders of audit.read: a visibility exists.
      const visibility = auditVisibility(req.principal) ?? { all: false, academies: [], academicRegions: [] };
      return searchAuditEvents(db, visibility, req.query);
    },
  );

  r.get(
    "/api/v1/audit-events.csv",
    {
      config: { access: { permission: "audit.read" } },
      schema: {
        tags: ["journal d'audit"],
        summary: "Exporter le journal d'audit en CSV (mêmes filtres, même périmètre)",
        description:
          "CSV séparé par « ; », UTF-8 avec BOM, première ligne : noms de colonnes stables (id, occurred_at, actor_user_id, actor_label, action, action_label, entity_type, entity_id, territory_level, territory_code, academy_code, source, source_ref, request_id, ip, summary). Les cellules commençant par = + - @ sont préfixées d'une apostrophe. Tri par date (order=asc|desc), envoyé au fil de la lecture.",
        querystring: auditFilters,
        produces: ["text/csv"],
        response: {
          200: z.string().describe("Le fichier CSV"),
          401: apiErrorSchema,
          403: apiErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const visibility = auditVisibility(req.principal) ?? { all: false, academies: [], academicRegions: [] };
      const events = iterateAuditEvents(db, visibility, req.query);
      async function* lines() {
        yield CSV_BOM + csvLine(AUDIT_CSV_COLUMNS);
        for await (const event of events) yield csvLine(auditCsvRow(event));
      }
      return (
        reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="journal-audit-${parisDay()}.csv"`)
          .header("cache-control", "no-store")
          // A stream is sent as is (no serializer): the type provider only knows the schema's string.
          .send(Readable.from(lines()) as unknown as string)
      );
    },
  );
}
