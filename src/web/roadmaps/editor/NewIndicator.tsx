import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useState } from "react";
import type { FieldError } from "../../ui/FormErrorSummary.tsx";
import { type CatalogueItem, checkNewIndicator } from "./editor-model.ts";

/** « Ajouter un indicateur » to an operational field, chosen from the catalogue. */
export function NewIndicator({
  prefix,
  fieldLabel,
  catalogue,
  catalogueError,
  existing,
  errors,
  onErrors,
  onAdd,
}: {
  prefix: string;
  fieldLabel: string;
  catalogue: readonly CatalogueItem[];
  catalogueError: boolean;
  existing: readonly string[];
  errors: readonly FieldError[];
  onErrors: (errors: FieldError[]) => void;
  onAdd: (item: CatalogueItem, label: string) => void;
}) {
  const [form, setForm] = useState<{ code: string; label: string | null }>({ code: "", label: null });
  const item = catalogue.find((i) => i.code === form.code);
  const labelValue = form.label ?? item?.name ?? "";
  const codeError = errors.find((e) => e.fieldId === `${prefix}-code`);
  const labelError = errors.find((e) => e.fieldId === `${prefix}-libelle`);
  const add = () => {
    const checked = checkNewIndicator(form, { prefix, fieldLabel, catalogue, existing });
    if ("errors" in checked) {
      onErrors(checked.errors);
      return;
    }
    onAdd(checked.item, checked.label);
    setForm({ code: "", label: null });
  };
  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-pl-4w")}>
      <legend className={fr.cx("fr-fieldset__legend", "fr-text--regular")}>
        Ajouter un indicateur au champ opérationnel {fieldLabel}
      </legend>
      {catalogueError ? (
        <p className={fr.cx("fr-fieldset__element", "fr-error-text")}>
          Le catalogue des indicateurs n'a pas pu être chargé : rechargez la page.
        </p>
      ) : null}
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        <Select
          label="Indicateur du catalogue"
          nativeSelectProps={{
            id: `${prefix}-code`,
            value: form.code,
            onChange: (e) => {
              const code = e.target.value;
              setForm((f) => ({ ...f, code }));
            },
          }}
          state={codeError ? "error" : "default"}
          stateRelatedMessage={codeError?.message ?? ""}
        >
          <option value="">Choisir un indicateur</option>
          {catalogue.map((i) => (
            <option key={i.code} value={i.code}>
              {i.name} ({i.unit})
            </option>
          ))}
        </Select>
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        <Input
          label="Libellé dans la feuille de route"
          hintText="Par défaut, le nom de l'indicateur"
          nativeInputProps={{
            id: `${prefix}-libelle`,
            value: labelValue,
            onChange: (e) => {
              const label = e.target.value;
              setForm((f) => ({ ...f, label }));
            },
          }}
          state={labelError ? "error" : "default"}
          stateRelatedMessage={labelError?.message ?? ""}
        />
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <Button type="button" priority="secondary" size="small" iconId="fr-icon-add-line" onClick={add}>
          Ajouter l'indicateur
          <span className={fr.cx("fr-sr-only")}> au champ {fieldLabel}</span>
        </Button>
      </div>
    </fieldset>
  );
}
