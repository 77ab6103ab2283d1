import os from "node:os";
import type { FastifyInstance } from "fastify";
import { type Kysely, sql } from "kysely";
import type { CampaignTemplate } from "../src/contracts/collection.ts";
import { type Answers, expandForm, type FormDefinition } from "../src/contracts/collection-form.ts";
import { buildApp } from "../src/server/app.ts";
import { createCampaign, shippedTemplates } from "../src/server/collection/index.ts";
import { processPendingRollups } from "../src/server/indicators/engine.ts";
import { CLI_ACTOR } from "../src/server/platform/audit.ts";
import { loadConfig } from "../src/server/platform/config.ts";
import { openDatabase } from "../src/server/platform/db.ts";
import type { Database } from "../src/server/platform/index.ts";
import { MIGRATIONS } from "../src/server/schema.ts";
import { loadDemo } from "../src/server/territories/demo/load.ts";
import { seedReferential } from "../src/server/territories/seed.ts";
import { makeUser, type SignedIn, signIn } from "../tests/helpers/identity.ts";

/**
 * Collection campaigns (issue 11, figures), on PostgreSQL through the real app (`app.inject`):
 * - 500 schools of the académie-scale demo submitting a 60-field form within one minute
 *   (arrivals spread over 60 s; each school saves a draft, then submits; one school in ten sends
 *   its submission twice at once, as a client retrying): submission latency, and nothing lost or
 *   duplicated (responses submitted, batches, values written);
 * - completeness of a nation-wide campaign (60 000 schools, states drawn at random) per académie
 *   and per département: API latency under 20 clients.
 */

export interface CollectionFigures {
  readonly submissions: {
    readonly schools: number;
    readonly fields: number;
    readonly seconds: number;
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly submitted: number;
    readonly batches: number;
    readonly duplicatesRefused: number;
    readonly errors: number;
    readonly valuesPerSchool: number;
    readonly valuesWritten: number;
    /** From the approval of a school's response to its value on the indicator API (département), ms. */
    readonly approvalToDashboardMs: number;
    /** The machine's load average (1, 5, 15 min) when the burst began and when it ended. */
    readonly load: { readonly start: string; readonly end: string };
  };
  readonly completeness: {
    readonly schools: number;
    readonly requests: number;
    readonly academy: { p50: number; p95: number };
    readonly department: { p50: number; p95: number };
    /** One client at a time, per académie. */
    readonly alone: { p50: number; p95: number };
  };
}

const SCHOOLS = 500;

/** Other work on the machine weighs on every figure: each run states it (docs/benchmarks.md). */
function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" / ");
}
const SPREAD_MS = 60_000;
const PASSWORD = "Banc-d-essai-collecte-2026";

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The equipment form with 36 more integer questions (kept with the response): 60 fields. */
function sixtyFieldTemplate(equipment: CampaignTemplate): CampaignTemplate {
  const extra = Array.from({ length: 60 - expandForm(equipment.form).length }, (_, i) => ({
    code: `q${String(i + 1).padStart(2, "0")}`,
    label: `Question complémentaire ${i + 1}`,
    type: "integer" as const,
    min: 0,
    max: 1000,
    required: true,
    allowUnknown: false,
    disaggregation: {},
  }));
  const rules = extra.slice(0, 10).map((f, i) => ({
    code: `extra_rule_${i}`,
    left: f.code,
    operator: "le" as const,
    right: `${extra[i + 10]?.code ?? f.code} + 1000`,
    importance: "error" as const,
    missing: "skip_if_any_missing" as const,
    message: "Règle du banc d'essai.",
  }));
  const form: FormDefinition = {
    ...equipment.form,
    code: "bench_sixty",
    sections: [
      ...equipment.form.sections,
      { code: "extra", title: "Questions complémentaires", fields: extra, grids: [] },
    ],
    rules: [...equipment.form.rules, ...rules],
  };
  return { ...equipment, code: "bench-sixty", feed: "submitted", form };
}

