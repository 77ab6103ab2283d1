import { type Kysely, sql } from "kysely";
import type { Database } from "../platform/index.ts";
import {
  ACADEMIC_REGIONS,
  ACADEMIES,
  academyContents,
  DEPARTMENTS,
  NATION_KEY,
  type NodeLevel,
  nodeKey,
} from "../territories/index.ts";
import { type Catalogue, type CatalogueIndicator, getCatalogue } from "./catalogue.ts";
import { finiteOrNull } from "./domain/bounds.ts";
import { containingPeriod, parsePeriod } from "./domain/periods.ts";
import {
  type NodeAggregate,
  type OperandValues,
  operand,
  rollUp,
  rollUpPerSchoolThenCount,
  type TreeNode,
} from "./domain/rollup.ts";
import { expectedSchoolsOf } from "./expected-schools.ts";
import { ALL_GROUPS, type SchoolAttributes } from "./groups.ts";
import {
  type IndicatorVariant,
  planVariant,
  schoolRatio,
  seriesOf,
  usesNationalThreshold,
  variantKeys,
} from "./plan.ts";
import { type ProtectionSummary, protectAggregates } from "./protect.ts";
import { RollupThread } from "./rollup-thread.ts";
import type { IndicatorAggregateTable } from "./schema.ts";
import { loadSeriesIndex, type SeriesIndex } from "./series-index.ts";
import { forgetPeriods } from "./values.ts";

/** Lets pending I/O callbacks (HTTP requests) run before the next block of computation. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The roll-up engine. Aggregates are computed académie by académie from the schools' values
 * (the tested pure roll-up of domain/rollup.ts), then the régions académiques and the nation are
 * summed from the académies' stored accumulators, then statistical confidentiality is applied to
 * every (indicator, period, disaggregation) table. An incremental refresh runs the same code for
 * the académies a write touched: the other académies' rows are reused as they are.
 */

type AggregateRow = Omit<IndicatorAggregateTable, "computed_at">;

export interface RefreshScope {
  /** Académies whose schools' values changed; undefined = all. */
  readonly academies?: readonly string[];
  /** Data elements written; undefined = all. */
  readonly elements?: readonly string[];
  /** Periods written (months give their school year too); undefined = all. */
  readonly periods?: readonly string[];
}

export interface RefreshReport {
  readonly academies: number;
  readonly indicators: number;
  readonly rows: number;
  readonly cellsSuppressed: number;
  readonly ms: number;
}

export interface RefreshOptions {
  readonly onProgress?: (done: number, total: number, label: string) => void;
  /** Ends a roll-up running in its thread (ADR 0010); one in the server's thread runs to its end. */
  readonly signal?: AbortSignal;
}

interface SchoolNode extends TreeNode {
  readonly school: SchoolAttributes & { departmentCode: string; open: boolean };
}

interface AcademyTree {
  readonly academyCode: string;
  readonly regionCode: string;
  readonly nodes: TreeNode[];
  readonly schools: SchoolNode[];
  readonly departments: string[];
  /** For each group with schools: the reduced tree académie → départements → its schools. */
  readonly groupNodes: Map<string, TreeNode[]>;
  /** Schools a campaign expects, by `element|period` (expected-schools.ts); absent: every open school. */
  readonly expected: Map<string, Set<string>>;
}

/**
 * A territory's id in the roll-up tree: its node key (`academy:04`). Levels read back from
 * `territory_value` are plain text in the table, written by this module from the tree's levels.
 */
const nodeId = (level: NodeLevel | string, code: string) => nodeKey({ level: level as NodeLevel, code });

