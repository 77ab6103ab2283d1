import type { Command } from "commander";
import { type RunningServer, startServer } from "./server/app.ts";
import { registerCollectionCommands } from "./server/collection/index.ts";
import { registerIdentityCommands } from "./server/identity/index.ts";
import { registerImportCommands, registerImportJobs, registerUsageCommands } from "./server/imports/index.ts";
import {
  loadDemoValuesForCli,
  loadLocalDataElements,
  ROLLUP_JOB,
  registerIndicatorCommands,
  registerRollupJob,
  requestFullRefresh,
} from "./server/indicators/index.ts";
import {
  type CliContext,
  type CliIo,
  CliUsageError,
  type Config,
  createJobRunner,
  createProgram,
  type DatabaseHandle,
  DatabaseLockedError,
  type DelegatedRequest,
  DelegationInterrupted,
  delegateCommand,
  type JobProgress,
  type JobRunner,
  loadConfig,
  NO_PROGRESS,
  type OwnerEndpoint,
  openDatabase,
  type Progress,
  processIo,
  runJobAndWait,
  runProgram,
  startDelegationEndpoint,
} from "./server/platform/index.ts";
import { publishDemoRoadmapIfEmpty, registerRoadmapCommands } from "./server/roadmaps/index.ts";
import { MIGRATIONS } from "./server/schema.ts";
import { registerTerritoryCommands, seedReferential } from "./server/territories/index.ts";

/**
 * The `vigie` command: same configuration as the server (VIGIE_DATA_DIR, DATABASE_URL). Each
 * module declares its own commands; this file assembles them and decides where they run: in this
 * process, or, when a server owns the embedded base, inside that server (ADR 0008).
 */

const HELP_AFTER = `
Configuration (variables d'environnement) :
  VIGIE_DATA_DIR   dossier de la base embarquée PGlite (défaut : ./data)
  DATABASE_URL     serveur PostgreSQL à utiliser à la place de PGlite
  PORT             port HTTP du serveur (défaut : 3000)
  VIGIE_DEMO=0     démarrer sans données de démonstration
  VIGIE_PUBLIC_URL adresse publique de Vigie (liens d'activation, cookie Secure en https)
  VIGIE_ADMIN_EMAIL  premier administrateur national (défaut : admin@vigie.localhost)

Pendant que le serveur tourne sur une base embarquée, les commandes qui lisent ou écrivent la
base lui sont confiées (il en est le seul propriétaire) : même rapport, même code de sortie.`;

/** Thrown by `withDatabase` when a running server owns the base: the whole command goes to it. */
class HandOver extends Error {
  constructor(readonly endpoint: OwnerEndpoint) {
    super("commande confiée au serveur propriétaire de la base");
  }
}

function buildProgram(ctx: CliContext): Command {
  const program = createProgram(
    "Vigie — piloter la stratégie du numérique éducatif par les données",
    HELP_AFTER,
  );
  registerServe(program, ctx);
  program
    .command("migrate")
    .description("appliquer les migrations de la base et le référentiel territorial")
    .action(async () => {
      await ctx.withDatabase(async (h) => ctx.io.err(`Base à jour (${h.engine}).\n`));
    });
  const importCommand = program.command("import").description("importer des données");
  registerTerritoryCommands(program, importCommand, ctx, {
    onSchoolsChanged: (trx) => requestFullRefresh(trx),
    // Schools changed: coverages move; the aggregates are brought up to date now.
    afterSchoolsCommitted: async (h) => void (await ctx.runJob(h, ROLLUP_JOB, {}, NO_PROGRESS)),
    loadDemoData: async (db, { values }) => {
      if (!values) return null;
      const observatory = await loadDemoValuesForCli(db);
      // As on the server's first start: the demo territory's roadmap, published.
      const roadmap = await publishDemoRoadmapIfEmpty(db);
      return roadmap
        ? { ...observatory, text: `${observatory.text}\nFeuille de route publiée : « ${roadmap.title} ».` }
        : observatory;
    },
  });
  registerIndicatorCommands(program, importCommand, ctx);
  registerImportCommands(importCommand, ctx);
  registerUsageCommands(program, ctx);
  registerIdentityCommands(program, ctx);
  registerRoadmapCommands(program, ctx);
  registerCollectionCommands(program, ctx);
  return program;
}

function registerServe(program: Command, ctx: CliContext): void {
  program
    .command("serve")
    .description("démarrer le serveur web et l'API (charge la démo sur une base vide)")
    .action(async () => {
      if (ctx.delegated) throw new CliUsageError("le serveur Vigie tourne déjà sur cette base.");
      await serve(ctx.config);
    });
}