function answersFor(form: FormDefinition, seed: number): Answers {
  const out: Answers = {};
  for (const f of expandForm(form)) {
    const value =
      f.type === "yes_no"
        ? seed % 2 === 0
        : f.type === "option"
          ? (f.options?.[0]?.code ?? null)
          : f.type === "text"
            ? "RAS"
            : 0;
    out[f.code] = { value, unknown: false };
  }
  out.wifi_coverage = { value: 40 + (seed % 60), unknown: false };
  out.internet_bandwidth = { value: 100 + seed, unknown: false };
  out.pupils = { value: 300 + (seed % 500), unknown: false };
  out.pupils_equipped = { value: seed % 200, unknown: false };
  out.computers_total = { value: 20 + (seed % 80), unknown: false };
  out["computers.desktop.functional"] = { value: 20 + (seed % 80), unknown: false };
  return out;
}

async function openApp(pgUrl: string, scale: "academy" | "nation") {
  const handle = await openDatabase({ dataDir: ":memory:", databaseUrl: pgUrl }, { migrations: MIGRATIONS });
  await seedReferential(handle.db);
  await loadDemo(handle.db, scale);
  const config = { ...loadConfig({ LOG_LEVEL: "warn" }), dataDir: ":memory:", databaseUrl: undefined };
  const app = await buildApp(handle, config);
  return { handle, app };
}

async function schoolHeads(
  db: Kysely<Database>,
  app: FastifyInstance,
  uais: readonly string[],
): Promise<SignedIn[]> {
  const out: SignedIn[] = [];
  for (const [i, uai] of uais.entries()) {
    const email = `chef-${i}@banc.vigie.test`;
    await makeUser(db, email, [["school-head", uai]], { password: PASSWORD });
    out.push(await signIn(app, email, PASSWORD));
  }
  return out;
}

/** Called after each submission with its start (ms since the burst began) and its latency, to profile. */
export type SubmissionProbe = (startedMs: number, latencyMs: number) => void;

