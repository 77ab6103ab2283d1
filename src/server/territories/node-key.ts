import type { Kysely } from "kysely";
import { FORMER_ACADEMY_CODES } from "../../contracts/referential.ts";
import {
  LEVEL_LABELS,
  NODE_LEVELS,
  type NodeAddress,
  type NodeLevel,
  nodeKey,
  readNodeKey,
} from "../../contracts/territory-tree.ts";
import { AppError, type Database } from "../platform/index.ts";
import { normalizeDepartmentCode } from "./codes.ts";
import { type ResolvedNode, resolveNode } from "./tree.ts";

/**
 * The one place where a territory key written by a person or a program (`academy:16`, `FR`,
 * `nation:FR`, `department:033`, `school:0330001A`, a code alone that names one node) becomes a
 * node of the tree, or a refusal: every route and command that takes a territory calls it, so
 * that the same key is read, and refused, the same way everywhere.
 */

export interface NodeKeyRule {
  /** The parameter, field or option that carried the key, named first in the refusal (`territory`). */
  field: string;
  /** The levels accepted here; a key of another level is refused (default: every level, schools included). */
  levels?: readonly NodeLevel[];
  /**
   * A well-formed key that names no node: `invalid` (400 `invalid_territory`, the default) for
   * what a request or a command asks to write; `notFound` (404 `not_found`) for the page of a node.
   */
  unknown?: "invalid" | "notFound";
}

/** The node a key names, with its name and ancestors; throws an `AppError` in French otherwise. */
export async function resolveNodeKey(
  db: Kysely<Database>,
  key: string,
  rule: NodeKeyRule,
): Promise<ResolvedNode> {
  const reading = readNodeKey(key, rule.levels ?? NODE_LEVELS);
  // No `details`: the message names the field and lists the candidates of an ambiguous code, and
  // some routes' error schemas take only a list of problems there (roadmaps).
  if (!reading.ok) throw new AppError(400, "invalid_territory", `${rule.field} : ${reading.reason}`);
  const node = canonical(reading.node);
  const resolved = await resolveNode(db, node);
  if (resolved) return resolved;
  const message = `${rule.field} : ${unknownReason(key.trim(), node)}`;
  if (rule.unknown === "notFound") throw new AppError(404, "not_found", message);
  throw new AppError(400, "invalid_territory", message);
}

/** A département's code as the referential writes it: `department:033` is `department:33`, `2a` is `2A`. */
function canonical(node: NodeAddress): NodeAddress {
  if (node.level !== "department") return node;
  return { level: node.level, code: normalizeDepartmentCode(node.code) ?? node.code };
}

/** Why a well-formed key names nothing, in French: an académie merged away, or no such node. */
function unknownReason(written: string, node: NodeAddress): string {
  const shown = written.length > 40 ? `${written.slice(0, 40)}…` : written;
  const current = node.level === "academy" ? FORMER_ACADEMY_CODES[node.code] : undefined;
  if (current)
    return `Territoire « ${shown} » inconnu : l'académie ${node.code} n'existe plus, écrivez ${nodeKey({ level: "academy", code: current })}`;
  if (node.level === "school")
    return `Établissement « ${shown} » inconnu : pas d'établissement d'UAI ${node.code.toUpperCase()} dans Vigie (importez l'Annuaire de l'éducation)`;
  const noun = LEVEL_LABELS[node.level].noun;
  const none = /^[aeiouéè]/i.test(noun) ? `d'${noun}` : `de ${noun}`;
  // Districts and schools come from the Annuaire: a missing one may just not be imported yet.
  const hint = node.level === "district" ? " dans Vigie (importez l'Annuaire de l'éducation)" : "";
  return `Territoire « ${shown} » inconnu : pas ${none} de code ${node.code}${hint}`;
}
