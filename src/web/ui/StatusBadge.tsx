import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { NodeRollup, ObjectiveStatusDto } from "../../contracts/roadmaps-api.ts";
import type { PriorityEducation, SchoolStatus } from "../../contracts/territories.ts";
import { formatShare, OBJECTIVE_STATUS_TEXT } from "../roadmaps/labels.ts";

/** Status badges and bars shared by the pages: a school's status, an objective's status, a roll-up. */

const SEVERITY = {
  reached: "success",
  on_track: "info",
  late: "error",
  no_data: undefined,
} as const;

/** The status of an objective or a node, in words (the colour only repeats them). */
export function ObjectiveStatusBadge({ status }: { status: ObjectiveStatusDto | null }) {
  if (status === null)
    return (
      <Badge as="span" small noIcon>
        Sans objectif chiffré
      </Badge>
    );
  const severity = SEVERITY[status];
  return (
    <Badge as="span" small {...(severity ? { severity } : { noIcon: true })}>
      {OBJECTIVE_STATUS_TEXT[status]}
    </Badge>
  );
}

/**
 * A progress bar with its value written beside it (native <progress>, named by `label`, so that
 * assistive technologies read it as a progress bar with its value).
 */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = formatShare(value);
  return (
    <span className="vigie-progress">
      <progress value={Math.round(value * 100)} max={100} aria-label={label}>
        {percent}
      </progress>
      <span className={fr.cx("fr-text--sm", "fr-ml-1w")} aria-hidden="true">
        {percent}
      </span>
    </span>
  );
}

/** Counts under a node: « 3 objectifs : 1 atteint, 1 en bonne voie, 1 en retard », with a bar of the reached share. */
export function RollupSummary({ rollup, label }: { rollup: NodeRollup; label: string }) {
  if (rollup.total === 0) return <ObjectiveStatusBadge status={null} />;
  const parts = (["reached", "on_track", "late", "no_data"] as const)
    .filter((s) => rollup.counts[s] > 0)
    .map((s) => `${rollup.counts[s]} ${OBJECTIVE_STATUS_TEXT[s].toLowerCase()}`);
  return (
    <span className="vigie-rollup">
      <ObjectiveStatusBadge status={rollup.status} />{" "}
      <span className={fr.cx("fr-text--sm")}>
        {rollup.total} objectif{rollup.total > 1 ? "s" : ""} : {parts.join(", ")}
      </span>{" "}
      <ProgressBar value={rollup.reachedShare ?? 0} label={`${label} : part des objectifs atteints`} />
    </span>
  );
}

/** A school open / closed, as a badge whose text carries the meaning (never the colour alone). */
export function SchoolStatusBadge({ status }: { status: SchoolStatus }) {
  return status === "open" ? (
    <Badge as="span" severity="success" small>
      Ouvert
    </Badge>
  ) : (
    <Badge as="span" severity="error" small>
      Fermé
    </Badge>
  );
}

export function PriorityEducationBadge({ value }: { value: PriorityEducation | null }) {
  if (value === null) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="fr-sr-only">Hors éducation prioritaire</span>
      </>
    );
  }
  return (
    <Badge as="span" severity="new" small noIcon>
      {value}
    </Badge>
  );
}
