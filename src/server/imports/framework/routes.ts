import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  importBatchSummary,
  importFileReport,
  importProfileInfo,
  importRollbackReport,
  importUploaded,
} from "../../../contracts/imports.ts";
import { jobStarted } from "../../../contracts/jobs.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { type Principal, requestActor, scopesWith } from "../../identity/index.ts";
import { parsePeriod, ROLLUP_JOB } from "../../indicators/index.ts";
import {
  AppError,
  type Database,
  DuplicateJobError,
  forbidden,
  invalid,
  JobFailedError,
  type JobRunner,
  notFound,
  startUploadCommit,
  type UploadStore,
  waitForJob,
} from "../../platform/index.ts";
import { findSchoolAncestriesByIds } from "../../territories/index.ts";
import { findSchool, type ResolvedSchool } from "./apply.ts";
import { listImportBatches, rollbackImport } from "./batches.ts";
import { IMPORT_COMMIT_JOB, type ImportCommitPayload, type ImportCommitResult } from "./commit-job.ts";
import { dryRun, type ImportReport, reportForStorage } from "./run.ts";
import { IMPORT_PERMISSION, importAllowedSchool, outOfScopeMessage } from "./scope.ts";
import { genericProfileCode, type Profile, type ProfileResolver, type SchoolRef } from "./types.ts";

/**
 * The imports API: upload a file for a profile (streamed to platform's upload store, dry-run at
 * once: the report answers), read its report again, confirm it (the `imports.commit` job, once:
 * concurrent confirmations get 409, as for the Annuaire), list the committed batches and roll
 * one back. Every route is for the holders of `indicators.write`, on their scope: a school
 * outside it is refused, a file naming schools row by row has theirs checked one by one.
 */

export interface ImportRouteDeps {
  db: Kysely<Database>;
  jobs: JobRunner;
  uploads: UploadStore;
  profiles: readonly Profile[];
  /** Profiles built at run time (the generic profile of a saved mapping). */
  resolve?: ProfileResolver;
}

/** The generic profile as the profile list shows it: a saved mapping is chosen with it. */
const GENERIC_INFO = {
  code: "generic",
  label: "Fichier quelconque (CSV ou XLSX), avec une correspondance enregistrée",
  needsSchool: false,
  requiredColumns: [],
};

const ACCESS = { access: { permission: IMPORT_PERMISSION } } as const;
const uploadKind = (profile: string) => `imports:${profile}`;

