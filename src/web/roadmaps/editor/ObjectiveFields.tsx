import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { Objective } from "../../../contracts/roadmaps.ts";
import type { FieldError } from "../../ui/FormErrorSummary.tsx";
import { objectivePeriod, territoryText } from "../labels.ts";
import type { ObjectiveDraft } from "./editor-model.ts";

/** One stored objective: its baseline, target and deadline as typed, and « Retirer l'objectif ». */
export function ObjectiveFields({
  objective,
  label,
  draft,
  onChange,
  onRemove,
  errors,
}: {
  objective: Objective;
  label: string;
  draft: ObjectiveDraft | undefined;
  onChange: (key: keyof ObjectiveDraft, value: string) => void;
  onRemove: () => void;
  errors: readonly FieldError[];
}) {
  if (!draft) return null;
  const field = (key: keyof ObjectiveDraft, suffix: string, text: string, hint?: string) => {
    const id = `${objective.id}-${suffix}`;
    const error = errors.find((e) => e.fieldId === id);
    return (
      <Input
        label={text}
        {...(hint ? { hintText: hint } : {})}
        nativeInputProps={{
          id,
          value: draft[key],
          onChange: (e) => onChange(key, e.target.value),
          inputMode: key === "baseline" || key === "target" ? "decimal" : "text",
        }}
        state={error ? "error" : "default"}
        stateRelatedMessage={error?.message ?? ""}
      />
    );
  };
  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-pl-4w")}>
      <legend className={fr.cx("fr-fieldset__legend", "fr-text--regular")}>
        Objectif : {label}, {territoryText(objective.territory)} ({objective.unit})
      </legend>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {field("baseline", "base", "Base", "Vide : la plus ancienne valeur connue")}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {field("baselinePeriod", "annee-base", "Année de la base", "2024 ou 2024-2025")}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {field(
          "target",
          "cible",
          objective.mode === "increase_percent" ? "Hausse visée (%)" : "Cible",
          objective.mode === "increase_percent" ? "Par rapport à la base" : "Valeur à atteindre",
        )}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {field("period", "echeance", "Échéance", "2026 ou 2026-2027")}
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <Button
          type="button"
          priority="tertiary"
          size="small"
          iconId="fr-icon-delete-line"
          onClick={onRemove}
        >
          Retirer l'objectif
          <span className={fr.cx("fr-sr-only")}>
            {" "}
            {label}, {territoryText(objective.territory)}, {objectivePeriod(objective)}
          </span>
        </Button>
      </div>
    </fieldset>
  );
}
