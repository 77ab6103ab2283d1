import type { Kysely } from "kysely";
import type { CampaignStatus, CompletenessRow } from "../../contracts/collection.ts";
import { type NodeAddress, nodeKey, readNodeKey, TERRITORY_LEVELS } from "../../contracts/territory-tree.ts";
import { type Database, forbidden, invalid } from "../platform/index.ts";
import {
  academicRegionByCode,
  academyByCode,
  departmentByCode,
  findDistricts,
  resolveNode,
} from "../territories/index.ts";
import { type Caller, holdsOn, requireSignedIn, territoryPathOf } from "./access.ts";
import { addDays } from "./calendar.ts";
import { campaignRow, summaryOf } from "./campaigns.ts";
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

/** The instant a day ends in Paris (the first instant of the next day there), as UTC. */
export function endOfParisDay(date: string): Date {
  const next = addDays(date, 1);
  const noonUtc = new Date(`${next}T12:00:00Z`);
  const parisNoon = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris",
    hour: "2-digit",
    hourCycle: "h23",
  }).format(noonUtc);
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

async function countsBy(
  db: Db,
  campaignId: string,
  node: NodeAddress,
  onTimeBefore: Date,
): Promise<Counted[]> {
  const child = CHILD_COLUMN[node.level];
  const own = OWN_COLUMN[node.level];
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
      eb.fn
        .count<string>("id")
        .filterWhere("state", "in", ["submitted", "approved", "accepted"])
        .as("submitted"),
      eb.fn.count<string>("id").filterWhere("state", "in", ["approved", "accepted"]).as("approved"),
      eb.fn
        .count<string>("id")
        .filterWhere((w) =>
          w.and([
            w("state", "in", ["submitted", "approved", "accepted"]),
            w("submitted_at", "<", onTimeBefore),
          ]),
        )
        .as("on_time"),
      eb.fn.sum<string>("required_fields").as("required"),
      eb.fn.sum<string>("answered_fields").as("answered"),
    ])
    .where("campaign_id", "=", campaignId)
    .groupBy(child);
  if (own) q = q.where(own, "=", node.code);
  return (await q.execute()) as unknown as Counted[];
}

async function labelsOf(
  db: Db,
  node: NodeAddress,
  keys: string[],
  campaignId: string,
): Promise<Map<string, string>> {
  switch (node.level) {
    case "nation":
      return new Map(keys.map((k) => [k, academicRegionByCode.get(k)?.name ?? k]));
    case "academicRegion":
      return new Map(keys.map((k) => [k, `Académie de ${academyByCode.get(k)?.name ?? k}`]));
    case "academy":
      return new Map(keys.map((k) => [k, departmentByCode.get(k)?.name ?? k]));
    case "department":
      return new Map((await findDistricts(db, keys)).map((d) => [d.code, d.name]));
    default: {
      const rows = await db
        .selectFrom("collection_response")
        .select(["uai", "school_name"])
        .where("campaign_id", "=", campaignId)
        .where("uai", "in", keys.length > 0 ? keys : [""])
        .execute();
      return new Map(rows.map((r) => [r.uai, `${r.school_name} (${r.uai})`]));
    }
  }
}

const CHILD_LEVEL: Record<string, string> = {
  nation: "academicRegion",
  academicRegion: "academy",
  academy: "department",
  department: "district",
  district: "school",
};

function rowOf(c: Counted, key: string, label: string): CompletenessRow {
  const required = Number(c.required ?? 0);
  return {
    key,
    label,
    expected: Number(c.expected),
    started: Number(c.started),
    submitted: Number(c.submitted),
    approved: Number(c.approved),
    onTime: Number(c.on_time),
    fieldsAnswered: required > 0 ? Number(c.answered ?? 0) / required : 0,
  };
}

function totalOf(
  rows: readonly CompletenessRow[],
  key: string,
  label: string,
  counted: readonly Counted[],
): CompletenessRow {
  const sum = (f: (r: CompletenessRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const required = counted.reduce((s, c) => s + Number(c.required ?? 0), 0);
  const answered = counted.reduce((s, c) => s + Number(c.answered ?? 0), 0);
  return {
    key,
    label,
    expected: sum((r) => r.expected),
    started: sum((r) => r.started),
    submitted: sum((r) => r.submitted),
    approved: sum((r) => r.approved),
    onTime: sum((r) => r.onTime),
    fieldsAnswered: required > 0 ? answered / required : 0,
  };
}

async function askedNode(
  db: Db,
  territory: string | undefined,
  fallback: string,
): Promise<{ node: NodeAddress; name: string }> {
  const read = readNodeKey(territory ?? fallback, TERRITORY_LEVELS);
  if (!read.ok) throw invalid(read.reason, "invalid_territory");
  const resolved = await resolveNode(db, read.node);
  if (!resolved) throw invalid(`Territoire « ${territory} » inconnu.`, "invalid_territory");
  return { node: { level: resolved.ref.level, code: resolved.ref.code }, name: resolved.ref.name };
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
  const path = await territoryPathOf(db, asked.node);
  if (!holdsOn(caller, "collection.manage", path) && !holdsOn(caller, "collection.approve", path))
    throw forbidden(
      `${asked.name} est hors de votre périmètre : la complétude de cette campagne ne vous est pas ouverte.`,
    );
  const counted = await countsBy(db, campaign.id, asked.node, endOfParisDay(campaign.closes_on));
  const keys = counted.map((c) => c.key).filter((k): k is string => k !== null);
  const labels = await labelsOf(db, asked.node, keys, campaign.id);
  const childLevel = CHILD_LEVEL[asked.node.level] ?? "school";
  const rows = counted
    .map((c) =>
      c.key === null
        ? rowOf(c, "", "Établissements hors district")
        : rowOf(
            c,
            nodeKey({ level: childLevel as NodeAddress["level"], code: c.key }),
            labels.get(c.key) ?? c.key,
          ),
    )
    .sort((a, b) => a.label.localeCompare(b.label, "fr"));
  const key = nodeKey(asked.node);
  return {
    campaign: await summaryOf(db, campaign),
    territory: { key, label: asked.name },
    total: totalOf(rows, key, asked.name, counted),
    rows,
  };
}
