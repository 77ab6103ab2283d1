import type { Kysely } from "kysely";
import { CELL_STATUS_LABELS, type IpsPeers, type NodeRef } from "../../contracts/indicators.ts";
import type { Database } from "../platform/index.ts";
import { academyContents, type ResolvedNode } from "../territories/index.ts";
import { type CatalogueIndicator, getCatalogue } from "./catalogue.ts";
import {
  compareValues,
  IPS_BAND_SCHOOL,
  IPS_BAND_TERRITORY,
  ipsPeersOf,
  type PeerFigures,
  peerGroupValue,
} from "./domain/comparisons.ts";
import { parsePeriod } from "./domain/periods.ts";
import { typeGroupOf } from "./groups.ts";
import { planVariant } from "./plan.ts";
import { loadThresholds } from "./protect.ts";
import { type CellQuery, periodsByIndicator, schoolCells, type Viewer } from "./values.ts";

/**
 * The « pairs d'IPS voisin » comparison (DESIGN, comparisons) of a node for an indicator:
 *
 * - a school: the open schools of its type group in its académie whose IPS (`ips`, latest
 *   period up to the indicator's) is within ±5 points of its own;
 * - an académie, a région académique, a département: the other territories of the same level
 *   whose published mean IPS (indicator `ips_mean`, same group) is within ±2.5 points.
 *
 * The peers' value is Σ numerator / Σ denominator over those with a value, under the primary
 * confidentiality rules (domain/comparisons.ts `peerGroupValue`); territories count only when
 * their own cells are published. Districts and the nation have no IPS peers.
 */

export const IPS_INDICATOR = "ips_mean";

/** Sees every school's figures: used for the peers' sums, never returned as such. */
const EVERYONE: Viewer = { seesRestricted: () => true };

type Verdict = IpsPeers["verdict"];

function verdictOf(difference: number | null, direction: CatalogueIndicator["direction"]): Verdict {
  if (difference === null) return null;
  if (Math.abs(difference) < 1e-9) return "equal";
  if (direction === "higher_is_better") return difference > 0 ? "better" : "worse";
  if (direction === "lower_is_better") return difference < 0 ? "better" : "worse";
  return null;
}

/** The IPS periods to try, newest first, those starting after the indicator's period last. */
async function ipsPeriods(db: Kysely<Database>, period: string): Promise<string[]> {
  const all = (await periodsByIndicator(db)).get(IPS_INDICATOR) ?? [];
  const parsed = parsePeriod(period);
  if (!parsed.ok) return all;
  const end = parsed.period.end;
  const startOf = (p: string) => {
    const r = parsePeriod(p);
    return r.ok ? r.period.start : p;
  };
  return [...all.filter((p) => startOf(p) <= end), ...all.filter((p) => startOf(p) > end)];
}

/** One school's figures, as a peer: its operands and, when the indicator counts people, how many. */
function schoolPeerFigures(
  cell: { numerator: number | null; denominator: number | null },
  peopleOperand: "numerator" | "denominator" | null,
): PeerFigures {
  const people =
    peopleOperand === "numerator"
      ? cell.numerator
      : peopleOperand === "denominator"
        ? cell.denominator
        : null;
  return {
    numerator: cell.numerator,
    denominator: cell.denominator,
    schools: 1,
    ...(people === null ? {} : { people }),
  };
}

interface Built {
  readonly ips: number;
  readonly ipsPeriod: string;
  readonly band: number;
  readonly label: string;
  readonly group: ReturnType<typeof peerGroupValue>;
}

interface SchoolPeerSet {
  readonly ips: number;
  readonly ipsPeriod: string;
  readonly peers: readonly { ref: NodeRef; id: string; academyCode: string }[];
}

/** The school's similar-IPS peers for an indicator period: the same for every indicator of a page. */
async function schoolPeerSet(
  db: Kysely<Database>,
  node: ResolvedNode,
  period: string,
): Promise<SchoolPeerSet | null> {
  const school = node.school;
  if (!school || !node.academyCode) return null;
  const periods = await ipsPeriods(db, period);
  if (periods.length === 0) return null;
  const academyCode = node.academyCode;
  const group = typeGroupOf(school);
  const contents = await academyContents(db, academyCode);
  const refs = contents.schools
    .filter((s) => s.open && typeGroupOf(s) === group)
    .map((s) => ({ ref: { level: "school" as const, code: s.id, name: s.id }, id: s.id, academyCode }));
  for (const ipsPeriod of periods) {
    const query = { indicatorCode: IPS_INDICATOR, period: ipsPeriod };
    const ipsCells = await schoolCells(db, query, refs, EVERYONE, async () => null);
    const units = refs.map((r, i) => ({ ...r, ips: ipsCells[i]?.value ?? null }));
    const own = units.find((u) => u.id === school.id)?.ips ?? null;
    if (own === null) continue;
    return { ips: own, ipsPeriod, peers: ipsPeersOf({ id: school.id, ips: own }, units, IPS_BAND_SCHOOL) };
  }
  return null;
}

/** Peer sets already computed for a page (its key indicators share them). */
export type IpsPeersMemo = Map<string, Promise<SchoolPeerSet | null>>;

