import type { Kysely } from "kysely";
import type {
  IndicatorCatalogueItem,
  IndicatorCell,
  IndicatorDashboard,
  KeyIndicators,
  NodeRef,
  ValuesResponse,
} from "../../contracts/indicators.ts";
import type { Principal } from "../identity/index.ts";
import { AppError, type Database } from "../platform/index.ts";
import { NATION, NATION_KEY, nodeKey, openSchoolsIn } from "../territories/index.ts";
import { type CatalogueIndicator, getCatalogue } from "./catalogue.ts";
import { compareValues, deciles } from "./domain/comparisons.ts";
import { parsePeriod } from "./domain/periods.ts";
import { GROUP_LABELS, typeGroupOf } from "./groups.ts";
import { type IpsPeersMemo, ipsPeersComparison } from "./ips-peers.ts";
import { childrenOf, type ResolvedNode, resolveNodeKey } from "./nodes.ts";
import { loadThresholds } from "./protect.ts";
import type { RoadmapLinks } from "./roadmap-links.ts";
import {
  type CellQuery,
  cellOf,
  comparePeriodsDesc,
  defaultPeriod,
  fetchRowSet,
  periodsByIndicator,
  readRows,
  schoolCells,
  summaryOf,
  type Viewer,
  viewerFor,
} from "./values.ts";

/** Use cases of the observatory API: catalogue, values, dashboards, key indicators. */

/** A refused observatory request: 404 (unknown indicator, territory…) or 400. */
export class ObservatoryError extends AppError {
  declare readonly status: 400 | 404;

  constructor(status: 400 | 404, message: string) {
    super(status, status === 404 ? "not_found" : "bad_request", message);
    this.name = "ObservatoryError";
  }
}

export function catalogueItem(i: CatalogueIndicator, periods: readonly string[]): IndicatorCatalogueItem {
  return {
    ...summaryOf(i),
    numerator: {
      dataElement: i.numerator.dataElement,
      ...(i.numerator.filter ? { filter: i.numerator.filter } : {}),
    },
    denominator: i.denominator
      ? {
          dataElement: i.denominator.dataElement,
          ...(i.denominator.filter ? { filter: i.denominator.filter } : {}),
        }
      : null,
    schoolRule: i.schoolRule?.description ?? null,
    disaggregations: i.disaggregations,
    sources: i.sources,
    periods: [...periods],
  };
}

export async function listIndicators(db: Kysely<Database>): Promise<IndicatorCatalogueItem[]> {
  const catalogue = await getCatalogue();
  const periods = await periodsByIndicator(db);
  return catalogue.raw.indicators.map((i) => catalogueItem(i, periods.get(i.code) ?? []));
}

async function indicatorOr404(code: string): Promise<CatalogueIndicator> {
  const i = (await getCatalogue()).indicators.get(code);
  if (!i) throw new ObservatoryError(404, `Indicateur inconnu : « ${code} ».`);
  return i;
}

/** The node of a page: an unknown territory or school is a 404, as an unknown indicator is. */
function nodeOr404(db: Kysely<Database>, key: string, field = "territory"): Promise<ResolvedNode> {
  return resolveNodeKey(db, key, { field, unknown: "notFound" });
}

async function periodsOf(db: Kysely<Database>, code: string): Promise<string[]> {
  return (await periodsByIndicator(db)).get(code) ?? [];
}

function checkPeriod(period: string | undefined): void {
  if (period === undefined) return;
  const parsed = parsePeriod(period);
  if (!parsed.ok) throw new ObservatoryError(400, `Paramètre « period » invalide : ${parsed.reason}.`);
}

function checkGroup(group: string): void {
  if (!GROUP_LABELS.has(group))
    throw new ObservatoryError(
      400,
      `Groupe inconnu : « ${group} » (ex. sector=public, priority=REP+, type=college).`,
    );
}

