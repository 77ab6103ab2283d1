/**
 * The audit log must never hold a password, a token or a secret (docs/identity.md). Writers pass
 * small summaries and are careful, but one careless `{ ...body }` would keep a secret for years:
 * every summary goes through this filter when it is written and again when it is read.
 *
 * A key that names a secret keeps its value only when the value is one of the words that say
 * whether a secret exists (« défini », « aucun »…) or a boolean; anything else becomes « [masqué] ».
 */

const SECRET_KEY =
  /password|passwd|passphrase|^pass$|mot[_ ]?de[_ ]?passe|token|jeton|secret|cookie|authori[sz]ation|nonce|verifier|csrf|hash|^otp$|credential/i;

const HARMLESS_VALUES: ReadonlySet<string> = new Set([
  "défini",
  "aucun",
  "modifié",
  "inchangé",
  "oui",
  "non",
  "masqué",
  "[masqué]",
]);

export const REDACTED = "[masqué]";

/** A copy of `value` with every secret replaced; under a secret key, the whole subtree is secret. */
export function redactSecrets(value: unknown, secret = false, depth = 0): unknown {
  if (value === null || value === undefined || typeof value === "boolean") return value;
  if (typeof value !== "object") {
    if (!secret) return value;
    return typeof value === "string" && HARMLESS_VALUES.has(value) ? value : REDACTED;
  }
  // Summaries are small: anything deeper than this is not a summary, and is not kept.
  if (depth > 8) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, secret, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = redactSecrets(item, secret || SECRET_KEY.test(key), depth + 1);
  }
  return out;
}
