/**
 * The territory tree as both sides name it (docs/territories.md, ADR 0002): nation > région
 * académique > académie > département > district > school. One level type, one key format
 * (`level:code`, the nation is `nation:FR`), one table of French labels per level.
 *
 * Zod-free and without I/O: the web app imports the values of this file, the server's Zod
 * contracts build their enums from it, and the territories module (the tree's owner on the
 * server) re-exports it with the read functions that need the database.
 */

import { ACADEMIC_REGIONS, ACADEMIES, DEPARTMENTS } from "./referential.ts";

/** The levels of a territory, from the widest. */
export const TERRITORY_LEVELS = ["nation", "academicRegion", "academy", "department", "district"] as const;
export type TerritoryLevel = (typeof TERRITORY_LEVELS)[number];

/** The levels of a node of the tree: a territory or a school (code = UAI). */
export const NODE_LEVELS = [...TERRITORY_LEVELS, "school"] as const;
export type NodeLevel = (typeof NODE_LEVELS)[number];

/** A node without its name: what a key says. */
export interface NodeAddress {
  level: NodeLevel;
  code: string;
}

/** A node with its name, as the API answers it. */
export interface NodeRef extends NodeAddress {
  name: string;
}

export const NATION_CODE = "FR";
export const NATION_KEY = "nation:FR";
export const NATION: NodeRef = { level: "nation", code: NATION_CODE, name: "France" };

export function isNodeLevel(value: string): value is NodeLevel {
  return (NODE_LEVELS as readonly string[]).includes(value);
}

export function isTerritoryLevel(value: string): value is TerritoryLevel {
  return (TERRITORY_LEVELS as readonly string[]).includes(value);
}

/** The one spelling of a node: `level:code` (`nation:FR`, `academy:04`, `school:0330001A`). */
export function nodeKey(node: NodeAddress): string {
  return `${node.level}:${node.code}`;
}

/**
 * Reads a key back: `level:code`, or `FR` alone for the nation (accepted as input, never
 * written). The nation's code is upper-cased (`nation:fr` is `nation:FR`); other codes are kept
 * as written, trimmed: whether the node exists is the reader's business. null when malformed.
 */
export function parseNodeKey(raw: string): NodeAddress | null {
  const text = raw.trim();
  if (text.toUpperCase() === NATION_CODE) return { level: "nation", code: NATION_CODE };
  const i = text.indexOf(":");
  if (i <= 0) return null;
  const level = text.slice(0, i).trim();
  const code = text.slice(i + 1).trim();
  if (!isNodeLevel(level) || code === "") return null;
  if (level === "nation") return code.toUpperCase() === NATION_CODE ? { level, code: NATION_CODE } : null;
  return { level, code };
}

export type NodeKeyReading =
  | { ok: true; node: NodeAddress }
  | { ok: false; reason: string; candidates: readonly string[] };

/**
 * The one reader of a territory written by a person or a program, on every route and command:
 * `FR` or `nation:FR`, `level:code`, or a code alone when it names exactly one node of the
 * `allowed` levels — `2A` is a département, `0330001A` a school, `C-033-xxx` a district. Codes of
 * the referential collide (`04` is a région académique, an académie and a département): a code
 * alone that names several nodes is refused with the candidates, in French, and so is one that
 * names none. Existence is checked against the referential for a code alone only; `level:code`
 * is read as written (whether a district or a school exists is the caller's business).
 */
export function readNodeKey(raw: string, allowed: readonly NodeLevel[] = NODE_LEVELS): NodeKeyReading {
  const text = raw.trim();
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  if (text === "")
    return { ok: false, reason: `Territoire manquant : ${expectedForms(allowed)}`, candidates: [] };
  if (text.includes(":") || text.toUpperCase() === NATION_CODE) {
    const node = parseNodeKey(text);
    if (!node)
      return {
        ok: false,
        reason: `Territoire « ${shown} » non reconnu : ${expectedForms(allowed)}`,
        candidates: [],
      };
    if (!allowed.includes(node.level))
      return {
        ok: false,
        reason: `Territoire « ${shown} » refusé ici : ${LEVEL_LABELS[node.level].indefinite} ne convient pas (${allowedLevels(allowed)})`,
        candidates: [],
      };
    return { ok: true, node };
  }
  const candidates = codeCandidates(text).filter((c) => allowed.includes(c.level));
  const [only] = candidates;
  if (only && candidates.length === 1) return { ok: true, node: { level: only.level, code: only.code } };
  if (candidates.length === 0)
    return {
      ok: false,
      reason: `Territoire « ${shown} » non reconnu : ${expectedForms(allowed)}`,
      candidates: [],
    };
  const keys = candidates.map(nodeKey);
  const listed = candidates.map((c) => `${nodeKey(c)} (${LEVEL_LABELS[c.level].noun} ${c.name})`).join(", ");
  return {
    ok: false,
    reason: `Territoire « ${shown} » ambigu : ${listed}. Précisez le niveau, par exemple ${keys[0]}`,
    candidates: keys,
  };
}

