import type { TERRITORY_AGGREGATIONS } from "../../../contracts/roadmaps.ts";
import { finiteOrNull } from "./bounds.ts";

/**
 * Roll-up of an indicator over the territory tree: every node gets Σnumerator, Σdenominator,
 * value = Σnumerator / Σdenominator × factor (never a mean of school rates) and its coverage.
 */

export type TerritoryAggregation = (typeof TERRITORY_AGGREGATIONS)[number];

export interface TreeNode {
  readonly id: string;
  readonly parentId: string | null;
  /** Schools are the leaves that report; territories only aggregate. */
  readonly kind: "territory" | "school";
  /** School attributes used by group sets (sector, education priority, school type…). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** The operands of one school (or, for `none`, of one territory); null = missing. */
export interface OperandValues {
  readonly numerator: number | null;
  readonly denominator?: number | null;
}

export interface RollupIndicator {
  readonly factor: number;
  /** Aggregation over territory of each operand (from the data element). */
  readonly numerator: TerritoryAggregation;
  /** Absent for counts: the value is then Σnumerator × factor. */
  readonly denominator?: TerritoryAggregation;
}

export interface RollupInput {
  readonly nodes: readonly TreeNode[];
  readonly indicator: RollupIndicator;
  readonly schoolValues: ReadonlyMap<string, OperandValues>;
  /** Values delivered at a territory level, used by operands aggregated with `none`. */
  readonly deliveredValues?: ReadonlyMap<string, OperandValues>;
  /** Which schools should report (default: all). Coverage = reporting expected / expected. */
  readonly isExpected?: (school: TreeNode) => boolean;
  /** Restricts the roll-up to some schools: a group of a group set (public, REP+, collèges…). */
  readonly schoolFilter?: (school: TreeNode) => boolean;
}

export interface NodeAggregate {
  readonly nodeId: string;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  /** Schools of the node (after the group filter) that have every operand. */
  readonly schoolsReporting: number;
  /** Schools of the node (after the group filter) that should report. */
  readonly schoolsExpected: number;
  /** Expected schools reporting / expected schools; null when no school is expected. */
  readonly coverage: number | null;
  /** The largest single-school numerator: what the dominance rule needs. */
  readonly largestSchoolNumerator: number | null;
}

export class RollupError extends Error {
  override readonly name = "RollupError";
}

interface Accumulator {
  sumNum: number;
  sumDen: number;
  reporting: number;
  reportingExpected: number;
  expected: number;
  largest: number | null;
}

/** Children lists and a bottom-up order (children before parents), checking the tree. */
export function indexTree(nodes: readonly TreeNode[]): TreeIndex {
  // The engine rolls up the same tree for many indicators and periods: index it once.
  const cached = treeIndexCache.get(nodes);
  if (cached) return cached;
  const index = buildTreeIndex(nodes);
  treeIndexCache.set(nodes, index);
  return index;
}

interface TreeIndex {
  byId: Map<string, TreeNode>;
  children: Map<string, TreeNode[]>;
  bottomUp: TreeNode[];
}

const treeIndexCache = new WeakMap<readonly TreeNode[], TreeIndex>();

function buildTreeIndex(nodes: readonly TreeNode[]): TreeIndex {
  const byId = new Map<string, TreeNode>();
  for (const n of nodes) {
    if (byId.has(n.id)) throw new RollupError(`nœud « ${n.id} » en double dans l'arbre des territoires`);
    byId.set(n.id, n);
  }
  const children = new Map<string, TreeNode[]>(nodes.map((n) => [n.id, []]));
  const roots: TreeNode[] = [];
  for (const n of nodes) {
    if (n.parentId === null) {
      roots.push(n);
      continue;
    }
    const parent = byId.get(n.parentId);
    if (!parent) throw new RollupError(`le parent « ${n.parentId} » de « ${n.id} » est inconnu`);
    if (parent.kind === "school")
      throw new RollupError(`l'établissement « ${parent.id} » ne peut pas avoir d'enfant`);
    children.get(parent.id)?.push(n);
  }
  const topDown: TreeNode[] = [...roots];
  for (let i = 0; i < topDown.length; i++) topDown.push(...(children.get((topDown[i] as TreeNode).id) ?? []));
  if (topDown.length !== nodes.length) throw new RollupError("l'arbre des territoires contient un cycle");
  return { byId, children, bottomUp: topDown.reverse() };
}

function reports(values: OperandValues | undefined, indicator: RollupIndicator): values is OperandValues {
  if (!values || values.numerator === null || !Number.isFinite(values.numerator)) return false;
  if (indicator.denominator === undefined) return true;
  return (
    values.denominator !== undefined && values.denominator !== null && Number.isFinite(values.denominator)
  );
}

/** An operand at a node from its accumulated sums (exported for roll-ups above stored nodes). */
export function operand(
  aggregation: TerritoryAggregation,
  sum: number,
  reporting: number,
  delivered: number | null | undefined,
): number | null {
  // Values are bounded (domain/bounds.ts), so sums are finite; should one still overflow, the
  // operand has no value rather than Infinity (which no answer can carry).
  switch (aggregation) {
    case "sum":
      return reporting > 0 ? finiteOrNull(sum) : null;
    case "average":
      return reporting > 0 ? finiteOrNull(sum / reporting) : null;
    case "none":
      return finiteOrNull(delivered);
  }
}

/** A ratio with no denominator (or a zero one) has no value: 0/0 is not 0 %. */
export function ratio(numerator: number | null, denominator: number | null, factor: number, hasDen: boolean) {
  if (numerator === null) return null;
  if (!hasDen) return finiteOrNull(numerator * factor);
  if (denominator === null || denominator === 0) return null;
  return finiteOrNull((numerator / denominator) * factor);
}

/**
 * Computes the aggregate of every node (territories and schools). Operands aggregated with
 * `sum` add the schools' values; `average` takes their unweighted mean (for data elements that
 * are themselves means, e.g. a score); `none` only uses the value delivered at that level
 * (distinct counts such as unique users, which do not add up) — under a group filter there is
 * no such value, so it is null. A school counts as reporting when it has every operand.
 */
export function rollUp(input: RollupInput): Map<string, NodeAggregate> {
  const { indicator, schoolValues } = input;
  const { children, bottomUp } = indexTree(input.nodes);
  const hasDen = indicator.denominator !== undefined;
  const acc = new Map<string, Accumulator>();
  const result = new Map<string, NodeAggregate>();
  for (const node of bottomUp) {
    const a: Accumulator = {
      sumNum: 0,
      sumDen: 0,
      reporting: 0,
      reportingExpected: 0,
      expected: 0,
      largest: null,
    };
    let own: OperandValues | undefined;
    if (node.kind === "school") {
      if (!input.schoolFilter || input.schoolFilter(node)) {
        const values = schoolValues.get(node.id);
        const expected = input.isExpected ? input.isExpected(node) : true;
        if (expected) a.expected = 1;
        if (reports(values, indicator)) {
          own = values;
          a.sumNum = values.numerator as number;
          a.sumDen = hasDen ? (values.denominator as number) : 0;
          a.reporting = 1;
          a.reportingExpected = expected ? 1 : 0;
          a.largest = a.sumNum;
        }
      }
    } else {
      for (const child of children.get(node.id) ?? []) {
        const c = acc.get(child.id) as Accumulator;
        a.sumNum += c.sumNum;
        a.sumDen += c.sumDen;
        a.reporting += c.reporting;
        a.reportingExpected += c.reportingExpected;
        a.expected += c.expected;
        if (c.largest !== null && (a.largest === null || c.largest > a.largest)) a.largest = c.largest;
      }
      if (!input.schoolFilter) own = input.deliveredValues?.get(node.id);
    }
    acc.set(node.id, a);
    const numerator = operand(indicator.numerator, a.sumNum, a.reporting, own?.numerator);
    const denominator = indicator.denominator
      ? operand(indicator.denominator, a.sumDen, a.reporting, own?.denominator)
      : null;
    result.set(node.id, {
      nodeId: node.id,
      numerator,
      denominator,
      value: ratio(numerator, denominator, indicator.factor, hasDen),
      schoolsReporting: a.reporting,
      schoolsExpected: a.expected,
      coverage: a.expected > 0 ? a.reportingExpected / a.expected : null,
      largestSchoolNumerator: finiteOrNull(a.largest),
    });
  }
  return result;
}

export interface GroupDefinition {
  readonly code: string;
  readonly predicate: (school: TreeNode) => boolean;
}

/** One roll-up per group of a group set (public/private, REP/REP+/hors éducation prioritaire…). */
export function rollUpGroups(
  input: Omit<RollupInput, "schoolFilter">,
  groups: readonly GroupDefinition[],
): Map<string, Map<string, NodeAggregate>> {
  return new Map(groups.map((g) => [g.code, rollUp({ ...input, schoolFilter: g.predicate })]));
}

export type RuleComparator = ">" | ">=" | "<" | "<=" | "=" | "!=";

export function compare(value: number, comparator: RuleComparator, threshold: number): boolean {
  switch (comparator) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case "=":
      return value === threshold;
    case "!=":
      return value !== threshold;
  }
}

