import fs from "node:fs";
import path from "node:path";
import fastifyMultipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import type { DestinationStream } from "pino";
import type { HealthDemo } from "../contracts/health.ts";
import { isJobFinished } from "../contracts/jobs.ts";
import * as collection from "./collection/index.ts";
import * as competences from "./competences/index.ts";
import { type DemoJobOptions, enqueueDemoJob, registerDemoJob } from "./demo-job.ts";
import * as identity from "./identity/index.ts";
import {
  annuaireImportAccess,
  ensureFirstAdmin,
  firstAdminMessage,
  installRouteGuard,
  schedulePurge,
} from "./identity/index.ts";
import * as imports from "./imports/index.ts";
import * as indicators from "./indicators/index.ts";
import { requestFullRefresh } from "./indicators/index.ts";
import {
  API_VERSION,
  apiError,
  type Config,
  createHttp,
  createJobRunner,
  createMailer,
  type DatabaseHandle,
  type JobRunner,
  openDatabase,
  projectPath,
  registerJobRoutes,
  UploadStore,
  waitForJob,
} from "./platform/index.ts";
import * as roadmaps from "./roadmaps/index.ts";
import { MIGRATIONS } from "./schema.ts";
import * as territories from "./territories/index.ts";
import { type DemoScale, seedReferential } from "./territories/index.ts";

export const WEB_DIST = projectPath("dist/web");

/** What startServer needs of the app it built: its job runner and the demo's job, if any. */
const appJobs = new WeakMap<
  FastifyInstance,
  { jobs: JobRunner; demoJobId: string | null; demoEnded?: HealthDemo }
>();

/** Builds the HTTP application on an open database: API, OpenAPI docs and the built web app. */
export async function buildApp(
  handle: DatabaseHandle,
  config: Config,
  options: { logStream?: DestinationStream; demo?: DemoJobOptions } = {},
): Promise<FastifyInstance> {
  const app = await createHttp({
    logLevel: config.logLevel,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    formActionOrigins: config.proconnect ? [new URL(config.proconnect.issuer).origin] : [],
    ...(options.logStream ? { logStream: options.logStream } : {}),
    // Every route must declare its access rule: checked from the first one on.
    beforeRoutes: [installRouteGuard],
  });
  // One byte over the store's limit: the store itself refuses the file, with its French message.
  await app.register(fastifyMultipart, { limits: { fileSize: config.uploadMaxBytes + 1, files: 1 } });
  // Files sent for an import wait on disk (never whole in memory); those never confirmed are purged.
  const uploads = new UploadStore(handle.db, {
    dataDir: config.dataDir,
    maxBytes: config.uploadMaxBytes,
    retentionDays: config.uploadRetentionDays,
  });

  const mailer = createMailer(config);
  app.addHook("onClose", async () => mailer.close());
  // Long work (the Annuaire commit, the mails…) runs as persisted jobs (docs/jobs.md); each module registers
  // its job types below, the workers start once they all are.
  const jobs = createJobRunner(handle, { onError: (err) => app.log.error({ err }, "traitements") });
  app.addHook("onClose", async () => jobs.stop());
  // Sessions, CSRF and access rules apply to the routes declared after this.
  await identity.register(app, { db: handle.db, config, mailer, jobs });

  app.get(
    "/api/health",
    {
      config: { access: "public" },
      schema: {
        tags: ["plateforme"],
        summary: "État du service (et chargement de la démonstration d'une instance neuve)",
      },
    },
    async () => ({
      status: "ok",
      engine: handle.engine,
      version: API_VERSION,
      demo: await demoStatus(app),
    }),
  );
  // A job is shown to the user who started it only.
  registerJobRoutes(
    app,
    jobs,
    (req, job) => job.scope.userId !== null && job.scope.userId === req.principal?.userId,
  );
  // A lower module reaches a higher one only through what is wired here (docs/architecture.md).
  territories.register(app, {
    db: handle.db,
    jobs,
    uploads,
    access: annuaireImportAccess,
    schools: {
      // Schools changed: every coverage may have moved (ADR 0006).
      onSchoolsChanged: (trx) => requestFullRefresh(trx),
      // As a job: retried on failure, its progress readable, and a stop does not lose it.
      afterSchoolsCommitted: async () => void (await jobs.enqueue(indicators.ROLLUP_JOB, {})),
    },
  });
  // The data elements DANEs defined for their forms are part of this process's catalogue.
  await indicators.loadLocalDataElements(handle.db);
  indicators.register(app, { db: handle.db, roadmaps: roadmaps.indicatorLinks });
  // On PostgreSQL the roll-up computes in its own thread: submissions do not wait behind it (ADR 0010).
  indicators.registerRollupJob(jobs, handle.db, { databaseUrl: handle.databaseUrl });
  roadmaps.register(app, { db: handle.db });
  imports.register(app, { db: handle.db, jobs, uploads });
  competences.register(app, { db: handle.db });
  collection.register(app, { db: handle.db, jobs, mailer, publicUrl: config.publicUrl });
  if (options.demo) registerDemoJob(jobs, handle.db, options.demo);
  // Workers start once every plugin is loaded: a long job started earlier (the demo) would hold
  // the event loop while Fastify still counts its plugins' start-up time.
  appJobs.set(app, { jobs, demoJobId: null });
  let uploadPurge: { stop(): Promise<void> } | undefined;
  app.addHook("onClose", async () => {
    await uploadPurge?.stop();
    await uploads.close();
  });
  app.addHook("onReady", async () => {
    // Uploads never confirmed, past their retention period: deleted now, then every 6 hours.
    uploadPurge = uploads.schedulePurge(
      (purged) => purged > 0 && app.log.info({ purged }, "fichiers envoyés expirés supprimés"),
      (err) => app.log.error({ err }, "purge des fichiers envoyés"),
    );
    await jobs.start();
    // Roll-up work left pending by a stop between a write and its refresh (ADR 0006).
    await jobs.enqueue(indicators.ROLLUP_JOB, {});
    if (options.demo) appJobs.set(app, { jobs, demoJobId: await enqueueDemoJob(jobs) });
  });

  const hasWeb = fs.existsSync(path.join(WEB_DIST, "index.html"));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    // API routes, non-GET requests and missing files (`/assets/x.js` after a rebuild) are real
    // 404s; only page paths fall back to the single-page app.
    const pathname = req.url.split("?")[0] ?? "";
    if (pathname.startsWith("/api/") || req.method !== "GET" || /\.[a-z0-9]+$/i.test(pathname)) {
      return reply.code(404).send(apiError("not_found", `Ressource introuvable : ${req.method} ${req.url}`));
    }
    if (!hasWeb) {
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("L'application web n'est pas construite : lancez « npm run build:web » puis redémarrez Vigie.");
    }
    // Client-side routes: the single-page app decides (it shows its own 404 page).
    return reply.type("text/html; charset=utf-8").sendFile("index.html");
  });
  return app;
}

