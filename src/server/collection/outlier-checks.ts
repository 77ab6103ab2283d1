import { type Kysely, sql } from "kysely";
import { type Answers, type ExpandedField, expandForm } from "../../contracts/collection-form.ts";
import type { OutlierList, OutlierRow } from "../../contracts/collection-reminders.ts";
import type { ResponseIssue } from "../../contracts/collection-rules.ts";
import { type NodeAddress, nodeKey, TERRITORY_LEVELS } from "../../contracts/territory-tree.ts";
import { type Database, forbidden } from "../platform/index.ts";
import { resolveNodeKey } from "../territories/index.ts";
import { type Caller, holdsOn, requireSignedIn, territoryPathOf } from "./access.ts";
import { campaignRow } from "./campaigns.ts";
import { formById } from "./forms.ts";
import {
  changeMessage,
  isOutlier,
  isSharpChange,
  MIN_PEERS,
  modifiedZ,
  type PeerStats,
  peerStats,
  peersMessage,
} from "./outliers.ts";
import type { CollectionResponseTable } from "./schema.ts";

/**
 * The outliers of a campaign (docs/collection.md, « Valeurs atypiques »): warnings for a school
 * before it submits (its values against the submitted responses of the other schools of the same
 * type in the campaign), and the list an approver reads. The peers' statistics are computed by the
 * database (one statement, whatever the number of schools); the scores by outliers.ts.
 */

type Db = Kysely<Database>;

const NUMERIC = new Set(["number", "integer", "percentage"]);
const SUBMITTED = ["submitted", "approved", "accepted"] as const;

function numericFields(definition: Parameters<typeof expandForm>[0]): ExpandedField[] {
  return expandForm(definition).filter((f) => NUMERIC.has(f.type));
}

function numberOf(answers: Answers, code: string): number | null {
  const a = answers[code];
  return a && !a.unknown && typeof a.value === "number" && Number.isFinite(a.value) ? a.value : null;
}

interface StatsRow {
  field: string;
  n: string | number;
  median: string | number;
  mad: string | number;
  mean_ad: string | number;
}

/**
 * Median, MAD and mean absolute deviation per field of the submitted (or approved) responses of
 * the campaign's schools of one type, the school itself left out. Fields with fewer than
 * MIN_PEERS values are absent.
 */
export async function peerStatsByField(
  db: Db,
  campaignId: string,
  schoolType: string,
  excludeSchoolId: string | null,
  fields: readonly string[],
): Promise<Map<string, PeerStats>> {
  if (fields.length === 0) return new Map();
  const rows = await sql<StatsRow>`
    with v as (
      select e.key as field, (e.value ->> 'value')::float8 as x
      from collection_response r cross join lateral jsonb_each(r.answers) e
      where r.campaign_id = ${campaignId}
        and r.school_type = ${schoolType}
        and r.state in (${sql.join(SUBMITTED.map((s) => sql`${s}`))})
        and r.school_id <> ${excludeSchoolId ?? "0"}
        and e.key in (${sql.join(fields.map((f) => sql`${f}`))})
        and jsonb_typeof(e.value -> 'value') = 'number'
        and coalesce((e.value ->> 'unknown')::boolean, false) = false
    ), m as (
      select field, count(*) as n, percentile_cont(0.5) within group (order by x) as median
      from v group by field having count(*) >= ${MIN_PEERS}
    )
    select m.field, m.n, m.median,
      percentile_cont(0.5) within group (order by abs(v.x - m.median)) as mad,
      avg(abs(v.x - m.median)) as mean_ad
    from v join m on m.field = v.field
    group by m.field, m.n, m.median
  `.execute(db);
  return new Map(
    rows.rows.map((r) => [
      r.field,
      { n: Number(r.n), median: Number(r.median), mad: Number(r.mad), meanAbsDeviation: Number(r.mean_ad) },
    ]),
  );
}

/** How long a campaign's peer statistics serve before they are read again (in the background). */
export const PEER_STATS_TTL_MS = 60_000;