async function loadAcademyTree(db: Kysely<Database>, academyCode: string): Promise<AcademyTree> {
  // The territories module reads its own tables; the roll-up only shapes them into its tree.
  const contents = await academyContents(db, academyCode);
  const root = nodeId("academy", academyCode);
  const nodes: TreeNode[] = [{ id: root, parentId: null, kind: "territory" }];
  for (const code of contents.departmentCodes)
    nodes.push({ id: nodeId("department", code), parentId: root, kind: "territory" });
  for (const d of contents.districts)
    nodes.push({
      id: nodeId("district", d.code),
      parentId: nodeId("department", d.departmentCode),
      kind: "territory",
    });
  const schoolNodes: SchoolNode[] = contents.schools.map((s) => {
    // A school belongs to one district in the tree: its circonscription (first degree), else its
    // bassin, else directly to its département.
    const district = s.circonscriptionCode ?? s.bassinCode;
    return {
      id: s.id,
      parentId: district ? nodeId("district", district) : nodeId("department", s.departmentCode),
      kind: "school",
      school: {
        type: s.type,
        sector: s.sector,
        priority: s.priority,
        departmentCode: s.departmentCode,
        open: s.open,
      },
    };
  });
  nodes.push(...schoolNodes);
  // Built once per académie (the roll-up indexes each tree once and reuses it).
  const base: TreeNode[] = [
    { id: root, parentId: null, kind: "territory" },
    ...contents.departmentCodes.map(
      (code): TreeNode => ({ id: nodeId("department", code), parentId: root, kind: "territory" }),
    ),
  ];
  const groupNodes = new Map<string, TreeNode[]>();
  for (const group of ALL_GROUPS) {
    const members = schoolNodes.filter((s) => group.test(s.school));
    if (members.length === 0) continue;
    groupNodes.set(group.key, [
      ...base,
      ...members.map((s): SchoolNode => ({ ...s, parentId: nodeId("department", s.school.departmentCode) })),
    ]);
  }
  return {
    academyCode,
    regionCode: contents.academicRegionCode,
    nodes,
    schools: schoolNodes,
    departments: contents.departmentCodes,
    groupNodes,
    expected: await expectedSchoolsOf(db, academyCode),
  };
}

function splitId(id: string): { level: string; code: string } {
  const i = id.indexOf(":");
  return { level: id.slice(0, i), code: id.slice(i + 1) };
}

function toRow(
  academyCode: string,
  v: IndicatorVariant,
  period: string,
  grp: string,
  a: NodeAggregate,
  parentKey: string | null,
  numAggregation: "sum" | "average" | "none",
  denAggregation: "sum" | "average" | "none" | null,
): AggregateRow {
  const { level, code } = splitId(a.nodeId);
  const people =
    v.peopleOperand === "denominator" ? a.denominator : v.peopleOperand === "numerator" ? a.numerator : null;
  return {
    academy_code: academyCode,
    indicator_code: v.indicator.code,
    period,
    node_level: level,
    node_code: code,
    parent_key: parentKey,
    grp,
    disaggregation: v.disaggregation,
    sum_num: numAggregation === "average" ? (a.numerator ?? 0) * a.schoolsReporting : (a.numerator ?? 0),
    sum_den: denAggregation === "average" ? (a.denominator ?? 0) * a.schoolsReporting : (a.denominator ?? 0),
    numerator: a.numerator,
    denominator: a.denominator,
    value: a.value,
    schools_reporting: a.schoolsReporting,
    schools_reporting_expected: Math.round((a.coverage ?? 0) * a.schoolsExpected),
    schools_expected: a.schoolsExpected,
    largest: a.largestSchoolNumerator,
    people,
    status: "published",
  };
}

/** The periods a variant has values for in this index, restricted to the scope's periods. */
function periodsFor(v: IndicatorVariant, index: SeriesIndex, targets: ReadonlySet<string> | null): string[] {
  const base = v.rule?.basedOnSeries ?? v.rule?.basedOnIndicator?.numerator ?? v.numerator;
  return index.periodsOf(base).filter((p) => targets === null || targets.has(p));
}

/** Rows of one académie for one variant and period: the whole subtree for '' and down to départements for the groups. */
/**
 * Which schools the coverage counts: the open schools a campaign expects for the indicator's
 * element and period when one does (its numerator, or the series its school rule reads), else
 * every open school.
 */
function expectedTest(tree: AcademyTree, v: IndicatorVariant, period: string): (n: TreeNode) => boolean {
  const elements = [v.numerator.element, v.rule?.basedOnSeries?.element];
  const set = elements
    .map((e) => (e ? tree.expected.get(`${e}|${period}`) : undefined))
    .find((x) => x !== undefined);
  if (!set) return (n) => (n as SchoolNode).school.open;
  return (n) => (n as SchoolNode).school.open && set.has(n.id);
}