export function registerImportRoutes(app: FastifyInstance, deps: ImportRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, uploads } = deps;
  const profileByCode = async (code: string, mapping?: string) => {
    const wanted = code === "generic" && deps.resolve ? genericProfileCode(mapping ?? "") : code;
    const profile = deps.profiles.find((p) => p.code === wanted) ?? (await deps.resolve?.(wanted)) ?? null;
    if (!profile)
      throw invalid(
        `Profil d'import inconnu : « ${code} ». Profils : ${deps.profiles.map((p) => p.code).join(", ") || "aucun"}.`,
        "unknown_profile",
      );
    return profile;
  };

  r.get(
    "/api/v1/imports/profiles",
    {
      config: ACCESS,
      schema: {
        tags: ["imports"],
        summary: "Profils d'import (Pix, ENT, données ouvertes…) et leurs colonnes obligatoires",
        response: { 200: z.array(importProfileInfo) },
      },
    },
    async () => [
      ...deps.profiles.map((p) => ({
        code: p.code,
        label: p.label,
        needsSchool: p.needsSchool,
        requiredColumns: p.columns.filter((c) => c.required).map((c) => c.labels[0] ?? c.key),
      })),
      ...(deps.resolve ? [GENERIC_INFO] : []),
    ],
  );

  r.post(
    "/api/v1/imports/files",
    {
      config: ACCESS,
      schema: {
        tags: ["imports"],
        summary: "Envoyer un fichier à importer (simulation, rien n'est écrit)",
        description:
          "Formulaire multipart avec un champ `file` (CSV ou XLSX). `profile` dit de quel export il s'agit ; `school` (UAI) est obligatoire pour les fichiers qui ne nomment pas d'établissement, sauf pour qui n'a qu'un établissement ; `period` quand le fichier ne donne pas la période. La réponse est le rapport de simulation ; un fichier refusé en entier (en-tête d'un autre profil, octets binaires…) répond 400 avec la raison et n'est pas gardé.",
        consumes: ["multipart/form-data"],
        querystring: z.object({
          profile: z.string().min(1),
          school: z.string().optional(),
          period: z.string().optional(),
          mapping: z
            .string()
            .max(120)
            .optional()
            .describe("Nom de la correspondance enregistrée (profil « generic »)"),
        }),
        response: { 200: importUploaded, 400: apiErrorSchema, 403: apiErrorSchema, 413: apiErrorSchema },
      },
    },
    async (req) => {
      const profile = await profileByCode(req.query.profile, req.query.mapping);
      const period = checkedPeriod(req.query.period);
      const allowed = importAllowedSchool(req.principal);
      const school = await schoolOf(db, profile, req.query.school, req.principal, allowed);
      const file = await req.file().catch(() => undefined);
      if (!file) throw invalid("Aucun fichier reçu : joignez un fichier CSV ou XLSX.", "no_file");
      const actor = requestActor(req, "import");
      const upload = await uploads.receive(file.file, {
        kind: uploadKind(profile.code),
        fileName: file.filename,
        ownerUserId: actor.userId,
        truncated: () => file.file.truncated,
      });
      try {
        const report = await dryRun(db, {
          profile,
          profiles: deps.profiles,
          file: uploads.filePath(upload.id),
          fileName: file.filename,
          school,
          period,
          ...(allowed ? { allowedSchool: allowed } : {}),
        });
        if (report.refused) throw invalid(report.refused, "import_refused");
        await forgetOldDryRuns(db);
        const row = await db
          .insertInto("import_file")
          .values({
            profile: profile.code,
            file_name: file.filename,
            sha256: report.sha256 ?? upload.sha256,
            school_id: school?.id ?? null,
            period,
            status: "dry-run",
            report: JSON.stringify(reportForStorage(report)),
            detail: null,
            batch_id: null,
            upload_id: upload.id,
            actor: actor.label,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        return { fileId: String(row.id), report };
      } catch (error) {
        // A refused file is not kept.
        await uploads.remove(upload.id);
        throw error;
      }
    },
  );

  /** The person's own uploaded file (404 for anyone else, as for an unknown id). */
  const ownedFile = async (req: FastifyRequest, id: string) => {
    const row = /^\d{1,18}$/.test(id)
      ? await db.selectFrom("import_file").selectAll().where("id", "=", id).executeTakeFirst()
      : undefined;
    if (!row?.upload_id) throw notFound("Fichier d'import introuvable : renvoyez-le.", "unknown_import");
    const upload = await uploads.getOwned(
      row.upload_id,
      uploadKind(row.profile),
      req.principal?.userId ?? null,
    );
    return { row, upload };
  };

  r.get(
    "/api/v1/imports/files/:id",
    {
      config: ACCESS,
      schema: {
        tags: ["imports"],
        summary: "Rapport de simulation d'un fichier envoyé (ou de son import, une fois confirmé)",
        params: z.object({ id: z.string() }),
        response: { 200: importUploaded, 404: apiErrorSchema },
      },
    },
    async (req) => {
      const { row } = await ownedFile(req, req.params.id);
      return { fileId: String(row.id), report: storedReport(row.report) };
    },
  );

  r.post(
    "/api/v1/imports/files/:id/commit",
    {
      config: ACCESS,
      schema: {
        tags: ["imports"],
        summary: "Confirmer l'import d'un fichier envoyé, après lecture de son rapport de simulation",
        description:
          "Lance l'enregistrement comme un traitement (202 et son identifiant : progression et rapport à `GET /api/v1/jobs/{id}`). Avec `?wait=true`, la réponse attend la fin et porte le rapport. Un fichier se confirme une fois : les demandes concurrentes reçoivent 409. Le même contenu déjà importé n'écrit rien (`alreadyImported`).",
        params: z.object({ id: z.string() }),
        querystring: z.object({ wait: z.enum(["true", "false"]).optional() }),
        response: {
          200: z.object({ jobId: z.string(), report: importFileReport }),
          202: jobStarted,
          404: apiErrorSchema,
          409: apiErrorSchema,
          422: apiErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const { row, upload } = await ownedFile(req, req.params.id);
      const actor = requestActor(req, "import");
      const school = row.school_id === null ? null : await schoolById(db, String(row.school_id));
      const payload: ImportCommitPayload = {
        profile: row.profile,
        source: { kind: "upload", uploadId: upload.id },
        fileId: String(row.id),
        school,
        period: row.period,
        actor,
        rights: req.principal ?? null,
      };
      const jobId = await startUploadCommit(uploads, upload, {
        enqueue: () =>
          deps.jobs.enqueue(IMPORT_COMMIT_JOB, payload, {
            scope: { userId: actor.userId, node: school ? `school:${school.uai}` : null },
            // A second click, another tab, another process: one unfinished commit job per upload.
            dedupeKey: upload.id,
          }),
        isDuplicate: (error) => error instanceof DuplicateJobError,
        cancel: (id) => deps.jobs.cancel(id),
      });
      if (req.query.wait !== "true") return reply.code(202).send({ jobId });
      try {
        const { report } = await waitForJob<ImportCommitResult>(deps.jobs, jobId);
        return { jobId, report };
      } catch (err) {
        if (err instanceof JobFailedError) throw new AppError(422, "import_failed", err.message);
        throw err;
      }
    },
  );

  r.get(
    "/api/v1/imports/batches",
    {
      config: ACCESS,
      schema: {
        tags: ["imports"],
        summary: "Fichiers importés et leurs lots, le plus récent d'abord (dans son périmètre)",
        querystring: z.object({ profile: z.string().optional() }),
        response: { 200: z.array(importBatchSummary) },
      },
    },
    async (req) => {
      const allowed = importAllowedSchool(req.principal);
      return listImportBatches(db, {
        ...(allowed ? { allowed, own: requestActor(req, "import").label } : {}),
        ...(req.query.profile ? { profile: req.query.profile } : {}),
      });
    },
  );

  r.post(
    "/api/v1/imports/batches/:id/rollback",
    {
      config: ACCESS,
      schema: {
        tags: ["imports"],
        summary:
          "Annuler un lot d'import : ses valeurs supprimées, les précédentes remises, agrégats recalculés",
        params: z.object({ id: z.string() }),
        response: { 200: importRollbackReport, 404: apiErrorSchema, 409: apiErrorSchema },
      },
    },
    async (req) => {
      const allowed = importAllowedSchool(req.principal);
      const report = await rollbackImport(db, req.params.id, {
        actor: requestActor(req, "import"),
        profiles: deps.profiles,
        ...(allowed ? { allowed } : {}),
      });
      // The aggregates follow at once (the request is written with the rollback).
      await deps.jobs.enqueue(ROLLUP_JOB, {});
      return report;
    },
  );
}

/**
 * Dry runs never confirmed outlive their upload (purged after VIGIE_UPLOAD_RETENTION_DAYS, 7 by
 * default): their rows (counts, capped reasons, the sender's e-mail) go after 30 days.
 */
const DRY_RUN_KEEP_DAYS = 30;

async function forgetOldDryRuns(db: Kysely<Database>): Promise<void> {
  await db
    .deleteFrom("import_file")
    .where("status", "=", "dry-run")
    .where("created_at", "<", new Date(Date.now() - DRY_RUN_KEEP_DAYS * 86_400_000))
    .execute();
}

function checkedPeriod(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === "") return null;
  const period = parsePeriod(raw);
  if (!period.ok) throw invalid(`Période « ${raw} » : ${period.reason}`, "invalid_period");
  return raw.trim();
}

/**
 * The school of an upload: the one asked (known, and in the person's scope), or, for a profile
 * whose files name none, the person's single school; null for files naming their schools.
 */
async function schoolOf(
  db: Kysely<Database>,
  profile: Profile,
  uai: string | undefined,
  principal: Principal | null | undefined,
  allowed: ((school: ResolvedSchool) => boolean) | undefined,
): Promise<SchoolRef | null> {
  let code = uai?.trim() ? uai.trim() : null;
  if (!code && profile.needsSchool) {
    const schools = scopesWith(principal ?? null, IMPORT_PERMISSION).filter(
      (s) => s.kind === "territory" && s.level === "school",
    );
    if (schools.length !== 1 || !schools[0])
      throw invalid(
        "Ce fichier ne nomme pas d'établissement : choisissez l'établissement concerné (paramètre school).",
        "school_required",
      );
    code = schools[0].code;
  }
  if (!code) return null;
  const school = await findSchool(db, code);
  if (!school)
    throw invalid(`UAI inconnu : ${code} (aucun établissement de ce code dans Vigie).`, "unknown_uai");
  if (allowed && !allowed(school)) throw forbidden(outOfScopeMessage(school.uai), "out_of_scope");
  return { id: school.id, uai: school.uai, academyCode: school.academyCode, type: school.type };
}

/** The school of a stored file, by its id. */
async function schoolById(db: Kysely<Database>, id: string): Promise<SchoolRef | null> {
  const [place] = await findSchoolAncestriesByIds(db, [id]);
  if (!place) return null;
  const school = await findSchool(db, place.uai);
  return school
    ? { id: school.id, uai: school.uai, academyCode: school.academyCode, type: school.type }
    : null;
}

/** A stored report, with the fields a report always has (an older row may lack some). */
function storedReport(report: unknown): ImportReport {
  return report as ImportReport;
}
