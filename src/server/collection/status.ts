import type { Kysely } from "kysely";
import type { CampaignStatus, CompletenessRow } from "../../contracts/collection.ts";
import { type NodeAddress, nodeKey, TERRITORY_LEVELS } from "../../contracts/territory-tree.ts";
import { type Database, forbidden, invalid } from "../platform/index.ts";
import {
  academicRegionByCode,
  academyByCode,
  departmentByCode,
  findDistricts,
  type ResolvedNode,
  resolveNodeKey,
} from "../territories/index.ts";
import { type Caller, holdsOn, requireSignedIn, territoryPathOf } from "./access.ts";
import { addDays } from "./calendar.ts";
import { campaignRow, headingOf } from "./campaigns.ts";
import type { CollectionResponseTable } from "./schema.ts";

/**
 * Completeness and timeliness of a campaign under one territory, per child territory (per school
 * under a district): expected, started, submitted, approved, on time (submitted by the closing
 * date, Paris time), and the share of required fields answered. A count over the responses,
 * whose place in the tree was copied at creation (docs/collection.md, « Complétude »).
 */

type Db = Kysely<Database>;

const CHILD_COLUMN: Record<string, keyof CollectionResponseTable> = {
  nation: "academic_region_code",
  academicRegion: "academy_code",
  academy: "department_code",
  department: "district_code",
  district: "uai",
};
const OWN_COLUMN: Record<string, keyof CollectionResponseTable | null> = {
  nation: null,
  academicRegion: "academic_region_code",
  academy: "academy_code",
  department: "department_code",
  district: "district_code",
};

// Built once: creating an Intl.DateTimeFormat took 5 % of the server's time under the bench.
const PARIS_HOUR = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  hour: "2-digit",
  hourCycle: "h23",
});

/** The instant a day ends in Paris (the first instant of the next day there), as UTC. */
export function endOfParisDay(date: string): Date {
  const next = addDays(date, 1);
  const parisNoon = PARIS_HOUR.format(new Date(`${next}T12:00:00Z`));
  const offsetHours = Number(parisNoon) - 12;
  return new Date(Date.parse(`${next}T00:00:00Z`) - offsetHours * 3_600_000);
}

interface Counted {
  key: string | null;
  expected: string;
  started: string;
  submitted: string;
  approved: string;
  on_time: string;
  required: string | null;
  answered: string | null;
}

/** A row of the table and the sums its share of fields answered comes from (for the total). */
interface Tally {
  row: CompletenessRow;
  required: number;
  answered: number;
}

type Place = { column: keyof CollectionResponseTable; code: string };

const SUBMITTED = ["submitted", "approved", "accepted"] as const;
const APPROVED = ["approved", "accepted"] as const;

/**
 * The response columns that select the territory asked, its ancestors' first: they are the
 * prefix of the index (campaign_id, academy_code, department_code), which PostgreSQL can only use
 * from the left (a département alone read the whole campaign's index entries). A département's
 * académie is fixed by the referential; a district's département is the one the district table
 * gives (a district belongs to one département).
 */
function placeOf(node: ResolvedNode): Place[] {
  const own = OWN_COLUMN[node.ref.level];
  if (!own) return [];
  const out: Place[] = [];
  for (const a of [...node.ancestors].reverse()) {
    if (a.level === "academy") out.push({ column: "academy_code", code: a.code });
    if (a.level === "department") out.push({ column: "department_code", code: a.code });
  }
  out.push({ column: own, code: node.ref.code });
  return out;
}

async function countsBy(
  db: Db,
  campaignId: string,
  node: ResolvedNode,
  onTimeBefore: Date,
): Promise<Counted[]> {
  const child = CHILD_COLUMN[node.ref.level];
  if (!child)
    throw invalid(
      "La complétude se lit pour la nation, une région académique, une académie, un département ou un district.",
    );
  let q = db
    .selectFrom("collection_response")
    .select((eb) => [
      eb.ref(child).as("key"),
      eb.fn.countAll<string>().as("expected"),
      eb.fn.count<string>("id").filterWhere("state", "<>", "not_started").as("started"),
      eb.fn.count<string>("id").filterWhere("state", "in", SUBMITTED).as("submitted"),
      eb.fn.count<string>("id").filterWhere("state", "in", APPROVED).as("approved"),
      eb.fn
        .count<string>("id")
        .filterWhere((w) => w.and([w("state", "in", SUBMITTED), w("submitted_at", "<", onTimeBefore)]))
        .as("on_time"),
      eb.fn.sum<string>("required_fields").as("required"),
      eb.fn.sum<string>("answered_fields").as("answered"),
    ])
    .where("campaign_id", "=", campaignId)
    .groupBy(child);
  for (const p of placeOf(node)) q = q.where(p.column, "=", p.code);
  return (await q.execute()) as unknown as Counted[];
}

async function labelsOf(db: Db, level: string, keys: string[]): Promise<Map<string, string>> {
  switch (level) {
    case "nation":
      return new Map(keys.map((k) => [k, academicRegionByCode.get(k)?.name ?? k]));
    case "academicRegion":
      return new Map(keys.map((k) => [k, `Académie de ${academyByCode.get(k)?.name ?? k}`]));
    case "academy":
      return new Map(keys.map((k) => [k, departmentByCode.get(k)?.name ?? k]));
    default:
      return new Map((await findDistricts(db, keys)).map((d) => [d.code, d.name]));
  }
}