function academyRows(
  tree: AcademyTree,
  v: IndicatorVariant,
  period: string,
  index: SeriesIndex,
  nationalValue: (v: IndicatorVariant, period: string) => number | null,
): AggregateRow[] {
  const isExpected = expectedTest(tree, v, period);
  const numAgg = v.numerator.aggregation;
  const denAgg = v.denominator?.aggregation ?? null;
  let compute: (nodes: readonly TreeNode[]) => Map<string, NodeAggregate>;
  if (v.rule) {
    const rule = v.rule;
    const threshold = rule.threshold === "national_value" ? nationalValue(v, period) : rule.threshold;
    if (threshold === null) return [];
    const schoolValue = (id: string): number | null => {
      if (rule.basedOnSeries) return index.lookup(rule.basedOnSeries, period, id) ?? null;
      return schoolRatio(rule.basedOnIndicator as IndicatorVariant, index.lookup, period, id).value;
    };
    compute = (nodes) => {
      const values = new Map<string, number | null>();
      for (const n of nodes) if (n.kind === "school") values.set(n.id, schoolValue(n.id));
      return rollUpPerSchoolThenCount(
        { nodes, isExpected },
        values,
        { comparator: rule.comparator, threshold },
        v.indicator.factor,
      );
    };
  } else {
    compute = (nodes) => {
      const values = new Map<string, OperandValues>();
      for (const n of nodes) {
        if (n.kind !== "school") continue;
        const num = index.lookup(v.numerator, period, n.id);
        if (num === undefined) continue;
        const den = v.denominator ? (index.lookup(v.denominator, period, n.id) ?? null) : null;
        values.set(n.id, { numerator: num, denominator: den });
      }
      return rollUp({
        nodes,
        isExpected,
        schoolValues: values,
        indicator: {
          factor: v.indicator.factor,
          numerator: numAgg,
          ...(v.denominator ? { denominator: v.denominator.aggregation } : {}),
        },
      });
    };
  }
  const rows: AggregateRow[] = [];
  const parentKeyOf = new Map(tree.nodes.map((n) => [n.id, n.parentId]));
  const regionKey = nodeId("academicRegion", tree.regionCode);
  const all = compute(tree.nodes);
  const perSchool = v.rule !== null;
  for (const a of all.values()) {
    if (!a.nodeId.includes(":")) continue; // school rows are not stored: read from data_value
    const parent = parentKeyOf.get(a.nodeId) ?? regionKey;
    rows.push(
      toRow(
        tree.academyCode,
        v,
        period,
        "",
        a,
        parent,
        perSchool ? "sum" : numAgg,
        perSchool ? "sum" : denAgg,
      ),
    );
  }
  // Groups: a reduced tree académie → départements → the group's schools.
  const root = nodeId("academy", tree.academyCode);
  for (const [key, nodes] of tree.groupNodes) {
    const aggregates = compute(nodes);
    for (const a of aggregates.values()) {
      if (!a.nodeId.includes(":")) continue;
      const parent = a.nodeId === root ? regionKey : root;
      rows.push(
        toRow(
          tree.academyCode,
          v,
          period,
          key,
          a,
          parent,
          perSchool ? "sum" : numAgg,
          perSchool ? "sum" : denAgg,
        ),
      );
    }
  }
  return rows;
}

const INSERT_CHUNK = 1000;

/**
 * Rows written per transaction, at most (a whole indicator is never split): one insert. On PGlite
 * a transaction holds the one connection, and a page read waits for all of it; at 5 000 rows
 * (five inserts) that was 300 to 500 ms, at 1 000 about 100 (December 2026).
 */
const ACADEMY_WRITE_ROWS = INSERT_CHUNK;

/**
 * An académie's new aggregates cut into transactions of whole indicators. On PGlite the base
 * serves one statement at a time: one transaction for a large académie (tens of thousands of
 * rows) kept every page read waiting more than a second (issue 9, point 5). Each indicator still
 * passes from one complete state to the next for its readers, in one transaction for all its
 * levels, periods and disaggregations; the académie's other indicators follow in the next
 * transactions, as the upper levels already did.
 */