export async function benchSubmissions(
  pgUrl: string,
  probe?: SubmissionProbe,
): Promise<CollectionFigures["submissions"]> {
  const { handle, app } = await openApp(pgUrl, "academy");
  try {
    const equipment = (await shippedTemplates()).find((t) => t.code === "equipment") as CampaignTemplate;
    const template = sixtyFieldTemplate(equipment);
    const campaign = await createCampaign(
      handle.db,
      [template],
      { template: template.code, period: "2025-2026", target: { territory: "academy:04" } },
      "cli",
      CLI_ACTOR,
    );
    const uais = (
      await handle.db
        .selectFrom("collection_response")
        .select("uai")
        .where("campaign_id", "=", campaign.id)
        .orderBy("uai")
        .limit(SCHOOLS)
        .execute()
    ).map((r) => r.uai);
    const heads = await schoolHeads(handle.db, app, uais);
    const latencies: number[] = [];
    let errors = 0;
    let duplicatesRefused = 0;
    const url = (uai: string) => `/api/v1/collection/campaigns/${campaign.id}/responses/${uai}`;
    const loadStart = loadAverage();
    const started = performance.now();
    await Promise.all(
      uais.map(async (uai, i) => {
        await new Promise((r) => setTimeout(r, (i * SPREAD_MS) / SCHOOLS));
        const client = heads[i] as SignedIn;
        const answers = answersFor(template.form, i);
        const draft = await client.request({
          method: "PUT",
          url: url(uai),
          payload: { answers, revision: 0 },
        });
        if (draft.statusCode !== 200) errors++;
        const send = () =>
          client.request({ method: "POST", url: `${url(uai)}/submit`, payload: { answers, revision: 1 } });
        const t0 = performance.now();
        const results = await Promise.all(i % 10 === 0 ? [send(), send()] : [send()]);
        latencies.push(performance.now() - t0);
        probe?.(t0 - started, performance.now() - t0);
        for (const res of results) {
          if (res.statusCode === 409) duplicatesRefused++;
          else if (res.statusCode !== 200) errors++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const load = { start: loadStart, end: loadAverage() };
    const counts = await handle.db
      .selectFrom("collection_response")
      .select((eb) => [
        eb.fn.count<string>("id").filterWhere("state", "=", "submitted").as("submitted"),
        eb.fn.count<string>("batch_id").as("fed"),
      ])
      .where("campaign_id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    const batches = await handle.db
      .selectFrom("import_batch")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("kind", "=", `collection:${campaign.id}`)
      .executeTakeFirstOrThrow();
    const values = await handle.db
      .selectFrom("data_value")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("source", "=", "form")
      .executeTakeFirstOrThrow();
    const approvalToDashboardMs = await approvalToDashboard(
      handle.db,
      app,
      heads[0] as SignedIn,
      uais[0] as string,
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      approvalToDashboardMs,
      load,
      schools: uais.length,
      fields: expandForm(template.form).length,
      seconds,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      submitted: Number(counts.submitted),
      batches: Number(batches.n),
      duplicatesRefused,
      errors,
      valuesPerSchool: Number(values.n) / Math.max(1, Number(counts.fed)),
      valuesWritten: Number(values.n),
    };
  } finally {
    await app.close();
    await handle.close();
  }
}

/**
 * A campaign that feeds the observatory on approval: the school submits, the département
 * approves; the time until the département's figure on `GET /api/v1/indicators/…/values` (read
 * by the approver, who may see it under the confidentiality) shows the school's answer.
 */
async function approvalToDashboard(
  db: Kysely<Database>,
  app: FastifyInstance,
  head: SignedIn,
  uai: string,
): Promise<number> {
  const school = await db
    .selectFrom("school")
    .select("department_code")
    .where("uai", "=", uai)
    .executeTakeFirstOrThrow();
  const department = `department:${school.department_code}`;
  const campaign = await createCampaign(
    db,
    await shippedTemplates(),
    {
      template: "equipment",
      period: "2026-2027",
      target: { territory: department, uais: [uai] },
      approvalLevels: ["department"],
      feed: "approved",
    },
    "cli",
    CLI_ACTOR,
  );
  const equipment = (await shippedTemplates()).find((t) => t.code === "equipment") as CampaignTemplate;
  const answers = { ...answersFor(equipment.form, 1), wifi_coverage: { value: 77, unknown: false } };
  const url = `/api/v1/collection/campaigns/${campaign.id}/responses/${uai}`;
  const sent = await head.request({
    method: "POST",
    url: `${url}/submit`,
    payload: { answers, revision: 0 },
  });
  if (sent.statusCode !== 200) throw new Error(`transmission : ${sent.statusCode} ${sent.body}`);
  await makeUser(db, "dasen@banc.vigie.test", [["department", department]], { password: PASSWORD });
  const dasen = await signIn(app, "dasen@banc.vigie.test", PASSWORD);
  const t0 = performance.now();
  const approved = await dasen.request({ method: "POST", url: `${url}/approve`, payload: {} });
  if (approved.statusCode !== 200) throw new Error(`validation : ${approved.statusCode} ${approved.body}`);
  for (;;) {
    const res = await dasen.request({
      method: "GET",
      url: `/api/v1/indicators/wifi_coverage_mean/values?territory=${department}&period=2026-2027`,
    });
    if (res.statusCode === 200 && res.json().territory.value === 77) return performance.now() - t0;
    if (performance.now() - t0 > 120_000)
      throw new Error("valeur absente du tableau de bord après 2 minutes");
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function benchCompleteness(pgUrl: string): Promise<CollectionFigures["completeness"]> {
  const { handle, app } = await openApp(pgUrl, "nation");
  try {
    const templates = await shippedTemplates();
    const campaign = await createCampaign(
      handle.db,
      templates,
      { template: "equipment", period: "2025-2026", target: { territory: "FR" } },
      "cli",
      CLI_ACTOR,
    );
    // A campaign half-way: states and filled fields drawn from the response id.
    await sql`
      update collection_response set
        state = (array['not_started','draft','submitted','approved'])[1 + (id % 4)::int],
        answered_fields = (id % 21)::int,
        submitted_at = case when id % 4 >= 2 then now() - interval '1 day' else null end
      where campaign_id = ${campaign.id}
    `.execute(handle.db);
    // What autovacuum does within a minute of such an update (the counts by state read the index only).
    await sql`vacuum analyze collection_response`.execute(handle.db);
    // The campaign's target asked a refresh of its elements' coverage in every académie: let it
    // end first (a one-off after a creation), so that the requests below measure the reads.
    await processPendingRollups(handle.db);
    await makeUser(handle.db, "admin@banc.vigie.test", [["national-admin", "FR"]], { password: PASSWORD });
    const admin = await signIn(app, "admin@banc.vigie.test", PASSWORD);
    const academies = (
      await handle.db.selectFrom("collection_response").select("academy_code").distinct().execute()
    ).map((r) => r.academy_code);
    const departments = (
      await handle.db.selectFrom("collection_response").select("department_code").distinct().execute()
    ).map((r) => r.department_code);
    const timed = async (territory: string) => {
      const t0 = performance.now();
      const res = await admin.request({
        method: "GET",
        url: `/api/v1/collection/campaigns/${campaign.id}/status?territory=${territory}`,
      });
      if (res.statusCode !== 200) throw new Error(`complétude ${territory} : ${res.statusCode} ${res.body}`);
      return performance.now() - t0;
    };
    const run = async (keys: readonly string[], requests: number) => {
      const times: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < requests) {
            const i = next++;
            times.push(await timed(keys[i % keys.length] as string));
          }
        }),
      );
      return times.sort((a, b) => a - b);
    };
    await run(
      academies.map((a) => `academy:${a}`),
      40,
    ); // warm-up
    // One client alone: the time of a request without waiting for others.
    const alone: number[] = [];
    for (const a of academies) alone.push(await timed(`academy:${a}`));
    alone.sort((x, y) => x - y);
    const a = await run(
      academies.map((x) => `academy:${x}`),
      600,
    );
    const d = await run(
      departments.map((x) => `department:${x}`),
      600,
    );
    return {
      schools: campaign.expected,
      requests: a.length + d.length,
      academy: { p50: percentile(a, 50), p95: percentile(a, 95) },
      alone: { p50: percentile(alone, 50), p95: percentile(alone, 95) },
      department: { p50: percentile(d, 50), p95: percentile(d, 95) },
    };
  } finally {
    await app.close();
    await handle.close();
  }
}

const ms = (n: number) => `${Math.round(n)} ms`;

export function collectionTable(f: CollectionFigures): string {
  const s = f.submissions;
  const c = f.completeness;
  return [
    "| mesure | résultat | objectif |",
    "|---|---|---|",
    `| ${s.schools} établissements transmettant un formulaire de ${s.fields} champs en une minute (brouillon puis transmission, un sur dix transmet deux fois à la fois), PostgreSQL : latence de la transmission p50 / p95 / p99 | ${ms(s.p50)} / **${ms(s.p95)}** / ${ms(s.p99)} (${s.seconds.toFixed(1)} s en tout) | p95 < 500 ms |`,
    `| … réponses transmises, lots écrits, doubles refusés (409), erreurs | ${s.submitted} transmises, ${s.batches} lots, ${s.duplicatesRefused} doubles refusés, ${s.errors} erreurs ; ${s.valuesWritten} valeurs (${s.valuesPerSchool.toFixed(0)} par établissement) | 0 perdue, 0 en double |`,
    `| de la validation d'une réponse par le département à sa valeur sur l'API des indicateurs (moyenne Wi-Fi du département), PostgreSQL | **${(s.approvalToDashboardMs / 1000).toFixed(1)} s** | < 10 s |`,
    `| complétude d'une campagne nationale (${c.schools} établissements) par académie, 20 clients, PostgreSQL : p50 / p95 | ${ms(c.academy.p50)} / **${ms(c.academy.p95)}** | p95 < 300 ms |`,
    `| … par département : p50 / p95 | ${ms(c.department.p50)} / **${ms(c.department.p95)}** (${c.requests} requêtes en tout) | p95 < 300 ms |`,
    `| … par académie, un seul client à la fois : p50 / p95 | ${ms(c.alone.p50)} / ${ms(c.alone.p95)} | |`,
    "",
    `Charge moyenne de la machine (1 / 5 / 15 min) au début de la rafale de transmissions : ${s.load.start} ; à sa fin : ${s.load.end}.`,
  ].join("\n");
}
