import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { SessionState } from "../../contracts/identity.ts";
import { setCsrfToken } from "../api.ts";
import { identityApi, identityKeys } from "./identity-api.ts";

async function fetchSession(): Promise<SessionState> {
  const state = await identityApi.session();
  // Every POST, PUT and DELETE of the app sends it back (api.ts).
  setCsrfToken(state.csrfToken);
  return state;
}

/**
 * The signed-in user (null when anonymous) from `GET /api/v1/auth/session`, shared by every
 * component through TanStack Query. `isPending` is true until the first answer: pages that need a
 * user wait for it rather than flashing « connectez-vous ».
 */
export function useSession() {
  const query = useQuery({ queryKey: identityKeys.session, queryFn: fetchSession, staleTime: 5 * 60_000 });
  return {
    user: query.data?.user ?? null,
    isPending: query.isPending,
    error: query.error,
  };
}

/** After a login (or a password chosen from a link): the new session, and fresh data for everything else. */
export function useSessionChanged() {
  const queryClient = useQueryClient();
  return useCallback(
    async (state: SessionState) => {
      setCsrfToken(state.csrfToken);
      // Pages cached for the previous person (or for nobody) must not show through.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== identityKeys.session[0] });
      queryClient.setQueryData(identityKeys.session, state);
    },
    [queryClient],
  );
}

/**
 * Logs out: the session ends on the server; a ProConnect session continues its logout at the
 * provider (full-page redirect), a local one comes back to the home page.
 */
export function useLogout() {
  const sessionChanged = useSessionChanged();
  return useCallback(
    async (navigate: (to: string) => void) => {
      const answer = await identityApi.logout().catch(() => undefined);
      if (answer?.redirectTo) {
        window.location.assign(answer.redirectTo);
        return;
      }
      await sessionChanged({ user: null, csrfToken: null });
      navigate("/");
    },
    [sessionChanged],
  );
}
