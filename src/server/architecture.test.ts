import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SERVER_MODULES } from "./modules.ts";
import { MIGRATIONS, MODULE_MIGRATIONS } from "./schema.ts";

/**
 * The module rules of docs/architecture.md, checked on the `import … from` statements of every
 * `src/**\/*.ts(x)` file (tests included):
 * - a file reaches another server module only through its door, `src/server/<module>/index.ts`;
 * - a module imports only the modules declared before it in `modules.ts`;
 * - there is no cycle between modules;
 * - contracts import neither the server nor the web app, the web app reaches the server only
 *   through contracts and the HTTP API, the server never imports the web app.
 * A `declare module "…"` (a module adding its tables to platform's `Database`) counts as an import.
 * Then the schema rules: each module's migrations create and change only the tables its
 * `schema.ts` declares, and the released migration names stay in place.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const EXCLUDED_FILES: ReadonlySet<string> = new Set<string>();

/** Imports that break a rule today, each with the work that removes it. */
const KNOWN_EXCEPTIONS: readonly { from: string; to: string; why: string }[] = [];

type Zone =
  | { kind: "module"; name: string }
  | { kind: "server-root" | "contracts" | "web" | "cli" | "other" };

interface Edge {
  from: string;
  to: string;
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

const STATIC_IMPORT = /(?:^|[\s;])(?:import|export)\s[^;'"`]*?\sfrom\s*["']([^"']+)["']/g;
const BARE_IMPORT = /(?:^|[\s;])import\s*["']([^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
const MODULE_AUGMENTATION = /\bdeclare\s+module\s+["']([^"']+)["']/g;

/** The relative specifiers of a source text (package imports are not the rules' business). */
function relativeSpecifiers(text: string): string[] {
  return [STATIC_IMPORT, BARE_IMPORT, DYNAMIC_IMPORT, MODULE_AUGMENTATION]
    .flatMap((re) => [...text.matchAll(re)].map((m) => m[1] ?? ""))
    .filter((s) => s.startsWith("."));
}

/** The project files a source file imports, relative to the repository root. */
function importsOf(file: string): string[] {
  return relativeSpecifiers(fs.readFileSync(file, "utf8")).map((s) =>
    path
      .relative(ROOT, path.resolve(path.dirname(file), s))
      .split(path.sep)
      .join("/"),
  );
}

function zoneOf(file: string): Zone {
  const parts = file.split("/");
  if (file === "src/cli.ts") return { kind: "cli" };
  if (parts[1] === "contracts") return { kind: "contracts" };
  if (parts[1] === "web") return { kind: "web" };
  if (parts[1] === "server") {
    return parts.length > 3 ? { kind: "module", name: parts[2] ?? "" } : { kind: "server-root" };
  }
  return { kind: "other" };
}

const moduleOf = (file: string): string | null => {
  const zone = zoneOf(file);
  return zone.kind === "module" ? zone.name : null;
};

const rank = (module: string): number => (SERVER_MODULES as readonly string[]).indexOf(module);
const isException = (e: Edge) => KNOWN_EXCEPTIONS.some((x) => x.from === e.from && x.to === e.to);

const files = listSources(path.join(ROOT, "src"))
  .map((f) => path.relative(ROOT, f).split(path.sep).join("/"))
  .filter((f) => !EXCLUDED_FILES.has(f));
const edges: Edge[] = files.flatMap((from) => importsOf(path.join(ROOT, from)).map((to) => ({ from, to })));
const checked = edges.filter((e) => !isException(e));

const show = (list: readonly Edge[]) => list.map((e) => `${e.from} → ${e.to}`);

/** Imports of another module's file that is not its door. */
function doorViolations(list: readonly Edge[]): Edge[] {
  return list.filter((e) => {
    const target = moduleOf(e.to);
    return target !== null && target !== moduleOf(e.from) && e.to !== `src/server/${target}/index.ts`;
  });
}

/** Imports of a module that is not declared before the importing one. */
function orderViolations(list: readonly Edge[]): Edge[] {
  return list.filter((e) => {
    const source = moduleOf(e.from);
    const target = moduleOf(e.to);
    return source !== null && target !== null && source !== target && rank(target) >= rank(source);
  });
}

function moduleGraph(list: readonly Edge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const e of list) {
    const source = moduleOf(e.from);
    const target = moduleOf(e.to);
    if (source === null || target === null || source === target) continue;
    graph.set(source, (graph.get(source) ?? new Set()).add(target));
  }
  return graph;
}

/** Imports across contracts, the web app, the modules, app.ts and cli.ts that break the rules. */
function zoneViolations(list: readonly Edge[]): Edge[] {
  return list.filter((e) => {
    const source = zoneOf(e.from).kind;
    const target = zoneOf(e.to).kind;
    if (target === "cli") return true;
    // Contracts are shared by both sides: they import nothing but contracts.
    if (source === "contracts") return target !== "contracts";
    // The web app sees the server only through contracts and the HTTP API.
    if (source === "web") return target !== "web" && target !== "contracts";
    if (target === "web") return true;
    // Modules never import app.ts nor modules.ts: app.ts wires them, not the reverse.
    return source === "module" && target === "server-root";
  });
}

/** One cycle of the module graph as `a → b → … → a`, or null. */
function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return null;
}

describe("module architecture", () => {
  it("reads the imports it checks", () => {
    expect(edges.some((e) => e.from === "src/server/app.ts")).toBe(true);
    expect(importsOf(path.join(ROOT, "src/server/architecture.test.ts"))).toContain("src/server/modules.ts");
  });

  it("declares every server folder in modules.ts, each with its door index.ts", () => {
    const folders = fs
      .readdirSync(path.join(ROOT, "src/server"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(folders).toEqual([...SERVER_MODULES].sort());
    const withoutDoor = SERVER_MODULES.filter(
      (m) => !fs.existsSync(path.join(ROOT, "src/server", m, "index.ts")),
    );
    expect(withoutDoor).toEqual([]);
  });

  it("reaches another module only through its door", () => {
    expect(show(doorViolations(checked))).toEqual([]);
  });

  it("imports only the modules declared before it (platform ← territories ← identity ← …)", () => {
    expect(show(orderViolations(checked))).toEqual([]);
  });

  it("has no cycle between modules", () => {
    expect(findCycle(moduleGraph(checked))).toBeNull();
  });

  it("keeps contracts, the web app and the server apart", () => {
    expect(show(zoneViolations(checked))).toEqual([]);
  });

  it("lists only exceptions that still occur (remove an exception once its import is gone)", () => {
    const stale = KNOWN_EXCEPTIONS.filter((x) => !edges.some((e) => e.from === x.from && e.to === x.to));
    expect(stale.map((x) => x.why)).toEqual([]);
  });
});

describe("module architecture checks", () => {
  it("reads static, type-only, re-export, side-effect and dynamic imports over several lines", () => {
    const text = [
      'import fs from "node:fs";',
      'import {\n  a,\n  type B,\n} from "../platform/index.ts";',
      'import type { C } from "./c.ts";',
      'export { d } from "../territories/d.ts";',
      'export * from "./e.ts";',
      'import "./side-effect.ts";',
      'const f = await import("../roadmaps/f.ts");',
      'declare module "../platform/index.ts" {',
    ].join("\n");
    expect(relativeSpecifiers(text).sort()).toEqual(
      [
        "../platform/index.ts",
        "./c.ts",
        "../territories/d.ts",
        "./e.ts",
        "./side-effect.ts",
        "../roadmaps/f.ts",
        "../platform/index.ts",
      ].sort(),
    );
  });

  it("finds an import past a door, against the order, a cycle and a web import of the server", () => {
    const internal = {
      from: "src/server/indicators/engine.ts",
      to: "src/server/territories/school-store.ts",
    };
    const door = { from: "src/server/indicators/engine.ts", to: "src/server/territories/index.ts" };
    const upward = { from: "src/server/territories/import-routes.ts", to: "src/server/indicators/index.ts" };
    const fromWeb = { from: "src/web/indicators/map/map-data.ts", to: "src/server/territories/index.ts" };
    const fromApp = { from: "src/server/app.ts", to: "src/server/roadmaps/routes.ts" };
    expect(doorViolations([internal, door, upward, fromApp])).toEqual([internal, fromApp]);
    expect(orderViolations([internal, door, upward])).toEqual([upward]);
    expect(findCycle(moduleGraph([door, upward]))).toEqual(["indicators", "territories", "indicators"]);
    expect(findCycle(moduleGraph([door]))).toBeNull();
    expect(zoneViolations([door, fromWeb, fromApp])).toEqual([fromWeb]);
  });
});

/**
 * The migration names released so far, in order: `vigie_migration` stores them, so an existing
 * base re-runs nothing only if each keeps its name (whichever module holds it now).
 */
const RELEASED_MIGRATIONS = [
  "0001-territories",
  "0002-import-upload",
  "0003-identity",
  "0004-proconnect-login",
  "0005-indicators",
  "0006-roadmaps",
  "0007-jobs",
  "0008-school-search",
];

/**
 * Tables a module's migration created for another module before modules owned their schema
 * (a released migration is never edited): 0003 made platform's audit log and settings.
 */
const HISTORICAL_TABLES: readonly { migration: string; table: string }[] = [
  { migration: "0003-identity", table: "audit_event" },
  { migration: "0003-identity", table: "app_setting" },
];

/** The tables a module's `schema.ts` declares in `Database` (platform's own, or merged into it). */
function declaredTables(module: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, "src/server", module, "schema.ts"), "utf8");
  const start = text.search(/^\s*(?:export\s+)?interface Database \{/m);
  if (start === -1) return [];
  const open = text.indexOf("{", start);
  let depth = 0;
  let end = open;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) {
      end = i;
      break;
    }
  }
  return [...text.slice(open + 1, end).matchAll(/^\s*(\w+)\s*:/gm)].map((m) => m[1] ?? "");
}

/** The tables a migration file creates, alters or indexes (`references` to others are allowed). */
function touchedTables(text: string): string[] {
  const sqlText = text.replace(/^\s*\/\/.*$/gm, "");
  const patterns = [
    /\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?(\w+)/gi,
    /\balter\s+table\s+(?:if\s+exists\s+)?(\w+)/gi,
    /\bcreate\s+(?:unique\s+)?index\s+(?:if\s+not\s+exists\s+)?\w+\s+on\s+(\w+)/gi,
  ];
  return [...new Set(patterns.flatMap((re) => [...sqlText.matchAll(re)].map((m) => m[1] ?? "")))];
}

function migrationFiles(module: string): string[] {
  const dir = path.join(ROOT, "src/server", module, "migrations");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}-.*\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ""));
}