/** Cells of a node and, optionally, of its children (territories from aggregates, schools from values). */
async function cellsFor(
  db: Kysely<Database>,
  principal: Principal | null,
  q: CellQuery,
  node: ResolvedNode,
  withChildren: boolean,
): Promise<{ cell: IndicatorCell; children: IndicatorCell[] }> {
  const kids = withChildren
    ? await childrenOf(db, node.ref)
    : { refs: [], schoolIds: new Map<string, string>() };
  const viewer = await viewerFor(db, principal, [node.ref, ...kids.refs]);
  const nationalValue = async () => {
    const rows = await readRows(db, { indicatorCode: q.indicatorCode, period: q.period }, [NATION]);
    const catalogue = await getCatalogue();
    const base = catalogue.indicators.get(q.indicatorCode)?.schoolRule?.basedOn;
    if (base && "indicator" in base) {
      const baseRows = await readRows(db, { indicatorCode: base.indicator, period: q.period }, [NATION]);
      return baseRows.get(NATION_KEY)?.value ?? null;
    }
    return rows.get(NATION_KEY)?.value ?? null;
  };
  let cell: IndicatorCell | undefined;
  if (node.ref.level === "school" && node.school && node.academyCode) {
    const [c] = await schoolCells(
      db,
      q,
      [{ ref: node.ref, id: node.school.id, academyCode: node.academyCode }],
      viewer,
      nationalValue,
    );
    cell = c as IndicatorCell;
  }
  const territoryChildren = withChildren && kids.refs.length > 0 && node.ref.level !== "district";
  if (node.ref.level !== "school") {
    const set = await fetchRowSet(db, q, [q.period], [node.ref], territoryChildren ? [node.ref] : []);
    cell = cellOf(node.ref, q, set.node(node.ref, q.period), viewer);
    if (territoryChildren) {
      const children = kids.refs.map((ref) => cellOf(ref, q, set.node(ref, q.period), viewer));
      return { cell: cell as IndicatorCell, children };
    }
  }
  let children: IndicatorCell[] = [];
  if (withChildren && kids.refs.length > 0) {
    if (node.ref.level === "district" && node.academyCode) {
      const academyCode = node.academyCode;
      children = await schoolCells(
        db,
        { ...q, group: "" },
        kids.refs.map((ref) => ({ ref, id: kids.schoolIds.get(ref.code) as string, academyCode })),
        viewer,
        nationalValue,
      );
    }
  }
  return { cell: cell as IndicatorCell, children };
}

export interface ValuesInput {
  /** The territory's or the school's key (`academy:04`, `school:0330001A`), as the request wrote it. */
  territory: string;
  period?: string | undefined;
  group: string;
  disaggregation: string;
  children: boolean;
}

export async function indicatorValues(
  db: Kysely<Database>,
  principal: Principal | null,
  code: string,
  input: ValuesInput,
): Promise<ValuesResponse> {
  const indicator = await indicatorOr404(code);
  checkGroup(input.group);
  checkPeriod(input.period);
  const node = await nodeOr404(db, input.territory);
  const period = input.period ?? defaultPeriod(await periodsOf(db, code));
  const q: CellQuery = {
    indicatorCode: code,
    period: period ?? "",
    group: input.group,
    disaggregation: input.disaggregation,
  };
  const { cell, children } = await cellsFor(db, principal, q, node, input.children);
  return {
    indicator: summaryOf(indicator),
    period: q.period,
    group: input.group,
    disaggregation: input.disaggregation,
    territory: cell,
    ...(input.children ? { children } : {}),
    thresholds: await loadThresholds(db),
  };
}

function comparison(
  label: string,
  value: number | null,
  reference: number | null,
  direction: CatalogueIndicator["direction"],
) {
  if (value === null || reference === null) return null;
  const c = compareValues(value, reference);
  const difference = c.difference;
  let verdict: "better" | "worse" | "equal" | null = null;
  if (difference !== null) {
    if (Math.abs(difference) < 1e-9) verdict = "equal";
    else if (direction === "higher_is_better") verdict = difference > 0 ? "better" : "worse";
    else if (direction === "lower_is_better") verdict = difference < 0 ? "better" : "worse";
  }
  return { label, reference, difference, verdict };
}

