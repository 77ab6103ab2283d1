import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  childLevelOf,
  isAbove,
  LEVEL_LABELS,
  NATION,
  NATION_KEY,
  NODE_LEVELS,
  type NodeAddress,
  nodeKey,
  parentLevelOf,
  parseNodeKey,
  parseTerritoryKey,
  TERRITORY_LEVELS,
} from "./territory-tree.ts";

/** Any well-formed node: the nation is FR, other codes are non-empty and trimmed. */
const anyNode: fc.Arbitrary<NodeAddress> = fc.constantFrom(...NODE_LEVELS).chain((level) =>
  level === "nation"
    ? fc.constant<NodeAddress>({ level, code: "FR" })
    : fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((code) => code.trim() === code && code !== "")
        .map((code): NodeAddress => ({ level, code })),
);

describe("node keys", () => {
  it("read back what they write, at every level: parse(format(x)) = x", () => {
    fc.assert(
      fc.property(anyNode, (node) => {
        expect(parseNodeKey(nodeKey(node))).toEqual(node);
      }),
    );
  });

  it("write back what they read: format(parse(k)) = k for a well-formed key", () => {
    fc.assert(
      fc.property(anyNode, (node) => {
        const key = nodeKey(node);
        const parsed = parseNodeKey(key);
        expect(parsed && nodeKey(parsed)).toBe(key);
      }),
    );
  });

  it("cover every level", () => {
    for (const level of NODE_LEVELS) {
      const node = { level, code: level === "nation" ? "FR" : "04" };
      expect(parseNodeKey(nodeKey(node))).toEqual(node);
    }
  });

  it("have one spelling for the nation: FR alone is read as nation:FR", () => {
    for (const raw of ["FR", "fr", " FR ", "nation:FR", "nation:fr"]) {
      const node = parseNodeKey(raw);
      expect(node, raw).toEqual({ level: "nation", code: "FR" });
      expect(node && nodeKey(node)).toBe(NATION_KEY);
    }
    expect(nodeKey(NATION)).toBe(NATION_KEY);
    expect(parseNodeKey("nation:33")).toBeNull();
  });

  it("refuse malformed keys", () => {
    for (const raw of ["", "x", ":16", "academy:", "academy: ", "planet:3", "Academy:04", "04"]) {
      expect(parseNodeKey(raw), raw).toBeNull();
    }
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const node = parseNodeKey(raw);
        if (node) expect(NODE_LEVELS).toContain(node.level);
        if (node) expect(node.code).not.toBe("");
      }),
    );
  });

  it("keep the code as written, trimmed, with the first colon as separator", () => {
    expect(parseNodeKey(" district : C-033-a:b ")).toEqual({ level: "district", code: "C-033-a:b" });
    expect(parseNodeKey("school:0330001a")).toEqual({ level: "school", code: "0330001a" });
  });

  it("limit territory keys to territories", () => {
    expect(parseTerritoryKey("academy:04")).toEqual({ level: "academy", code: "04" });
    expect(parseTerritoryKey("FR")).toEqual({ level: "nation", code: "FR" });
    expect(parseTerritoryKey("school:0330001A")).toBeNull();
  });
});

describe("levels", () => {
  it("go from the nation down to the school, one step at a time", () => {
    expect(NODE_LEVELS).toEqual([...TERRITORY_LEVELS, "school"]);
    for (const [i, level] of NODE_LEVELS.entries()) {
      expect(childLevelOf(level)).toBe(NODE_LEVELS[i + 1] ?? null);
      expect(parentLevelOf(level)).toBe(i === 0 ? null : NODE_LEVELS[i - 1]);
      const child = childLevelOf(level);
      if (child) {
        expect(parentLevelOf(child)).toBe(level);
        expect(isAbove(level, child)).toBe(true);
        expect(isAbove(child, level)).toBe(false);
      }
    }
  });

  it("have every label, non-empty", () => {
    expect(Object.keys(LEVEL_LABELS)).toEqual([...NODE_LEVELS]);
    for (const labels of Object.values(LEVEL_LABELS)) {
      for (const text of Object.values(labels)) expect(text.trim()).not.toBe("");
    }
  });
});

describe("one key format in the code", () => {
  /**
   * Files allowed to write `level:code` by hand: the formatter itself, a local authority's scope
   * (`region:75`, not a node of the tree), a stored role that fits no scope (shown as stored) and
   * the audit territory of an upload (a plain pair).
   */
  const ALLOWED = new Set([
    "src/contracts/territory-tree.ts",
    "src/server/identity/permissions.ts",
    "src/server/identity/personal-data/personal-data.ts",
    "src/server/territories/import-routes.ts",
  ]);
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return sources(full);
      return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
    });

  it("builds node keys with nodeKey and names the nation NATION_KEY, nowhere by hand", () => {
    const handMade = /`\$\{[\w.?]*level\}:\$\{[\w.?]*code\}`|["']nation:FR["']/;
    const offenders = sources(path.join(root, "src"))
      .map((f) => path.relative(root, f).split(path.sep).join("/"))
      .filter((f) => !ALLOWED.has(f))
      .filter((f) => handMade.test(fs.readFileSync(path.join(root, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
