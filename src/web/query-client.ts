import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api.ts";
import { identityKeys } from "./identity/identity-api.ts";

/**
 * A 401 means the session ended on the server (idle, expired, logged out elsewhere): ask again who
 * is signed in, so that pages show « connexion requise » instead of a list of errors.
 */
function onUnauthenticated(error: unknown, key?: readonly unknown[]) {
  if (error instanceof ApiError && error.status === 401 && key?.[0] !== identityKeys.session[0]) {
    void queryClient.invalidateQueries({ queryKey: identityKeys.session });
  }
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onUnauthenticated(error, query.queryKey) }),
  mutationCache: new MutationCache({ onError: (error) => onUnauthenticated(error) }),
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      refetchOnWindowFocus: false,
      // A 4xx answer will not change by asking again.
      retry: (failureCount, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
    },
  },
});
