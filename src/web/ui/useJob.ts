import { useQuery } from "@tanstack/react-query";
import { isJobFinished } from "../../contracts/job-states.ts";
import type { JobDto } from "../../contracts/jobs.ts";
import { request } from "../api.ts";

/** How often a job still queued or running is read again. */
export const JOB_POLL_MS = 500;

export const jobKeys = {
  all: ["jobs"] as const,
  one: (id: string) => ["jobs", id] as const,
};

export function fetchJob(id: string): Promise<JobDto> {
  return request<JobDto>(`/api/v1/jobs/${encodeURIComponent(id)}`);
}

/**
 * Follows a job started by the signed-in user (`GET /api/v1/jobs/{id}`): read every
 * `JOB_POLL_MS` while it is queued or running, no more once it ended. No id, no request.
 */
export function useJob(id: string | null | undefined) {
  return useQuery({
    queryKey: jobKeys.one(id ?? ""),
    queryFn: () => fetchJob(id as string),
    enabled: Boolean(id),
    staleTime: 0,
    refetchInterval: (query) => {
      const job = query.state.data;
      return job && isJobFinished(job.state) ? false : JOB_POLL_MS;
    },
  });
}
