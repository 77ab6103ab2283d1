import type { FastifyRequest } from "fastify";
import { proconnectLogoutRedirect } from "../proconnect/proconnect-routes.ts";
import type { EndedSession } from "./sessions.ts";

/**
 * Where to send the browser after a logout, or null to stay in Vigie. A ProConnect session must
 * also end at the provider (`end_session_endpoint`, with the ID token as `id_token_hint`): the
 * ProConnect module computes that URL; the logout route (`auth-routes.ts`) answers `{ redirectTo }`
 * when there is one.
 */
export async function logoutRedirectFor(session: EndedSession, req: FastifyRequest): Promise<string | null> {
  if (session.authMethod !== "proconnect" || !session.idToken) return null;
  return proconnectLogoutRedirect(session, req);
}
