/**
 * The territory tree as both sides name it (docs/territories.md, ADR 0002): nation > région
 * académique > académie > département > district > school. One level type, one key format
 * (`level:code`, the nation is `nation:FR`), one table of French labels per level.
 *
 * Zod-free and without I/O: the web app imports the values of this file, the server's Zod
 * contracts build their enums from it, and the territories module (the tree's owner on the
 * server) re-exports it with the read functions that need the database.
 */

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
