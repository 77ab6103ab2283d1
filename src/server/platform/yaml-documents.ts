import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { frenchIssueMessage } from "./validation.ts";

/**
 * YAML documents written by people (roadmap templates, the indicator catalogue, roadmaps
 * imported from a file): parsed with line and column, validated with a Zod schema, every error
 * in French naming the file, the path in the document and the reason.
 */

// The same French messages as the API's validation (« valeur obligatoire manquante », « doit être
// un nombre »): one vocabulary for a field whether it comes in a request or in a file.
const frenchErrors = frenchIssueMessage;

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Fichier « ${file} », chemin « ${path || "(racine)"} » : ${reason}`);
    this.name = "TemplateError";
  }
}

/** Several problems at once, so that an author fixes a file in one pass. */
export class TemplateErrors extends Error {
  constructor(readonly errors: TemplateError[]) {
    super(
      `${errors.length} erreur${errors.length > 1 ? "s" : ""} dans les modèles :\n${errors.map((e) => `- ${e.message}`).join("\n")}`,
    );
    this.name = "TemplateErrors";
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const where = `ligne ${pos.line}, colonne ${pos.col}`;
    throw new TemplateErrors([
      new TemplateError(file, where, `YAML invalide (${first.code}) : ${first.message.split("\n")[0]}`),
    ]);
  }
  try {
    return doc.toJS({ maxAliasCount: 10_000 });
  } catch (error) {
    // The yaml library stops an alias bomb (« billion laughs ») with a ReferenceError: a refusal
    // of the file, in French, not a crash.
    if (!(error instanceof ReferenceError)) throw error;
    throw new TemplateErrors([
      new TemplateError(
        file,
        "",
        "YAML refusé : ses alias (*nom) se répètent trop (plus de 10 000 expansions)",
      ),
    ]);
  }
}

export function validateDocument<T>(schema: z.ZodType<T>, data: unknown, file: string): T {
  const result = schema.safeParse(data, { error: frenchErrors });
  if (result.success) return result.data;
  throw new TemplateErrors(
    result.error.issues.map((issue) => new TemplateError(file, formatPath(issue.path), issue.message)),
  );
}
