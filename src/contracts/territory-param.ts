import { z } from "zod";
import { type NodeLevel, nodeKey, readNodeKey } from "./territory-tree.ts";

/**
 * The `territory` parameter of every route, read by the one reader of the tree (`readNodeKey`):
 * `FR`, `nation:FR`, `level:code` or a code that names one territory, given to the handler as
 * its canonical key (`nation:FR`, `academy:04`). A key it cannot read, or a code that names
 * several nodes, is a 400 whose French message says why and lists the candidates.
 */
export function territoryParam(allowed: readonly NodeLevel[]) {
  return z
    .string()
    .max(80)
    .transform((raw, ctx) => {
      const reading = readNodeKey(raw, allowed);
      if (reading.ok) return nodeKey(reading.node);
      ctx.addIssue({ code: "custom", message: reading.reason, input: raw });
      return z.NEVER;
    });
}