export function indicatorChunks(
  codes: readonly string[],
  rows: readonly AggregateRow[],
  maxRows = ACADEMY_WRITE_ROWS,
): { codes: string[]; rows: AggregateRow[] }[] {
  const byCode = new Map<string, AggregateRow[]>(codes.map((c) => [c, []]));
  for (const r of rows) byCode.get(r.indicator_code)?.push(r);
  const chunks: { codes: string[]; rows: AggregateRow[] }[] = [];
  let current: { codes: string[]; rows: AggregateRow[] } = { codes: [], rows: [] };
  for (const [code, own] of byCode) {
    if (current.codes.length > 0 && current.rows.length + own.length > maxRows) {
      chunks.push(current);
      current = { codes: [], rows: [] };
    }
    current.codes.push(code);
    for (const r of own) current.rows.push(r);
  }
  if (current.codes.length > 0) chunks.push(current);
  return chunks;
}

async function insertRows(db: Kysely<Database>, rows: readonly AggregateRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto("indicator_aggregate")
      .values(rows.slice(i, i + INSERT_CHUNK).map(finiteRow))
      .execute();
  }
}

/**
 * Every aggregate is stored finite (the last guard: values are bounded, so sums cannot overflow).
 * A figure that is not is stored as "no value", never as Infinity or NaN, which the API could
 * not serialise.
 */
export function finiteRow(row: AggregateRow): AggregateRow {
  const numerator = finiteOrNull(row.numerator);
  const denominator = finiteOrNull(row.denominator);
  const value = finiteOrNull(row.value);
  const broken = numerator !== row.numerator || denominator !== row.denominator || value !== row.value;
  if (!broken && Number.isFinite(row.sum_num) && Number.isFinite(row.sum_den)) {
    if (row.largest === null || Number.isFinite(row.largest)) return row;
  }
  return {
    ...row,
    numerator: broken ? null : numerator,
    denominator: broken ? null : denominator,
    value: broken ? null : value,
    sum_num: Number.isFinite(row.sum_num) ? row.sum_num : 0,
    sum_den: Number.isFinite(row.sum_den) ? row.sum_den : 0,
    largest: finiteOrNull(row.largest),
    people: finiteOrNull(row.people),
  };
}

/** Régions académiques and nation, summed from the stored académie rows. */
async function upperRows(
  db: Kysely<Database>,
  variants: readonly IndicatorVariant[],
  periods: ReadonlySet<string> | null,
): Promise<AggregateRow[]> {
  const codes = [...new Set(variants.map((v) => v.indicator.code))];
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom("indicator_aggregate as a")
    .innerJoin("academy", "academy.code", "a.node_code")
    .select([
      "a.indicator_code",
      "a.period",
      "a.grp",
      "a.disaggregation",
      "academy.academic_region_code as region",
      "a.sum_num",
      "a.sum_den",
      "a.schools_reporting",
      "a.schools_reporting_expected",
      "a.schools_expected",
      "a.largest",
    ])
    .where("a.node_level", "=", "academy")
    .where("a.indicator_code", "in", codes)
    .$if(periods !== null, (qb) => qb.where("a.period", "in", [...(periods as Set<string>), "__none__"]))
    .execute();
  const byVariant = new Map(variants.map((v) => [`${v.indicator.code}|${v.disaggregation}`, v]));
  interface Acc {
    v: IndicatorVariant;
    period: string;
    grp: string;
    level: string;
    code: string;
    parent: string | null;
    num: number;
    den: number;
    rep: number;
    repExp: number;
    exp: number;
    largest: number | null;
  }
  const accs = new Map<string, Acc>();
  for (const r of rows) {
    const v = byVariant.get(`${r.indicator_code}|${r.disaggregation}`);
    if (!v) continue;
    for (const [level, code, parent] of [
      ["academicRegion", r.region, NATION_KEY],
      ["nation", "FR", null],
    ] as const) {
      const key = `${r.indicator_code}|${r.disaggregation}|${r.period}|${r.grp}|${level}|${code}`;
      let acc = accs.get(key);
      if (!acc) {
        acc = {
          v,
          period: r.period,
          grp: r.grp,
          level,
          code,
          parent,
          num: 0,
          den: 0,
          rep: 0,
          repExp: 0,
          exp: 0,
          largest: null,
        };
        accs.set(key, acc);
      }
      acc.num += r.sum_num;
      acc.den += r.sum_den;
      acc.rep += r.schools_reporting;
      acc.repExp += r.schools_reporting_expected;
      acc.exp += r.schools_expected;
      if (r.largest !== null && (acc.largest === null || r.largest > acc.largest)) acc.largest = r.largest;
    }
  }
  const out: AggregateRow[] = [];
  for (const a of accs.values()) {
    const perSchool = a.v.rule !== null;
    const numAgg = perSchool ? "sum" : a.v.numerator.aggregation;
    const denAgg = perSchool ? "sum" : (a.v.denominator?.aggregation ?? null);
    const numerator = operand(numAgg, a.num, a.rep, null);
    const denominator = denAgg ? operand(denAgg, a.den, a.rep, null) : null;
    const hasDen = denAgg !== null;
    const value =
      numerator === null
        ? null
        : !hasDen
          ? numerator * a.v.indicator.factor
          : denominator === null || denominator === 0
            ? null
            : (numerator / denominator) * a.v.indicator.factor;
    const people =
      a.v.peopleOperand === "denominator"
        ? denominator
        : a.v.peopleOperand === "numerator"
          ? numerator
          : null;
    out.push({
      academy_code: "",
      indicator_code: a.v.indicator.code,
      period: a.period,
      node_level: a.level,
      node_code: a.code,
      parent_key: a.parent,
      grp: a.grp,
      disaggregation: a.v.disaggregation,
      sum_num: a.num,
      sum_den: a.den,
      numerator,
      denominator,
      value,
      schools_reporting: a.rep,
      schools_reporting_expected: a.repExp,
      schools_expected: a.exp,
      largest: a.largest,
      people,
      status: "published",
    });
  }
  return out;
}