/** The nodes a code alone may name, from its shape (school, district) or the referential. */
function codeCandidates(code: string): (NodeAddress & { name: string })[] {
  const upper = code.toUpperCase();
  if (/^\d{7}[A-Z]$/.test(upper)) return [{ level: "school", code: upper, name: upper }];
  if (/^[BC]-\S+$/i.test(code)) return [{ level: "district", code, name: code }];
  return [
    ...ACADEMIC_REGIONS.filter((r) => r.code === upper).map((r) => ({
      level: "academicRegion" as const,
      ...r,
    })),
    ...ACADEMIES.filter((a) => a.code === upper).map((a) => ({
      level: "academy" as const,
      code: a.code,
      name: a.name,
    })),
    ...DEPARTMENTS.filter((d) => d.code === upper).map((d) => ({
      level: "department" as const,
      code: d.code,
      name: d.name,
    })),
  ];
}

const KEY_EXAMPLES: Record<NodeLevel, string> = {
  nation: "FR",
  academicRegion: "academicRegion:75",
  academy: "academy:04",
  department: "department:33",
  district: "district:C-033-xxx",
  school: "school:0330001A",
};

function expectedForms(allowed: readonly NodeLevel[]): string {
  const keyed = allowed.filter((level) => level !== "nation").map((level) => KEY_EXAMPLES[level]);
  const nation = allowed.includes("nation") ? "FR, " : "";
  if (keyed.length === 0) return "écrivez FR";
  return `écrivez ${nation}niveau:code (${keyed.join(", ")}) ou un code qui ne désigne qu'un seul territoire`;
}

function allowedLevels(allowed: readonly NodeLevel[]): string {
  return `attendu : ${allowed.map((level) => LEVEL_LABELS[level].indefinite).join(", ")}`;
}

/** `parseNodeKey` limited to territories (no school). */
export function parseTerritoryKey(raw: string): { level: TerritoryLevel; code: string } | null {
  const node = parseNodeKey(raw);
  return node && isTerritoryLevel(node.level) ? { level: node.level, code: node.code } : null;
}

/** The level just below (a district's children are its schools); null under a school. */
export function childLevelOf(level: NodeLevel): NodeLevel | null {
  return NODE_LEVELS[NODE_LEVELS.indexOf(level) + 1] ?? null;
}

/** The level just above; null above the nation. */
export function parentLevelOf(level: NodeLevel): NodeLevel | null {
  const i = NODE_LEVELS.indexOf(level);
  return i > 0 ? (NODE_LEVELS[i - 1] ?? null) : null;
}

/** Is `upper` strictly above `lower` in the tree? */
export function isAbove(upper: NodeLevel, lower: NodeLevel): boolean {
  return NODE_LEVELS.indexOf(upper) < NODE_LEVELS.indexOf(lower);
}

// ---------------------------------------------------------------------------------------------
// Labels

export interface LevelLabels {
  /** Title case, before a name: « Académie » (« Académie : Bordeaux »); the nation is « France ». */
  title: string;
  /** Lower case, inside a sentence: « académie », « nation ». */
  noun: string;
  /** With its article, in an error: « une académie », « la nation ». */
  indefinite: string;
  /** The nodes of this level, as a section title: « Académies ». */
  plural: string;
}

/** The one table of level labels (French, for people). */
export const LEVEL_LABELS: Readonly<Record<NodeLevel, LevelLabels>> = {
  nation: { title: "France", noun: "nation", indefinite: "la nation", plural: "France" },
  academicRegion: {
    title: "Région académique",
    noun: "région académique",
    indefinite: "une région académique",
    plural: "Régions académiques",
  },
  academy: { title: "Académie", noun: "académie", indefinite: "une académie", plural: "Académies" },
  department: {
    title: "Département",
    noun: "département",
    indefinite: "un département",
    plural: "Départements",
  },
  district: {
    title: "District",
    noun: "district",
    indefinite: "un district",
    plural: "Bassins de formation et circonscriptions",
  },
  school: {
    title: "Établissement",
    noun: "établissement",
    indefinite: "un établissement",
    plural: "Établissements",
  },
};

/** A district is a bassin de formation or a circonscription (its code starts with B- or C-). */
export const DISTRICT_KINDS = ["bassin", "circonscription"] as const;
export type DistrictKind = (typeof DISTRICT_KINDS)[number];

export const DISTRICT_KIND_LABELS: Readonly<Record<DistrictKind, string>> = {
  bassin: "Bassin de formation",
  circonscription: "Circonscription",
};

/** « Académie », « Circonscription »… : the kind of a node, as a French title. */
export function levelTitle(level: NodeLevel, districtKind?: DistrictKind): string {
  if (level === "district" && districtKind) return DISTRICT_KIND_LABELS[districtKind];
  return LEVEL_LABELS[level].title;
}