async function schoolPeers(
  db: Kysely<Database>,
  node: ResolvedNode,
  q: CellQuery,
  indicator: CatalogueIndicator,
  memo: IpsPeersMemo,
): Promise<Built | null> {
  const key = `${node.ref.code}|${q.period}`;
  let pending = memo.get(key);
  if (!pending) {
    pending = schoolPeerSet(db, node, q.period);
    memo.set(key, pending);
  }
  const set = await pending;
  if (!set) return null;
  const cells = await schoolCells(db, { ...q, group: "" }, set.peers, EVERYONE, async () => null);
  const variant = planVariant(await getCatalogue(), indicator, q.disaggregation ?? "");
  return {
    ips: set.ips,
    ipsPeriod: set.ipsPeriod,
    band: IPS_BAND_SCHOOL,
    label: "Par rapport aux établissements du même type de l'académie d'IPS voisin",
    group: peerGroupValue(
      cells.map((c) => schoolPeerFigures(c, variant.peopleOperand)),
      {
        factor: indicator.factor,
        hasDenominator: indicator.denominator !== undefined,
        thresholds: await loadThresholds(db),
      },
    ),
  };
}

const TERRITORY_LEVELS = new Set<NodeRef["level"]>(["academicRegion", "academy", "department"]);

const PLURAL: Partial<Record<NodeRef["level"], string>> = {
  academicRegion: "régions académiques",
  academy: "académies",
  department: "départements",
};

async function territoryPeers(
  db: Kysely<Database>,
  node: ResolvedNode,
  q: CellQuery,
  indicator: CatalogueIndicator,
): Promise<Built | null> {
  const level = node.ref.level;
  if (!TERRITORY_LEVELS.has(level)) return null;
  const group = q.group ?? "";
  for (const ipsPeriod of await ipsPeriods(db, q.period)) {
    const ipsRows = await db
      .selectFrom("indicator_aggregate")
      .select(["node_code", "value"])
      .where("indicator_code", "=", IPS_INDICATOR)
      .where("period", "=", ipsPeriod)
      .where("node_level", "=", level)
      .where("grp", "=", group)
      .where("disaggregation", "=", "")
      .where("status", "=", "published")
      .execute();
    const units = ipsRows.map((r) => ({ id: r.node_code, ips: r.value }));
    const own = units.find((u) => u.id === node.ref.code)?.ips ?? null;
    if (own === null) continue;
    const peers = ipsPeersOf({ id: node.ref.code, ips: own }, units, IPS_BAND_TERRITORY);
    const rows =
      peers.length === 0
        ? []
        : await db
            .selectFrom("indicator_aggregate")
            .select(["numerator", "denominator", "schools_reporting"])
            .where("indicator_code", "=", q.indicatorCode)
            .where("period", "=", q.period)
            .where("node_level", "=", level)
            .where("grp", "=", group)
            .where("disaggregation", "=", q.disaggregation ?? "")
            .where("status", "=", "published")
            .where(
              "node_code",
              "in",
              peers.map((p) => p.id),
            )
            .execute();
    const thresholds = await loadThresholds(db);
    return {
      ips: own,
      ipsPeriod,
      band: IPS_BAND_TERRITORY,
      label: `Par rapport aux ${PLURAL[level] ?? "territoires"} d'IPS moyen voisin`,
      group: peerGroupValue(
        rows.map((r) => ({
          numerator: r.numerator,
          denominator: r.denominator,
          schools: r.schools_reporting,
        })),
        {
          factor: indicator.factor,
          hasDenominator: indicator.denominator !== undefined,
          thresholds,
          unitsArePublished: true,
        },
      ),
    };
  }
  return null;
}

/**
 * The comparison of `value` (the node's value as this viewer sees it: null when hidden, and then
 * no difference either) with its similar-IPS peers; null when the node has no IPS. A school's
 * own IPS and band are given only to a viewer who sees its figures (`seesNode`).
 */
export async function ipsPeersComparison(
  db: Kysely<Database>,
  node: ResolvedNode,
  q: CellQuery,
  indicator: CatalogueIndicator,
  view: { readonly value: number | null; readonly seesNode: boolean },
  memo: IpsPeersMemo = new Map(),
): Promise<IpsPeers | null> {
  if (indicator.code === IPS_INDICATOR) return null;
  const built =
    node.ref.level === "school"
      ? await schoolPeers(db, node, q, indicator, memo)
      : await territoryPeers(db, node, q, indicator);
  if (!built) return null;
  const { reference, peers, schools, status } = built.group;
  const c = compareValues(view.value, reference);
  const shown = node.ref.level !== "school" || view.seesNode;
  return {
    label: built.label,
    ips: shown ? built.ips : null,
    ipsPeriod: built.ipsPeriod,
    band: shown ? { min: built.ips - built.band, max: built.ips + built.band } : null,
    peers,
    schools,
    reference,
    difference: c.difference,
    verdict: verdictOf(c.difference, indicator.direction),
    status,
    statusLabel: CELL_STATUS_LABELS[status],
  };
}