/** Expands written periods with the school years they belong to. */
function targetPeriods(periods: readonly string[] | undefined): Set<string> | null {
  if (!periods) return null;
  const out = new Set<string>();
  for (const p of periods) {
    out.add(p);
    const parsed = parsePeriod(p);
    if (parsed.ok && parsed.period.type !== "school_year" && parsed.period.type !== "year") {
      out.add(containingPeriod(parsed.period, "school_year").id);
    }
  }
  return out;
}

function isSchoolIndicator(catalogue: Catalogue, i: CatalogueIndicator): boolean {
  return catalogue.elements.get(i.numerator.dataElement)?.collectedAt === "school";
}

/** Recomputes the aggregates touched by `scope` (everything when the scope is empty). */
export async function refreshAggregates(
  db: Kysely<Database>,
  scope: RefreshScope = {},
  options: RefreshOptions = {},
): Promise<RefreshReport> {
  const started = performance.now();
  const catalogue = await getCatalogue();
  const elements = scope.elements ? new Set(scope.elements) : null;
  const targets = targetPeriods(scope.periods);
  // The académies of the referential (the territories module seeds its table with them).
  const allAcademies = ACADEMIES.map((a) => a.code).sort();
  const academies = scope.academies ? allAcademies.filter((a) => scope.academies?.includes(a)) : allAcademies;

  const variants: IndicatorVariant[] = [];
  for (const indicator of catalogue.raw.indicators) {
    if (!isSchoolIndicator(catalogue, indicator)) continue;
    for (const key of variantKeys(catalogue, indicator)) {
      const v = planVariant(catalogue, indicator, key);
      if (elements && !seriesOf(v).some((s) => elements.has(s.element))) continue;
      variants.push(v);
    }
  }
  const local = variants.filter((v) => !usesNationalThreshold(v));
  // Indicators compared with the national value: the nation may have moved, so every académie
  // is recomputed for them (they read only their few series).
  const national = variants.filter(usesNationalThreshold);

  let rowsWritten = 0;
  const total = academies.length + (national.length > 0 ? allAcademies.length : 0);
  let done = 0;
  const runAcademies = async (
    codes: readonly string[],
    vs: readonly IndicatorVariant[],
    nationalValues: Map<string, number | null>,
  ) => {
    if (vs.length === 0) return;
    const needed = [...new Set(vs.flatMap((v) => seriesOf(v).map((s) => s.element)))];
    const indicatorCodes = [...new Set(vs.map((v) => v.indicator.code))];
    for (const academyCode of codes) {
      const tree = await loadAcademyTree(db, academyCode);
      const index = await loadSeriesIndex(db, catalogue, { academyCodes: [academyCode], elements: needed });
      const rows: AggregateRow[] = [];
      for (const v of vs) {
        // Each variant is a block of JavaScript on the server's thread: let HTTP through between
        // them (health and page reads during a nation roll-up, issue 9 point 5).
        await yieldToEventLoop();
        for (const period of periodsFor(v, index, targets)) {
          rows.push(
            ...academyRows(
              tree,
              v,
              period,
              index,
              (x, p) => nationalValues.get(`${x.indicator.code}|${p}`) ?? null,
            ),
          );
        }
      }
      for (const chunk of indicatorChunks(indicatorCodes, rows)) {
        await db.transaction().execute(async (trx) => {
          await trx
            .deleteFrom("indicator_aggregate")
            .where("academy_code", "=", academyCode)
            .where("indicator_code", "in", chunk.codes)
            .$if(targets !== null, (qb) => qb.where("period", "in", [...(targets as Set<string>)]))
            .execute();
          await insertRows(trx, chunk.rows);
        });
      }
      rowsWritten += rows.length;
      done++;
      options.onProgress?.(done, total, `académie ${academyCode}`);
    }
  };
  const writeUpper = async (vs: readonly IndicatorVariant[]) => {
    const codes = [...new Set(vs.map((v) => v.indicator.code))];
    if (codes.length === 0) return;
    const rows = await upperRows(db, vs, targets);
    // By indicators, as for the académies: each transaction holds the embedded base briefly.
    for (const chunk of indicatorChunks(codes, rows)) {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom("indicator_aggregate")
          .where("academy_code", "=", "")
          .where("indicator_code", "in", chunk.codes)
          .$if(targets !== null, (qb) => qb.where("period", "in", [...(targets as Set<string>)]))
          .execute();
        await insertRows(trx, chunk.rows);
      });
    }
    rowsWritten += rows.length;
  };

  await runAcademies(academies, local, new Map());
  await writeUpper(local);
  if (national.length > 0) {
    const bases = [...new Set(national.map((v) => v.rule?.basedOnIndicator?.indicator.code as string))];
    const nationRows = await db
      .selectFrom("indicator_aggregate")
      .select(["indicator_code", "period", "value"])
      .where("node_level", "=", "nation")
      .where("grp", "=", "")
      .where("disaggregation", "=", "")
      .where("indicator_code", "in", bases)
      .execute();
    const values = new Map<string, number | null>();
    for (const v of national) {
      const base = v.rule?.basedOnIndicator?.indicator.code;
      for (const r of nationRows)
        if (r.indicator_code === base) values.set(`${v.indicator.code}|${r.period}`, r.value);
    }
    await runAcademies(allAcademies, national, values);
    await writeUpper(national);
  }
  const territoryRows = await refreshTerritoryIndicators(db, catalogue, elements, targets);
  rowsWritten += territoryRows.rows;

  const summary: ProtectionSummary = await protectAggregates(
    db,
    variants.map((v) => ({ code: v.indicator.code, disaggregation: v.disaggregation })),
    targets,
  );
  forgetPeriods(db);
  return {
    academies: academies.length,
    indicators: new Set([...variants.map((v) => v.indicator.code), ...territoryRows.codes]).size,
    rows: rowsWritten,
    cellsSuppressed: summary.suppressed,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Indicators whose operands are delivered at a territory level (trainee days per académie,
 * committee meetings per département…): the delivered values, summed upwards when the element
 * adds up. They are not built from schools, so no school can be singled out: always published.
 */
async function refreshTerritoryIndicators(
  db: Kysely<Database>,
  catalogue: Catalogue,
  elements: ReadonlySet<string> | null,
  targets: ReadonlySet<string> | null,
): Promise<{ rows: number; codes: string[] }> {
  const indicators = catalogue.raw.indicators.filter((i) => {
    if (isSchoolIndicator(catalogue, i)) return false;
    const used = [i.numerator.dataElement, ...(i.denominator ? [i.denominator.dataElement] : [])];
    return elements === null || used.some((e) => elements.has(e));
  });
  if (indicators.length === 0) return { rows: 0, codes: [] };
  const values = await db
    .selectFrom("territory_value")
    .select(["data_element_code", "period", "territory_level", "territory_code", "disaggregation", "value"])
    .$if(targets !== null, (qb) => qb.where("period", "in", [...(targets as Set<string>), "__none__"]))
    .execute();
  const parents = territoryParents();
  const rows: AggregateRow[] = [];
  for (const indicator of indicators) {
    for (const key of variantKeys(catalogue, indicator)) {
      const v = planVariant(catalogue, indicator, key);
      const collect = (ref: { element: string; disaggregation: string }) => {
        const m = new Map<string, Map<string, number>>(); // period → node → value
        for (const r of values) {
          if (r.data_element_code !== ref.element || r.disaggregation !== ref.disaggregation) continue;
          const byNode = m.get(r.period) ?? new Map<string, number>();
          byNode.set(nodeId(r.territory_level, r.territory_code), r.value);
          m.set(r.period, byNode);
        }
        return m;
      };
      const nums = collect(v.numerator);
      const dens = v.denominator ? collect(v.denominator) : null;
      for (const [period, numByNode] of nums) {
        const totals = sumUpwards(numByNode, parents, v.numerator.aggregation === "sum");
        const denTotals = dens
          ? sumUpwards(dens.get(period) ?? new Map(), parents, v.denominator?.aggregation === "sum")
          : null;
        for (const [node, num] of totals) {
          const den = denTotals ? (denTotals.get(node) ?? null) : null;
          const value = denTotals ? (den ? (num / den) * indicator.factor : null) : num * indicator.factor;
          const { level, code } = splitId(node);
          rows.push({
            academy_code: parents.academyOf.get(node) ?? "",
            indicator_code: indicator.code,
            period,
            node_level: level,
            node_code: code,
            parent_key: parents.parentOf.get(node) ?? null,
            grp: "",
            disaggregation: key,
            sum_num: num,
            sum_den: den ?? 0,
            numerator: num,
            denominator: den,
            value,
            schools_reporting: 0,
            schools_reporting_expected: 0,
            schools_expected: 0,
            largest: null,
            people: null,
            status: "published",
          });
        }
      }
    }
  }
  const codes = indicators.map((i) => i.code);
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("indicator_aggregate")
      .where("indicator_code", "in", codes)
      .$if(targets !== null, (qb) => qb.where("period", "in", [...(targets as Set<string>), "__none__"]))
      .execute();
    await insertRows(trx, rows);
  });
  return { rows: rows.length, codes };
}

