import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { ApiError } from "../api.ts";

/** A polite « loading » message; the region is `aria-busy` while data is on its way. */
export function Loading({ label = "Chargement en cours…" }: { label?: string }) {
  return (
    <div className={fr.cx("fr-my-4w")} aria-busy="true">
      <p role="status" className={fr.cx("fr-text--lg")}>
        <span className={fr.cx("fr-icon-refresh-line", "fr-mr-1w")} aria-hidden="true" />
        {label}
      </p>
    </div>
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Une erreur inattendue est survenue. Réessayez dans quelques instants.";
}

export function ErrorAlert({ error, title = "Le chargement a échoué" }: { error: unknown; title?: string }) {
  return (
    <Alert className={fr.cx("fr-my-4w")} severity="error" title={title} description={errorMessage(error)} />
  );
}
