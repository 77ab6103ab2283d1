import type { FastifySchemaCompiler, FastifySchemaValidationError } from "fastify";
import { z } from "zod";

/**
 * Request validation with Zod, in French. Same as fastify-type-provider-zod's validatorCompiler,
 * but Zod's own messages (« Too small: expected number to be >=1 », « Invalid string: must match
 * pattern… ») are replaced by French ones; a message written in a schema stays as it is.
 */

const TYPE_NAMES: Record<string, string> = {
  string: "du texte",
  number: "un nombre",
  int: "un nombre entier",
  bigint: "un nombre entier",
  boolean: "vrai ou faux (true, false)",
  array: "une liste",
  object: "un objet",
  date: "une date",
  null: "null",
};

const FORMAT_NAMES: Record<string, string> = {
  email: "une adresse électronique",
  url: "une adresse web (URL)",
  uuid: "un identifiant UUID",
  guid: "un identifiant UUID",
  datetime: "une date et heure ISO 8601 (2025-09-01T08:00:00Z)",
  date: "une date AAAA-MM-JJ",
  time: "une heure HH:MM:SS",
  duration: "une durée ISO 8601",
  ipv4: "une adresse IPv4",
  ipv6: "une adresse IPv6",
  base64: "du base64",
  base64url: "du base64url",
  jwt: "un jeton JWT",
};

function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${Number(n) > 1 ? "s" : ""}`;
}

function sizeLimit(origin: string, bound: number | bigint, atLeast: boolean, inclusive: boolean): string {
  // Strict bounds on lengths do not occur in our schemas (`min`/`max` are inclusive); said plainly anyway.
  const n = inclusive ? bound : atLeast ? Number(bound) + 1 : Number(bound) - 1;
  const unit = origin === "string" ? "caractère" : origin === "file" ? "octet" : "élément";
  if (atLeast && origin === "string" && Number(n) === 1) return "ne doit pas être vide";
  if (atLeast && Number(n) === 1) return "doit contenir au moins un élément";
  return `doit contenir ${atLeast ? "au moins" : "au plus"} ${plural(n, unit)}`;
}

function valueLimit(bound: unknown, atLeast: boolean, inclusive: boolean): string {
  const shown = bound instanceof Date ? bound.toISOString().slice(0, 10) : String(bound);
  const relation = atLeast ? "supérieur" : "inférieur";
  return `doit être ${relation}${inclusive ? " ou égal" : ""} à ${shown}`;
}

function shownValue(value: unknown): string {
  return typeof value === "string" ? `« ${value} »` : String(value);
}

/** The French message of a Zod issue that has no message of its own (per-parse error map). */
export function frenchIssueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "valeur obligatoire manquante";
      return `doit être ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "too_small":
      return ["string", "array", "set", "file"].includes(issue.origin)
        ? sizeLimit(issue.origin, issue.minimum, true, issue.inclusive ?? true)
        : valueLimit(issue.minimum, true, issue.inclusive ?? true);
    case "too_big":
      return ["string", "array", "set", "file"].includes(issue.origin)
        ? sizeLimit(issue.origin, issue.maximum, false, issue.inclusive ?? true)
        : valueLimit(issue.maximum, false, issue.inclusive ?? true);
    case "invalid_format":
      if (issue.format === "starts_with") return `doit commencer par « ${String(issue.prefix)} »`;
      if (issue.format === "ends_with") return `doit se terminer par « ${String(issue.suffix)} »`;
      if (issue.format === "includes") return `doit contenir « ${String(issue.includes)} »`;
      if (issue.format === "regex") return "format invalide";
      return `doit être ${FORMAT_NAMES[issue.format] ?? `au format ${issue.format}`}`;
    case "not_multiple_of":
      return `doit être un multiple de ${String(issue.divisor)}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `doit valoir ${shownValue(issue.values[0])}`
        : `valeur non reconnue (valeurs possibles : ${issue.values.map(shownValue).join(", ")})`;
    case "unrecognized_keys":
      return issue.keys.length === 1
        ? `champ inconnu : « ${issue.keys[0]} »`
        : `champs inconnus : ${issue.keys.map((k) => `« ${k} »`).join(", ")}`;
    case "invalid_key":
      return "clé invalide";
    case "invalid_element":
      return "élément invalide";
    default:
      return "valeur invalide";
  }
}

/**
 * Marks the validation errors this compiler produces. The same symbol as fastify-type-provider-zod
 * (registered with Symbol.for), so that its `hasZodFastifySchemaValidationErrors` recognizes them.
 */
const ZOD_VALIDATION_ERROR = Symbol.for("ZodFastifySchemaValidationError");

function validationErrors(error: z.ZodError): FastifySchemaValidationError[] {
  return error.issues.map((issue) => ({
    [ZOD_VALIDATION_ERROR]: true,
    keyword: issue.code,
    instancePath: `/${issue.path.map(String).join("/")}`,
    schemaPath: `#/${issue.path.map(String).join("/")}/${issue.code}`,
    message: issue.message,
    params: {},
  }));
}

/** A route's schema, or Fastify's wrapping of it (`{ properties }`, seen for headers). */
function zodSchema(schema: unknown): z.ZodType {
  if (schema instanceof z.ZodType) return schema;
  const wrapped = (schema as { properties?: unknown } | null)?.properties;
  if (wrapped instanceof z.ZodType) return wrapped;
  throw new Error(`Schéma de validation qui n'est pas un schéma Zod : ${JSON.stringify(schema)}`);
}

export const frenchValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => {
  const zod = zodSchema(schema);
  return (data) => {
    const result = zod.safeParse(data, { error: frenchIssueMessage });
    if (result.success) return { value: result.data };
    return { error: validationErrors(result.error) };
  };
};

/** The field a validation error names: `values.0.value`, or « requête » for the whole of it. */
export function validationField(instancePath: string): string {
  return instancePath.replace(/^\//, "").replaceAll("/", ".") || "requête";
}