interface TerritoryParents {
  parentOf: Map<string, string>;
  academyOf: Map<string, string>;
}

function territoryParents(): TerritoryParents {
  const parentOf = new Map<string, string>();
  const academyOf = new Map<string, string>();
  // The referential the territories module seeds its tables with: no query needed.
  for (const r of ACADEMIC_REGIONS) parentOf.set(nodeId("academicRegion", r.code), NATION_KEY);
  for (const a of ACADEMIES) {
    parentOf.set(nodeId("academy", a.code), nodeId("academicRegion", a.academicRegionCode));
    academyOf.set(nodeId("academy", a.code), a.code);
  }
  for (const d of DEPARTMENTS) {
    parentOf.set(nodeId("department", d.code), nodeId("academy", d.academyCode));
    academyOf.set(nodeId("department", d.code), d.academyCode);
  }
  return { parentOf, academyOf };
}

/** Delivered values plus, when they add up, the sum at every ancestor. */
function sumUpwards(
  byNode: ReadonlyMap<string, number>,
  parents: TerritoryParents,
  additive: boolean,
): Map<string, number> {
  const out = new Map(byNode);
  if (!additive) return out;
  for (const [node, value] of byNode) {
    let parent = parents.parentOf.get(node);
    while (parent) {
      if (byNode.has(parent)) break; // a delivered figure at the ancestor wins
      out.set(parent, (out.get(parent) ?? 0) + value);
      parent = parents.parentOf.get(parent);
    }
  }
  return out;
}

