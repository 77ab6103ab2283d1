import fc from "fast-check";
import type { OperandValues, TreeNode } from "./rollup.ts";

/**
 * Random territory trees for property tests: territories hang under an earlier territory,
 * schools under any territory; some schools have no data.
 */
export interface RandomCase {
  nodes: TreeNode[];
  schoolValues: Map<string, OperandValues>;
}

export const randomCase = (options: { maxTerritories?: number; maxSchools?: number } = {}) =>
  fc
    .record({
      territoryParents: fc.array(fc.nat(), { minLength: 0, maxLength: (options.maxTerritories ?? 8) - 1 }),
      schools: fc.array(
        fc.record({
          parent: fc.nat(),
          sector: fc.constantFrom("public", "private"),
          values: fc.option(
            fc.record({
              numerator: fc.integer({ min: 0, max: 500 }),
              denominator: fc.integer({ min: 0, max: 900 }),
            }),
            { freq: 4 },
          ),
        }),
        { minLength: 0, maxLength: options.maxSchools ?? 40 },
      ),
    })
    .map(({ territoryParents, schools }): RandomCase => {
      const nodes: TreeNode[] = [{ id: "t0", parentId: null, kind: "territory" }];
      territoryParents.forEach((p, i) => {
        nodes.push({ id: `t${i + 1}`, parentId: `t${p % (i + 1)}`, kind: "territory" });
      });
      const territories = territoryParents.length + 1;
      const schoolValues = new Map<string, OperandValues>();
      schools.forEach((s, i) => {
        nodes.push({
          id: `s${i}`,
          parentId: `t${s.parent % territories}`,
          kind: "school",
          attributes: { sector: s.sector },
        });
        if (s.values) schoolValues.set(`s${i}`, s.values);
      });
      return { nodes, schoolValues };
    });

/** Schools under a node (the node itself if it is a school). */
export function schoolsUnder(nodes: readonly TreeNode[], nodeId: string): TreeNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return nodes.filter((n) => {
    if (n.kind !== "school") return false;
    for (let cur: TreeNode | undefined = n; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
      if (cur.id === nodeId) return true;
    }
    return false;
  });
}