interface CachedStats {
  at: number;
  stats: Promise<Map<string, PeerStats>>;
  refreshing: boolean;
}

/** Per database handle (tests open several), per campaign and school type. */
const statsCache = new WeakMap<Db, Map<string, CachedStats>>();

/**
 * The peers' statistics of every numeric field of the campaign for one school type, kept for
 * PEER_STATS_TTL_MS and then refreshed in the background while the previous ones still answer:
 * at 3 000 submitted responses of 60 fields the statement takes about a second on a loaded
 * machine, far too long for every autosave, and a few new submissions barely move a median.
 * The school itself need not be left out: a response that can be saved (not started, draft,
 * returned) is never among the submitted peers.
 */
async function cachedPeerStats(
  db: Db,
  campaignId: string,
  schoolType: string,
  fields: readonly string[],
): Promise<Map<string, PeerStats>> {
  const byKey = statsCache.get(db) ?? new Map<string, CachedStats>();
  statsCache.set(db, byKey);
  const key = `${campaignId}|${schoolType}`;
  const read = () => peerStatsByField(db, campaignId, schoolType, null, fields);
  const hit = byKey.get(key);
  if (!hit) {
    const entry: CachedStats = { at: Date.now(), stats: read(), refreshing: false };
    byKey.set(key, entry);
    entry.stats.catch(() => byKey.delete(key));
    return entry.stats;
  }
  if (Date.now() - hit.at > PEER_STATS_TTL_MS && !hit.refreshing) {
    hit.refreshing = true;
    read().then(
      (stats) => byKey.set(key, { at: Date.now(), stats: Promise.resolve(stats), refreshing: false }),
      () => {
        hit.refreshing = false;
      },
    );
  }
  return hit.stats;
}

/**
 * The outlier warnings of a school's answers (rule `outlier:<field>`): far from the peers (|z|
 * above the campaign's threshold), else far from last year's value. At most one per field.
 */
export async function outlierWarnings(
  db: Db,
  campaignId: string,
  schoolId: string,
  answers: Answers,
  previous: Answers,
): Promise<ResponseIssue[]> {
  const campaign = await campaignRow(db, campaignId);
  const response = await db
    .selectFrom("collection_response")
    .select("school_type")
    .where("campaign_id", "=", campaign.id)
    .where("school_id", "=", schoolId)
    .executeTakeFirst();
  if (!response) return [];
  const form = await formById(db, campaign.form_id);
  return outlierWarningsOf(db, { campaign, form, schoolType: response.school_type }, answers, previous);
}

/**
 * The same, for a caller that has already read the campaign, its form and the school's type (a
 * submission: three statements and a parse of the form fewer on its path).
 */
export async function outlierWarningsOf(
  db: Db,
  loaded: {
    campaign: { id: string | number; outlier_threshold: number };
    form: { definition: Parameters<typeof expandForm>[0] };
    schoolType: string;
  },
  answers: Answers,
  previous: Answers,
): Promise<ResponseIssue[]> {
  const { campaign, form } = loaded;
  const fields = numericFields(form.definition);
  const answered = fields.filter((f) => numberOf(answers, f.code) !== null);
  if (answered.length === 0) return [];
  const stats = await cachedPeerStats(
    db,
    String(campaign.id),
    loaded.schoolType,
    fields.map((f) => f.code),
  );
  const issues: ResponseIssue[] = [];
  for (const field of answered) {
    const message = outlierMessage(field, numberOf(answers, field.code) as number, {
      stats: stats.get(field.code),
      previous: numberOf(previous, field.code),
      threshold: campaign.outlier_threshold,
    });
    if (message)
      issues.push({ field: field.code, rule: `outlier:${field.code}`, importance: "warning", message });
  }
  return issues;
}

function outlierMessage(
  field: ExpandedField,
  value: number,
  against: { stats: PeerStats | undefined; previous: number | null; threshold: number },
): string | null {
  if (against.stats && isOutlier(modifiedZ(value, against.stats), against.threshold))
    return peersMessage(value, field.unit, against.stats.median);
  if (against.previous !== null && isSharpChange(value, against.previous))
    return changeMessage(value, field.unit, against.previous);
  return null;
}

