import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * ADR 0004: Zod stays out of the browser. A web file may import values only from contract files
 * that do not load Zod, directly or through the contract files they import; types are free
 * (`import type` is erased).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const contracts = path.join(root, "src/contracts");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

/** The value imports of a file (not `import type`), as written. */
function valueImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)([^;]*?)\s+from\s+"([^"]+)";/gms)) {
    const clause = m[1] ?? "";
    // `import { type A, type B }` loads nothing either.
    const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1];
    if (names?.split(",").every((n) => n.trim() === "" || n.trim().startsWith("type "))) continue;
    out.push(m[2] as string);
  }
  return out;
}

const loadsZod = new Map<string, boolean>();
function contractLoadsZod(file: string): boolean {
  const known = loadsZod.get(file);
  if (known !== undefined) return known;
  loadsZod.set(file, false);
  const imports = valueImports(fs.readFileSync(file, "utf8"));
  const result =
    imports.includes("zod") ||
    imports.filter((i) => i.startsWith("./")).some((i) => contractLoadsZod(path.join(path.dirname(file), i)));
  loadsZod.set(file, result);
  return result;
}

describe("Zod stays out of the browser (ADR 0004)", () => {
  it("web files import only types from contract files that load Zod", () => {
    const offenders: string[] = [];
    for (const file of sources(path.join(root, "src/web"))) {
      for (const spec of valueImports(fs.readFileSync(file, "utf8"))) {
        const target = path.resolve(path.dirname(file), spec);
        if (target.startsWith(contracts) && contractLoadsZod(target))
          offenders.push(`${path.relative(root, file)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