/** The schools' own values (value of each school node), for "per school, then count". */
export function schoolOwnValues(
  nodes: readonly TreeNode[],
  aggregates: ReadonlyMap<string, NodeAggregate>,
): Map<string, number | null> {
  return new Map(
    nodes.filter((n) => n.kind === "school").map((n) => [n.id, aggregates.get(n.id)?.value ?? null]),
  );
}

/**
 * "Per school, then count" indicators (share of schools above the national value, schools with
 * the ENT activated): each school with a value gets 1 if it meets the rule, else 0, over 1; the
 * roll-up then gives count / schools reporting × factor at every node. Schools without a value
 * are not in the denominator; they lower the coverage.
 */
export function rollUpPerSchoolThenCount(
  input: Omit<RollupInput, "schoolValues" | "indicator" | "deliveredValues">,
  schoolValues: ReadonlyMap<string, number | null>,
  rule: { comparator: RuleComparator; threshold: number },
  factor = 100,
): Map<string, NodeAggregate> {
  const flags = new Map<string, OperandValues>();
  for (const [id, value] of schoolValues) {
    if (value === null || !Number.isFinite(value)) continue;
    flags.set(id, { numerator: compare(value, rule.comparator, rule.threshold) ? 1 : 0, denominator: 1 });
  }
  return rollUp({
    ...input,
    schoolValues: flags,
    indicator: { factor, numerator: "sum", denominator: "sum" },
  });
}
