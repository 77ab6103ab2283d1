import { fr } from "@codegouvfr/react-dsfr";
import { useEffect, useRef } from "react";

export interface FieldError {
  /** The `id` of the field the error is about. */
  fieldId: string;
  /** The field's label, as people see it. */
  label: string;
  message: string;
}

/**
 * The list of a form's errors above it (RGAA 11.10, 11.11): a title, each error linking to its
 * field, and the focus moved here after a failed submit so that screen readers announce it.
 * `focusKey` changes at each submit, to move the focus again even when the errors are the same.
 */
export function FormErrorSummary({
  title = "Le formulaire contient des erreurs",
  errors,
  general,
  focusKey,
}: {
  title?: string;
  errors: readonly FieldError[];
  /** An error not tied to one field (the server's answer). */
  general?: string | null;
  focusKey: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const visible = errors.length > 0 || Boolean(general);
  useEffect(() => {
    if (visible && focusKey > 0) ref.current?.focus();
  }, [visible, focusKey]);
  if (!visible) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      className={fr.cx("fr-alert", "fr-alert--error", "fr-mb-4w")}
      role="alert"
      aria-labelledby="erreurs-formulaire-titre"
    >
      <h2 id="erreurs-formulaire-titre" className={fr.cx("fr-alert__title")}>
        {title}
      </h2>
      {general ? <p>{general}</p> : null}
      {errors.length > 0 ? (
        <ul>
          {errors.map((error) => (
            <li key={error.fieldId}>
              <a
                href={`#${error.fieldId}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(error.fieldId)?.focus();
                }}
              >
                {error.label} : {error.message}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
