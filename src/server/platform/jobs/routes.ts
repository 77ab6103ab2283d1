import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { type JobDto, jobDto } from "../../../contracts/jobs.ts";
import { notFound } from "../errors.ts";
import type { Job, JobRunner } from "./types.ts";

export function jobToDto(job: Job): JobDto {
  return {
    id: job.id,
    type: job.type,
    state: job.state,
    progress: job.progress,
    result: job.result,
    error: job.error,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/**
 * `GET /api/v1/jobs/{id}` for any signed-in user; `canRead` (wired in app.ts by identity) says
 * whether this user may see this job. A job they may not see answers 404, like a missing one,
 * so ids of others' jobs reveal nothing.
 */
export function registerJobRoutes(
  app: FastifyInstance,
  runner: JobRunner,
  canRead: (req: FastifyRequest, job: Job) => boolean,
): void {
  const missing = z.object({ error: z.string(), message: z.string() });
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/jobs/:id",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["plateforme"],
        summary: "État d'un traitement long (import, consolidation…) : progression, résultat ou erreur",
        params: z.object({ id: z.string() }),
        response: { 200: jobDto, 404: missing },
      },
    },
    async (req) => {
      const job = await runner.get(req.params.id);
      if (!job || !canRead(req, job)) throw notFound("Traitement introuvable.");
      return jobToDto(job);
    },
  );
}