/** How old the demo's status given by the health check may be. */
const DEMO_STATUS_MAX_AGE_MS = 500;

/**
 * The demo's loading, for the pages to say that figures are still coming (null: no demo job).
 * The health check must answer at once, even while the base is busy (on PGlite one connection
 * serves one user at a time, and the demo itself holds it statement after statement): it answers
 * the status last read, and reads a fresh one in the background when that one is older than
 * DEMO_STATUS_MAX_AGE_MS. An ended demo no longer changes: it is not read again.
 */
async function demoStatus(app: FastifyInstance): Promise<HealthDemo | null> {
  const state = appJobs.get(app);
  if (!state?.demoJobId) return null;
  if (state.demoEnded) return state.demoEnded;
  const cached = demoCache.get(app);
  const stale = !cached || Date.now() - cached.readAt > DEMO_STATUS_MAX_AGE_MS;
  if (stale && !cached?.reading) {
    const reading = readDemoStatus(state, state.demoJobId).then(
      (status) => {
        demoCache.set(app, { status, readAt: Date.now() });
      },
      (err: unknown) => {
        app.log.warn({ err }, "état de la démonstration illisible");
        demoCache.set(app, { status: cached?.status ?? null, readAt: Date.now() });
      },
    );
    demoCache.set(app, { status: cached?.status ?? null, readAt: cached?.readAt ?? 0, reading });
  }
  // The first checks have nothing to answer yet: they wait for the first reading.
  const current = demoCache.get(app);
  if (current?.readAt === 0) await current.reading;
  return demoCache.get(app)?.status ?? null;
}

const demoCache = new WeakMap<
  FastifyInstance,
  { status: HealthDemo | null; readAt: number; reading?: Promise<void> }
>();

async function readDemoStatus(
  state: { jobs: JobRunner; demoEnded?: HealthDemo },
  demoJobId: string,
): Promise<HealthDemo | null> {
  const job = await state.jobs.get(demoJobId);
  if (!job) return null;
  const status = { state: job.state, progress: job.progress, error: job.error };
  if (isJobFinished(job.state)) state.demoEnded = status;
  return status;
}

export interface RunningServer {
  url: string;
  handle: DatabaseHandle;
  app: FastifyInstance;
  /** The server's job runner (commands handed over by other `vigie` processes use it). */
  jobs: JobRunner;
  close(): Promise<void>;
}

/**
 * Opens the database (applying migrations), seeds the referential and listens. On an empty
 * database the demo territory is loaded by a job (demo-job.ts): awaited before returning, or,
 * with `demoInBackground` (`vigie serve`), while the server already answers.
 */
export async function startServer(options: {
  config: Config;
  demo?: DemoScale | false;
  /** With the demo, also publish its roadmap when none is stored (default true). */
  demoRoadmap?: boolean;
  /** Listen first and load the demo meanwhile (the pages say that figures are coming). */
  demoInBackground?: boolean;
  onDemoProgress?: (message: string) => void;
  /** Messages for the person starting the server (the first administrator's link): stderr by default. */
  onNotice?: (message: string) => void;
}): Promise<RunningServer> {
  const { config } = options;
  const handle = await openDatabase(config, { migrations: MIGRATIONS });
  try {
    await seedReferential(handle.db);
    const scale = options.demo ?? (config.demo ? "region" : false);
    const demo = scale
      ? { scale, roadmap: options.demoRoadmap !== false, log: options.onDemoProgress }
      : undefined;
    const firstAdmin = await ensureFirstAdmin(handle.db, config);
    if (firstAdmin)
      (options.onNotice ?? ((m) => process.stderr.write(`${m}\n`)))(firstAdminMessage(firstAdmin));
    const app = await buildApp(handle, config, demo ? { demo } : {});
    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace("[::1]", "localhost").replace("127.0.0.1", "localhost");
    const started = appJobs.get(app);
    if (started?.demoJobId && !options.demoInBackground) await waitForJob(started.jobs, started.demoJobId);
    // Personal data past its retention period: deleted now, then every 24 hours.
    const purge = schedulePurge(handle.db, app.log);
    // Collection reminders due today (docs/collection.md, « Relances »): now, then every 24 hours.
    const reminders = collection.scheduleReminders((started as NonNullable<typeof started>).jobs, app.log);
    return {
      url,
      handle,
      app,
      jobs: (started as NonNullable<typeof started>).jobs,
      async close() {
        reminders.stop();
        purge.stop();
        await purge.running();
        await app.close();
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