describe("schema per module", () => {
  const owners = new Map<string, string>();
  for (const module of SERVER_MODULES) for (const t of declaredTables(module)) owners.set(t, module);

  it("lists every module's migration files in its door, and each module once", () => {
    for (const module of SERVER_MODULES) {
      expect([module, Object.keys(MODULE_MIGRATIONS[module]).sort()]).toEqual([
        module,
        migrationFiles(module).sort(),
      ]);
    }
  });

  it("keeps the released migration names, in their order, before any new one", () => {
    expect(Object.keys(MIGRATIONS).slice(0, RELEASED_MIGRATIONS.length)).toEqual(RELEASED_MIGRATIONS);
  });

  it("declares each table in one module's schema.ts", () => {
    const all = SERVER_MODULES.flatMap((m) => declaredTables(m));
    expect(all.filter((t, i) => all.indexOf(t) !== i)).toEqual([]);
    expect(declaredTables("territories")).toContain("school");
    expect(declaredTables("platform")).toContain("job");
  });

  it("creates and changes only the module's own tables in its migrations", () => {
    const foreign: string[] = [];
    for (const module of SERVER_MODULES) {
      for (const name of migrationFiles(module)) {
        const text = fs.readFileSync(
          path.join(ROOT, "src/server", module, "migrations", `${name}.ts`),
          "utf8",
        );
        for (const table of touchedTables(text)) {
          if (owners.get(table) === module) continue;
          if (HISTORICAL_TABLES.some((h) => h.migration === name && h.table === table)) continue;
          foreign.push(`${module}/${name} → ${table} (${owners.get(table) ?? "déclarée nulle part"})`);
        }
      }
    }
    expect(foreign).toEqual([]);
  });

  it("finds the tables a migration touches", () => {
    const text = [
      "create table a (id int references b(id));",
      "-- create table ignored_in_sql_comments_is_fine_too",
      "  create index a_idx on a(id);",
      "alter table c add column x int;",
      "// create table d",
    ].join("\n");
    expect(touchedTables(text).sort()).toEqual(["a", "c", "ignored_in_sql_comments_is_fine_too"]);
  });
});