/** `vigie serve`: the server, which also takes the commands of other `vigie` processes. */
async function serve(config: Config): Promise<void> {
  const server = await startServer({
    config,
    // The pages answer at once; the demo of a new instance loads meanwhile (its progress on the home page).
    demoInBackground: true,
    onDemoProgress: (m) => console.error(m),
  }).catch((err: unknown) => {
    if (!(err instanceof DatabaseLockedError)) throw err;
    throw new CliUsageError(
      `la base ${err.dataDir} est déjà ouverte par le processus ${err.owner.pid} (${err.owner.command}) : un seul processus Vigie à la fois sur une base embarquée. Arrêtez-le, ou donnez à ce serveur un autre dossier (VIGIE_DATA_DIR).`,
    );
  });
  const delegation = await startDelegationEndpoint((request, io) =>
    runHere(delegatedContext(server, config, io), request.args),
  );
  server.handle.owner?.announce(delegation.endpoint);
  console.error(`Vigie est prêt : ${server.url} (base ${server.handle.engine}) — Ctrl+C pour arrêter.`);
  const stop = async () => {
    await delegation.close();
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** Inside the server: the command works on the server's own open base. */
function delegatedContext(server: RunningServer, config: Config, io: CliIo): CliContext {
  return {
    io,
    config,
    delegated: true,
    withDatabase: (fn) => fn(server.handle),
    runJob: (_handle, type, payload, progress) => waitWithProgress(server.jobs, type, payload, progress),
  };
}

/** A job through `jobs`, its progress on the person's bar. */
function waitWithProgress<R>(jobs: JobRunner, type: string, payload: object, progress: Progress): Promise<R> {
  return runJobAndWait<R>(jobs, type, payload, {
    pollMs: 100,
    ...(progress.onProgress
      ? { onProgress: (p: JobProgress) => progress.onProgress?.(p.done, p.total) }
      : {}),
  });
}

/**
 * A command alone on its base runs its jobs with a runner of its own, stopped at the end: the job
 * is persisted as from the server (a stop in the middle leaves it to be resumed or failed cleanly).
 */
async function runJobHere<R>(
  handle: DatabaseHandle,
  type: string,
  payload: object,
  progress: Progress,
): Promise<R> {
  const jobs = createJobRunner(handle, { pollMs: 100 });
  registerRollupJob(jobs, handle.db);
  registerImportJobs(jobs, handle.db);
  await jobs.start();
  try {
    return await waitWithProgress<R>(jobs, type, payload, progress);
  } finally {
    await jobs.stop();
  }
}

/** In this process: the base is opened for the command, or the command handed to its owner. */
function localContext(config: Config, io: CliIo): CliContext {
  return {
    io,
    config,
    delegated: false,
    runJob: runJobHere,
    async withDatabase(fn) {
      const handle = await openDatabase(config, { migrations: MIGRATIONS }).catch((err: unknown) => {
        if (err instanceof DatabaseLockedError && err.owner.endpoint) throw new HandOver(err.owner.endpoint);
        throw err;
      });
      try {
        await seedReferential(handle.db);
        // The data elements DANEs defined are part of this process's catalogue, as of the server's.
        await loadLocalDataElements(handle.db);
        return await fn(handle);
      } finally {
        await handle.close();
      }
    },
  };
}

function runHere(ctx: CliContext, args: readonly string[]): Promise<number> {
  return runProgram(buildProgram(ctx), args, ctx.io, {
    passThrough: (err) => err instanceof HandOver,
  });
}

async function main(): Promise<number> {
  const io = processIo();
  const args = process.argv.slice(2);
  try {
    return await runHere(localContext(loadConfig(), io), args);
  } catch (err) {
    if (!(err instanceof HandOver)) throw err;
    const request: DelegatedRequest = { args, cwd: io.cwd, tty: Boolean(process.stderr.isTTY) };
    return delegateCommand(err.endpoint, request, io).catch((e: unknown) => {
      io.err(`Erreur : ${e instanceof DelegationInterrupted ? e.message : delegationFailure(e)}\n`);
      return 2;
    });
  }
}

function delegationFailure(err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  return `le serveur Vigie qui possède la base n'a pas répondu (${reason}). Rien n'a été écrit. Vérifiez qu'il tourne, ou arrêtez-le puis relancez la commande.`;
}

process.exitCode = await main();
