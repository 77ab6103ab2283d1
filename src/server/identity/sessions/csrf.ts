/**
 * Cross-site request forgery. Two defences, both on every state-changing request (POST, PUT,
 * PATCH, DELETE) under /api:
 * - the browser's own provenance headers: `Sec-Fetch-Site` must not be `cross-site` or
 *   `same-site`, and `Origin`, when sent, must be Vigie's (the public address, or the address the
 *   request was sent to — the Host header, which a page of another site cannot set);
 * - with a session, the `x-csrf-token` header must equal the session's token (checked by the
 *   identity plugin), which a page of another site cannot read.
 * Requests with neither header (curl, scripts, the tests' `inject`) are not browsers' and pass
 * the first check: a forged request always comes from a browser, and browsers send `Origin` on
 * every POST and `Sec-Fetch-Site` on every request.
 */

export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface ProvenanceHeaders {
  origin?: string | undefined;
  secFetchSite?: string | undefined;
  /** `Host` as received (or forwarded, behind a trusted proxy). */
  host?: string | undefined;
  /** "http" or "https", as Fastify sees the request. */
  protocol: string;
}

/** Null when the request may come from Vigie's own pages; otherwise why not, in French. */
export function crossOriginProblem(headers: ProvenanceHeaders, publicUrl: string): string | null {
  const site = headers.secFetchSite?.toLowerCase();
  if (site === "cross-site" || site === "same-site") {
    return "Requête refusée : elle vient d'un autre site que Vigie.";
  }
  if (headers.origin === undefined) return null;
  const allowed = new Set([new URL(publicUrl).origin]);
  if (headers.host) allowed.add(`${headers.protocol}://${headers.host}`.toLowerCase());
  // `Origin: null` (sandboxed frames, some redirects) is never Vigie's.
  if (!allowed.has(headers.origin.toLowerCase())) {
    return "Requête refusée : elle vient d'une autre origine que Vigie.";
  }
  return null;
}