const OWN_COLUMN: Record<string, keyof CollectionResponseTable | null> = {
  nation: null,
  academicRegion: "academic_region_code",
  academy: "academy_code",
  department: "department_code",
  district: "district_code",
  school: "uai",
};

async function askedNode(db: Db, territory: string): Promise<{ node: NodeAddress; name: string }> {
  const { ref } = await resolveNodeKey(db, territory, { field: "territory", levels: TERRITORY_LEVELS });
  return { node: { level: ref.level, code: ref.code }, name: ref.name };
}

interface Submitted {
  school_id: string;
  uai: string;
  school_name: string;
  school_type: string;
  answers: unknown;
  inScope: boolean;
}

/**
 * The values of the submitted responses under a territory that are far from their peers' (the
 * approver's list), largest scores first. The peers are the other submitted responses of the
 * campaign of the same school type, wherever they are: the score is the one the school was warned
 * of before submitting.
 */
export async function outlierList(
  db: Db,
  caller: Caller,
  campaignId: string,
  territory?: string,
): Promise<OutlierList> {
  requireSignedIn(caller);
  const campaign = await campaignRow(db, campaignId);
  const asked = await askedNode(db, territory ?? campaign.territory);
  const path = await territoryPathOf(db, asked.node);
  if (!holdsOn(caller, "collection.manage", path) && !holdsOn(caller, "collection.approve", path))
    throw forbidden(
      `${asked.name} est hors de votre périmètre : les valeurs atypiques de cette campagne ne vous sont pas ouvertes.`,
    );
  const own = OWN_COLUMN[asked.node.level];
  const rows = await db
    .selectFrom("collection_response")
    .select(["school_id", "uai", "school_name", "school_type", "answers"])
    .select((eb) => (own ? eb(own, "=", asked.node.code) : eb.val(true)).as("inScope"))
    .where("campaign_id", "=", campaign.id)
    .where("state", "in", [...SUBMITTED])
    .execute();
  const form = await formById(db, campaign.form_id);
  const items = flagRows(rows as Submitted[], numericFields(form.definition), campaign.outlier_threshold);
  return {
    campaignId: String(campaign.id),
    territory: { key: nodeKey(asked.node), label: asked.name },
    threshold: campaign.outlier_threshold,
    items,
  };
}

function flagRows(
  rows: readonly Submitted[],
  fields: readonly ExpandedField[],
  threshold: number,
): OutlierRow[] {
  const byType = new Map<string, Submitted[]>();
  for (const r of rows) {
    const group = byType.get(r.school_type);
    if (group) group.push(r);
    else byType.set(r.school_type, [r]);
  }
  const items: OutlierRow[] = [];
  for (const group of byType.values()) {
    if (group.length < MIN_PEERS + 1 || !group.some((r) => r.inScope)) continue;
    for (const field of fields) items.push(...flagField(group, field, threshold));
  }
  return items.sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.uai.localeCompare(b.uai));
}

function flagField(group: readonly Submitted[], field: ExpandedField, threshold: number): OutlierRow[] {
  const values = group.map((r) => numberOf(r.answers as Answers, field.code));
  const all = peerStats(values.filter((v): v is number => v !== null));
  if (!all) return [];
  const out: OutlierRow[] = [];
  group.forEach((r, i) => {
    const value = values[i];
    if (!r.inScope || value === null || value === undefined) return;
    // A first look with the school among its peers; the candidates are then scored against the
    // others only, as the school's own warning is (one statistic per candidate, not per school).
    if (!isOutlier(modifiedZ(value, all), threshold / 2)) return;
    const peers = peerStats(values.filter((v, j): v is number => j !== i && v !== null));
    const z = peers ? modifiedZ(value, peers) : null;
    if (peers && isOutlier(z, threshold))
      out.push({
        uai: r.uai,
        schoolName: r.school_name,
        field: field.code,
        label: field.label,
        value,
        median: peers.median,
        z: Math.round(z * 100) / 100,
      });
  });
  return out;
}