export async function indicatorDashboard(
  db: Kysely<Database>,
  principal: Principal | null,
  code: string,
  input: Omit<ValuesInput, "children" | "disaggregation">,
  roadmaps: RoadmapLinks,
): Promise<IndicatorDashboard> {
  const indicator = await indicatorOr404(code);
  checkGroup(input.group);
  checkPeriod(input.period);
  const node = await nodeOr404(db, input.territory);
  const periods = await periodsOf(db, code);
  const period = input.period ?? defaultPeriod(periods) ?? "";
  const q: CellQuery = { indicatorCode: code, period, group: input.group };
  const { cell, children } = await cellsFor(db, principal, q, node, true);
  const viewer = await viewerFor(db, principal, [node.ref, ...node.ancestors]);
  // The series: same node, every period of the same kind (school years with school years…).
  const sameKind = periods.filter(
    (p) => p.length === period.length && p.includes("W") === period.includes("W"),
  );
  const parentRef = node.ancestors[0];
  // Ancestors, the node's series and its siblings: one query.
  const set = await fetchRowSet(
    db,
    q,
    [...new Set([period, ...sameKind])],
    [node.ref, ...node.ancestors],
    parentRef && node.ref.level !== "school" ? [parentRef] : [],
  );
  const ancestors = node.ancestors.map((a) => cellOf(a, q, set.node(a, period), viewer));
  const nation =
    ancestors.find((a) => a.node.level === "nation") ?? (node.ref.level === "nation" ? cell : null);
  let series: IndicatorCell[] = [];
  if (node.ref.level !== "school") {
    series = sameKind
      .map((p) => cellOf(node.ref, { ...q, period: p }, set.node(node.ref, p), viewer))
      .sort((a, b) => -comparePeriodsDesc(a.period, b.period));
  }
  const index = series.findIndex((s) => s.period === period);
  const previous = index > 0 ? (series[index - 1] as IndicatorCell) : null;
  const parent = ancestors[0] ?? null;
  // Rank among siblings with a published value.
  let siblingsRank: IndicatorDashboard["comparisons"]["siblingsRank"] = null;
  if (parent && cell.value !== null && indicator.direction !== "target") {
    const values = set
      .children(parent.node, period)
      .filter((r) => r.status === "published" && r.value !== null)
      .map((r) => r.value as number);
    if (values.length > 1) {
      const better = values.filter((v) =>
        indicator.direction === "higher_is_better" ? v > (cell.value as number) : v < (cell.value as number),
      ).length;
      siblingsRank = { rank: better + 1, of: values.length, level: node.ref.level };
    }
  }
  // School-level distribution, for users entitled to the node's unpublished figures.
  let decileCuts: number[] | null = null;
  let above: IndicatorDashboard["schoolsAboveNational"] = null;
  if (
    (cell.restricted || viewer.seesRestricted(node.ref)) &&
    ["academy", "department", "district"].includes(node.ref.level) &&
    indicator.kind !== "per_school_then_count"
  ) {
    const values =
      node.ref.level === "district"
        ? children.map((c) => c.value).filter((v): v is number => v !== null)
        : await schoolValuesIn(db, q, node);
    decileCuts = deciles(values);
    const ref = nation?.value ?? null;
    if (ref !== null && values.length > 0) {
      const count = values.filter((v) => v > ref).length;
      above = { share: count / values.length, count, of: values.length };
    }
  }
  const groups = [...GROUP_LABELS].map(([key, label]) => ({ key, label }));
  return {
    indicator: catalogueItem(indicator, periods),
    period,
    group: input.group,
    groups,
    territory: cell,
    ancestors,
    nation: nation ?? cell,
    children,
    series,
    previous,
    comparisons: {
      parent: parent
        ? comparison(`Par rapport à ${parent.node.name}`, cell.value, parent.value, indicator.direction)
        : null,
      nation:
        nation && node.ref.level !== "nation"
          ? comparison("Par rapport à la France", cell.value, nation.value, indicator.direction)
          : null,
      previousYear: previous
        ? comparison(`Par rapport à ${previous.period}`, cell.value, previous.value, indicator.direction)
        : null,
      siblingsRank,
      ipsPeers: await ipsPeersComparison(db, node, q, indicator, {
        value: cell.value,
        seesNode: cell.restricted || viewer.seesRestricted(node.ref),
      }),
    },
    schoolsAboveNational: above,
    deciles: decileCuts,
    thresholds: await loadThresholds(db),
    objectives:
      node.ref.level === "school"
        ? []
        : await roadmaps.objectivesFor(
            db,
            code,
            node.ref,
            cell.restricted || viewer.seesRestricted(node.ref),
          ),
  };
}