/** Rebuilds every aggregate from the stored values (repairs; `vigie rollup --full`). */
export async function rollupFull(db: Kysely<Database>, options: RefreshOptions = {}): Promise<RefreshReport> {
  const thread = rollupThreads.get(db);
  if (thread) {
    // In the thread, a full rebuild takes its turn with the incremental ones.
    const report = await inTurn(db, () => thread.run("full", options));
    forgetPeriods(db);
    return report as RefreshReport;
  }
  // Truncated, not deleted: the files are emptied at once, where a delete would leave every row
  // dead in them until a vacuum (and the next analyses would read them).
  await sql`truncate indicator_aggregate`.execute(db);
  const report = await refreshAggregates(db, {}, options);
  await db.updateTable("rollup_request").set({ done_at: new Date() }).where("done_at", "is", null).execute();
  return report;
}

/**
 * Runs the pending roll-up requests (written with the values, in the same transaction),
 * merged into one refresh. Returns null when there was nothing to do. With a roll-up thread
 * attached to `db` (PostgreSQL, ADR 0010), the computation runs there.
 */
export function processPendingRollups(
  db: Kysely<Database>,
  options: RefreshOptions = {},
): Promise<RefreshReport | null> {
  const thread = rollupThreads.get(db);
  if (!thread) return inTurn(db, () => runPendingRollups(db, options));
  return inTurn(db, async () => {
    const report = await thread.run("pending", options);
    // The thread has its own caches; the server's reads must see the new periods.
    if (report) forgetPeriods(db);
    return report;
  });
}

