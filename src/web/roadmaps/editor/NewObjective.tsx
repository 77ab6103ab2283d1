import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useState } from "react";
import type { Comparator, Objective } from "../../../contracts/roadmaps.ts";
import type { TerritoryRef } from "../../../contracts/territories.ts";
import type { FieldError } from "../../ui/FormErrorSummary.tsx";
import { territoryText } from "../labels.ts";
import {
  checkNewObjective,
  clearedNewObjective,
  type NewObjectiveForm,
  newObjectiveForm,
  territoryKey,
} from "./editor-model.ts";

const COMPARATOR_LABELS: Record<Comparator, string> = {
  ">=": "≥ au moins la cible",
  "<=": "≤ au plus la cible",
  "=": "= exactement la cible",
};

/** « Ajouter un objectif » under one indicator: checked here, then added to the document in memory. */
export function NewObjective({
  prefix,
  indicatorLabel,
  territories,
  defaultUnit,
  errors,
  onErrors,
  onAdd,
}: {
  prefix: string;
  indicatorLabel: string;
  territories: readonly TerritoryRef[];
  defaultUnit: string;
  errors: readonly FieldError[];
  onErrors: (errors: FieldError[]) => void;
  onAdd: (values: Omit<Objective, "id" | "indicatorCode">) => void;
}) {
  const [form, setForm] = useState<NewObjectiveForm>(() => newObjectiveForm(territories));
  const set = (key: keyof NewObjectiveForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const input = (
    suffix: string,
    text: string,
    value: string,
    onChange: (v: string) => void,
    hint?: string,
    decimal = false,
  ) => {
    const error = errors.find((e) => e.fieldId === `${prefix}-${suffix}`);
    return (
      <Input
        label={text}
        {...(hint ? { hintText: hint } : {})}
        nativeInputProps={{
          id: `${prefix}-${suffix}`,
          value,
          onChange: (e) => onChange(e.target.value),
          inputMode: decimal ? "decimal" : "text",
        }}
        state={error ? "error" : "default"}
        stateRelatedMessage={error?.message ?? ""}
      />
    );
  };

  const add = () => {
    const checked = checkNewObjective(form, { prefix, indicatorLabel, territories, defaultUnit });
    if ("errors" in checked) {
      onErrors(checked.errors);
      return;
    }
    onAdd(checked.values);
    setForm(clearedNewObjective);
  };

  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-pl-4w")}>
      <legend className={fr.cx("fr-fieldset__legend", "fr-text--regular")}>
        Ajouter un objectif à « {indicatorLabel} »
      </legend>
      <div className={fr.cx("fr-fieldset__element")}>
        <Select
          label="Territoire"
          nativeSelectProps={{
            id: `${prefix}-territoire`,
            value: form.territory,
            onChange: (e) => set("territory")(e.target.value),
          }}
        >
          {territories.map((t) => (
            <option key={territoryKey(t)} value={territoryKey(t)}>
              {territoryText(t)}
            </option>
          ))}
        </Select>
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input("echeance", "Échéance", form.period, set("period"), "2026 ou 2026-2027")}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input(
          "base",
          "Base (facultatif)",
          form.baseline,
          set("baseline"),
          "Vide : la plus ancienne valeur connue",
          true,
        )}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input(
          "annee-base",
          "Année de la base (facultatif)",
          form.baselinePeriod,
          set("baselinePeriod"),
          "2024 ou 2024-2025",
        )}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input("cible", "Cible", form.target, set("target"), "Valeur à atteindre", true)}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        <Select
          label="Comparateur"
          nativeSelectProps={{
            id: `${prefix}-comparateur`,
            value: form.comparator,
            onChange: (e) => set("comparator")(e.target.value),
          }}
        >
          {(Object.keys(COMPARATOR_LABELS) as Comparator[]).map((c) => (
            <option key={c} value={c}>
              {COMPARATOR_LABELS[c]}
            </option>
          ))}
        </Select>
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input("unite", "Unité", form.unit ?? defaultUnit, set("unit"), "Celle de l'indicateur")}
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <Button type="button" priority="secondary" size="small" iconId="fr-icon-add-line" onClick={add}>
          Ajouter l'objectif
          <span className={fr.cx("fr-sr-only")}> à « {indicatorLabel} »</span>
        </Button>
      </div>
    </fieldset>
  );
}
