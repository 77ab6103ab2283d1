import { fr } from "@codegouvfr/react-dsfr";
import { useId } from "react";
import { JOB_STATE_LABELS } from "../../contracts/job-states.ts";
import type { JobDto } from "../../contracts/jobs.ts";

const integer = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

/** The share done, 0 to 100 (null while the total is unknown). */
export function jobPercent(job: Pick<JobDto, "progress">): number | null {
  const progress = job.progress;
  if (!progress || progress.total <= 0) return null;
  return Math.min(100, Math.max(0, Math.round((progress.done / progress.total) * 100)));
}

/** « 1 200 sur 3 000 (40 %) », or the state alone while nothing was counted. */
export function jobProgressText(job: Pick<JobDto, "progress" | "state">, unit?: string): string {
  const percent = jobPercent(job);
  if (percent === null || !job.progress) return JOB_STATE_LABELS[job.state];
  const of = `${integer.format(job.progress.done)} sur ${integer.format(job.progress.total)}${unit ? ` ${unit}` : ""}`;
  return `${of} (${percent} %)`;
}

/**
 * A job's progress bar (DSFR colours): `role="progressbar"` with its value for assistive
 * technologies, and the step in words in a polite live region. Without a count yet (queued, or
 * a step that does not count), the bar is indeterminate (no `aria-valuenow`).
 */
export function JobProgress({ job, label, unit }: { job: JobDto; label: string; unit?: string }) {
  const labelId = useId();
  const percent = jobPercent(job);
  const text = jobProgressText(job, unit);
  return (
    <div className={fr.cx("fr-my-3w")}>
      <p id={labelId} className={fr.cx("fr-mb-1w", "fr-text--bold")}>
        {label}
      </p>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null ? { "aria-valuenow": percent } : {})}
        aria-valuetext={text}
        style={{
          height: "0.75rem",
          borderRadius: "0.375rem",
          overflow: "hidden",
          backgroundColor: "var(--background-contrast-grey)",
          boxShadow: "inset 0 0 0 1px var(--border-default-grey)",
        }}
      >
        <div
          style={{
            height: "100%",
            width: `${percent ?? 0}%`,
            backgroundColor: "var(--background-action-high-blue-france)",
            transition: "width 0.3s ease-out",
          }}
        />
      </div>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mt-1w", "fr-mb-0")}>
        {job.progress?.message ? `${job.progress.message} : ` : ""}
        {text}
        {retryText(job)}
      </p>
    </div>
  );
}

/** After a transient failure: which attempt runs, or is coming. */
function retryText(job: JobDto): string {
  if (job.state === "running" && job.attempts > 1)
    return ` · tentative ${job.attempts} sur ${job.maxAttempts}`;
  if (job.state === "queued" && job.attempts > 0)
    return ` · nouvelle tentative à venir (${job.attempts + 1} sur ${job.maxAttempts})`;
  return "";
}
