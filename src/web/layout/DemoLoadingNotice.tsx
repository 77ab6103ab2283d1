import { fr } from "@codegouvfr/react-dsfr";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { HealthDemo, HealthDto } from "../../contracts/health.ts";
import type { JobDto } from "../../contracts/jobs.ts";
import { request } from "../api.ts";
import { JobProgress } from "../ui/JobProgress.tsx";

export const healthKeys = { all: ["health"] as const };

const loading = (demo: HealthDemo | null | undefined) =>
  demo?.state === "queued" || demo?.state === "running";

/** The demo's job as the progress bar reads it. */
function asJob(demo: HealthDemo): JobDto {
  return {
    id: "demo",
    type: "platform.demo",
    state: demo.state,
    progress: demo.progress,
    result: null,
    error: demo.error,
    attempts: 0,
    maxAttempts: 0,
    createdAt: "",
    startedAt: null,
    finishedAt: null,
  };
}

/**
 * On a new instance the demo territory loads after the server has started: every page says so,
 * with the steps, and the figures are fetched again once it is done.
 */
export function DemoLoadingNotice() {
  const queryClient = useQueryClient();
  const health = useQuery({
    queryKey: healthKeys.all,
    queryFn: () => request<HealthDto>("/api/health"),
    refetchInterval: (query) => (loading(query.state.data?.demo) ? 2_000 : false),
  });
  const demo = health.data?.demo;
  const wasLoading = useRef(false);
  useEffect(() => {
    if (loading(demo)) wasLoading.current = true;
    else if (wasLoading.current && demo?.state === "done") {
      wasLoading.current = false;
      // Pages fetched while the base was filling show their figures now.
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== healthKeys.all[0] });
    }
  }, [demo, queryClient]);
  if (!demo) return null;
  if (demo.state === "failed")
    return (
      <div className={fr.cx("fr-alert", "fr-alert--error", "fr-alert--sm", "fr-my-2w")}>
        <p>Le chargement des données de démonstration a échoué : {demo.error ?? "raison inconnue"}.</p>
      </div>
    );
  if (!loading(demo)) return null;
  return (
    <section
      className={fr.cx("fr-alert", "fr-alert--info", "fr-my-2w")}
      aria-label="Chargement de la démonstration"
    >
      <h2 className={fr.cx("fr-alert__title")}>Les données de démonstration se chargent</h2>
      <p>
        Vigie vient de démarrer sur une base neuve : le territoire de démonstration et ses indicateurs sont en
        cours de chargement. Les chiffres apparaîtront sur les pages au fil du chargement (quelques minutes).
      </p>
      <JobProgress job={asJob(demo)} label="Étapes du chargement" unit="étapes" />
    </section>
  );
}