const CHILD_LEVEL: Record<string, NodeAddress["level"]> = {
  nation: "academicRegion",
  academicRegion: "academy",
  academy: "department",
  department: "district",
};

function tallyOf(c: Counted, key: string, label: string): Tally {
  const required = Number(c.required ?? 0);
  const answered = Number(c.answered ?? 0);
  return {
    required,
    answered,
    row: {
      key,
      label,
      expected: Number(c.expected),
      started: Number(c.started),
      submitted: Number(c.submitted),
      approved: Number(c.approved),
      onTime: Number(c.on_time),
      fieldsAnswered: required > 0 ? answered / required : 0,
      response: null,
    },
  };
}

/** The child territories of a territory above the district, one row each. */
async function territoryTallies(
  db: Db,
  campaignId: string,
  node: ResolvedNode,
  onTimeBefore: Date,
): Promise<Tally[]> {
  const counted = await countsBy(db, campaignId, node, onTimeBefore);
  const keys = counted.map((c) => c.key).filter((k): k is string => k !== null);
  const labels = await labelsOf(db, node.ref.level, keys);
  const childLevel = CHILD_LEVEL[node.ref.level] ?? "district";
  return counted.map((c) =>
    c.key === null
      ? tallyOf(c, "", "Établissements hors district")
      : tallyOf(c, nodeKey({ level: childLevel, code: c.key }), labels.get(c.key) ?? c.key),
  );
}

/** The schools of a district, one row each with its response's state (one read, no count). */
async function schoolTallies(
  db: Db,
  campaignId: string,
  node: ResolvedNode,
  onTimeBefore: Date,
): Promise<Tally[]> {
  let q = db
    .selectFrom("collection_response")
    .select(["uai", "school_name", "state", "submitted_at", "required_fields", "answered_fields"])
    .where("campaign_id", "=", campaignId);
  for (const p of placeOf(node)) q = q.where(p.column, "=", p.code);
  const responses = await q.execute();
  return responses.map((r) => {
    const submitted = (SUBMITTED as readonly string[]).includes(r.state);
    const onTime = submitted && r.submitted_at !== null && new Date(r.submitted_at) < onTimeBefore;
    return {
      required: r.required_fields,
      answered: r.answered_fields,
      row: {
        key: nodeKey({ level: "school", code: r.uai }),
        label: `${r.school_name} (${r.uai})`,
        expected: 1,
        started: r.state === "not_started" ? 0 : 1,
        submitted: submitted ? 1 : 0,
        approved: (APPROVED as readonly string[]).includes(r.state) ? 1 : 0,
        onTime: onTime ? 1 : 0,
        fieldsAnswered: r.required_fields > 0 ? r.answered_fields / r.required_fields : 0,
        response: {
          state: r.state,
          // A returned response's earlier submission is not a submission any more.
          submittedAt: submitted && r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
        },
      },
    };
  });
}

function totalOf(tallies: readonly Tally[], key: string, label: string): CompletenessRow {
  const sum = (f: (t: Tally) => number) => tallies.reduce((s, t) => s + f(t), 0);
  const required = sum((t) => t.required);
  return {
    key,
    label,
    expected: sum((t) => t.row.expected),
    started: sum((t) => t.row.started),
    submitted: sum((t) => t.row.submitted),
    approved: sum((t) => t.row.approved),
    onTime: sum((t) => t.row.onTime),
    fieldsAnswered: required > 0 ? sum((t) => t.answered) / required : 0,
    response: null,
  };
}

/** The territory asked (the `territory` parameter), else the campaign's own. */
function askedNode(db: Db, territory: string | undefined, fallback: string): Promise<ResolvedNode> {
  return resolveNodeKey(db, territory ?? fallback, { field: "territory", levels: TERRITORY_LEVELS });
}

export async function campaignStatus(
  db: Db,
  caller: Caller,
  campaignId: string,
  territory?: string,
): Promise<CampaignStatus> {
  requireSignedIn(caller);
  const campaign = await campaignRow(db, campaignId);
  const asked = await askedNode(db, territory, campaign.territory);
  const node: NodeAddress = { level: asked.ref.level, code: asked.ref.code };
  const path = await territoryPathOf(db, node);
  if (!holdsOn(caller, "collection.manage", path) && !holdsOn(caller, "collection.approve", path))
    throw forbidden(
      `${asked.ref.name} est hors de votre périmètre : la complétude de cette campagne ne vous est pas ouverte.`,
    );
  const onTimeBefore = endOfParisDay(campaign.closes_on);
  const tallies =
    node.level === "district"
      ? await schoolTallies(db, campaign.id, asked, onTimeBefore)
      : await territoryTallies(db, campaign.id, asked, onTimeBefore);
  const rows = tallies.map((t) => t.row).sort((a, b) => a.label.localeCompare(b.label, "fr"));
  const key = nodeKey(node);
  return {
    campaign: await headingOf(db, campaign),
    territory: { key, label: asked.ref.name },
    total: totalOf(tallies, key, asked.ref.name),
    rows,
  };
}