/** The school values of every school of an académie or a département (for deciles). */
async function schoolValuesIn(db: Kysely<Database>, q: CellQuery, node: ResolvedNode): Promise<number[]> {
  if (!node.academyCode) return [];
  const level = node.ref.level === "academy" ? "academy" : "department";
  const rows = await openSchoolsIn(db, { level, code: node.ref.code });
  const academyCode = node.academyCode;
  const everyone: Viewer = { seesRestricted: () => true };
  const cells = await schoolCells(
    db,
    { ...q, group: "" },
    rows.map((r) => ({
      ref: { level: "school" as const, code: r.uai, name: r.name },
      id: r.id,
      academyCode,
    })),
    everyone,
    async () => null,
  );
  return cells.map((c) => c.value).filter((v): v is number => v !== null);
}

/** The key indicators of a territory or school: the catalogue's headline indicators. */
export const KEY_INDICATORS = [
  "pix_certification_rate",
  "pix_mean_score",
  "ent_activation_rate",
  "ent_usage_rate",
  "resource_connections_per_pupil",
  "computers_per_100_pupils",
  "interactive_boards_per_1000_pupils",
  "self_assessment_schools_rate",
  "teachers_trained_in_digital_rate",
  "nsi_girls_share",
];

export async function keyIndicators(
  db: Kysely<Database>,
  principal: Principal | null,
  key: string,
  period: string | undefined,
  roadmaps: RoadmapLinks,
  /** The request's parameter that named the node, for the 404 (`uai` on a school's page). */
  field = "territory",
): Promise<KeyIndicators> {
  const catalogue = await getCatalogue();
  checkPeriod(period);
  const node = await nodeOr404(db, key, field);
  const allPeriods = await periodsByIndicator(db);
  const items: KeyIndicators["items"] = [];
  let shownPeriod: string | null = period ?? null;
  const group = node.school ? typeGroupOf(node.school) : "";
  // The roadmap's indicators that have values, else the catalogue's headline ones.
  const fromRoadmap = await roadmaps.keyIndicatorsOf(db, [node.ref, ...node.ancestors]);
  const roadmapCodes = (fromRoadmap?.codes ?? [])
    .filter((c) => (allPeriods.get(c) ?? []).length > 0)
    .slice(0, 12);
  const codes = roadmapCodes.length > 0 ? roadmapCodes : KEY_INDICATORS;
  // A school is compared with the schools of its type in its académie (same-type peers), a
  // territory with its parent.
  const parentKey = node.school ? node.ancestors.find((a) => a.level === "academy") : node.ancestors[0];
  const nationRef: NodeRef = NATION;
  const viewer = await viewerFor(db, principal, parentKey ? [parentKey, nationRef] : [nationRef]);
  const memo: IpsPeersMemo = new Map();
  for (const code of codes) {
    const indicator = catalogue.indicators.get(code);
    if (!indicator) continue;
    const p = period ?? defaultPeriod(allPeriods.get(code) ?? []);
    if (!p) continue;
    shownPeriod ??= p;
    const q: CellQuery = { indicatorCode: code, period: p };
    const { cell } = await cellsFor(db, principal, q, node, false);
    const parentQuery: CellQuery = node.school ? { ...q, group } : q;
    const rows = await readRows(db, parentQuery, parentKey ? [parentKey] : []);
    const nationRows = await readRows(db, q, [NATION]);
    items.push({
      indicator: summaryOf(indicator),
      cell,
      parent: parentKey ? cellOf(parentKey, parentQuery, rows.get(nodeKey(parentKey)), viewer) : null,
      nation: cellOf(nationRef, q, nationRows.get(NATION_KEY), viewer),
      ipsPeers: await ipsPeersComparison(
        db,
        node,
        q,
        indicator,
        { value: cell.value, seesNode: cell.restricted },
        memo,
      ),
    });
  }
  return {
    node: node.ref,
    period: shownPeriod,
    roadmap: roadmapCodes.length > 0 && fromRoadmap ? fromRoadmap.roadmap : null,
    items,
  };
}