/**
 * One roll-up at a time per database in this process: a request arriving meanwhile waits for the
 * running one, then finds its own work (or nothing) pending.
 */
function inTurn(
  db: Kysely<Database>,
  work: () => Promise<RefreshReport | null>,
): Promise<RefreshReport | null> {
  const previous = running.get(db) ?? Promise.resolve(null);
  const next = previous.catch(() => null).then(work);
  running.set(db, next);
  return next;
}

const running = new WeakMap<object, Promise<RefreshReport | null>>();
const rollupThreads = new WeakMap<object, RollupThread>();

/**
 * Computes this database's roll-ups in a worker thread with its own pool of `poolSize`
 * connections to the PostgreSQL server at `databaseUrl` (ADR 0010). The thread starts with the
 * first roll-up; `stopRollupThread` ends it.
 */
export function attachRollupThread(db: Kysely<Database>, databaseUrl: string, poolSize = 3): void {
  if (!rollupThreads.has(db)) rollupThreads.set(db, new RollupThread({ databaseUrl, poolSize }));
}

/** Resolves when the roll-ups started in this process are over (before closing the database). */
export async function settleRollups(db: Kysely<Database>): Promise<void> {
  await running.get(db)?.catch(() => null);
}

/** Ends the roll-up thread of this database, if any (server stopping; after `settleRollups`). */
export async function stopRollupThread(db: Kysely<Database>): Promise<void> {
  const thread = rollupThreads.get(db);
  rollupThreads.delete(db);
  await thread?.close();
}

async function runPendingRollups(
  db: Kysely<Database>,
  options: RefreshOptions,
): Promise<RefreshReport | null> {
  const pending = await db
    .selectFrom("rollup_request")
    .select(["id", "academy_code", "data_element_codes", "periods"])
    .where("done_at", "is", null)
    .orderBy("id")
    .execute();
  if (pending.length === 0) return null;
  const academies = new Set<string>();
  const elements = new Set<string>();
  const periods = new Set<string>();
  // A request naming no element asks for everything (see requestFullRefresh).
  const everything = pending.some((p) => p.data_element_codes.length === 0);
  for (const p of pending) {
    if (p.academy_code !== "") academies.add(p.academy_code);
    for (const e of p.data_element_codes) elements.add(e);
    for (const x of p.periods) periods.add(x);
  }
  const report = await refreshAggregates(
    db,
    everything ? {} : { academies: [...academies], elements: [...elements], periods: [...periods] },
    options,
  );
  await db
    .updateTable("rollup_request")
    .set({ done_at: new Date() })
    .where(
      "id",
      "in",
      pending.map((p) => p.id),
    )
    .execute();
  return report;
}
