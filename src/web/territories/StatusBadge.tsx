import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { PriorityEducation, SchoolStatus } from "../../contracts/territories.ts";

/** Open / closed, as a badge whose text carries the meaning (never the colour alone). */
export function StatusBadge({ status }: { status: SchoolStatus }) {
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
