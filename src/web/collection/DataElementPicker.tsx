import { fr } from "@codegouvfr/react-dsfr";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FieldType } from "../../contracts/collection-model.ts";
import {
  type FormDataElement,
  LOCAL_VALUE_TYPE_LABELS,
  type LocalValueType,
} from "../../contracts/data-element-model.ts";
import { SelectInput, TextInput } from "./EditorInputs.tsx";
import { codeFromLabel, parseNumberInput } from "./form-editor-model.ts";
import { formKeys, formsApi } from "./forms-api.ts";

/**
 * The data element a field or a grid feeds: one of the catalogue's (school level, of a type the
 * field's answers fit), none (kept with the response), or a new one the DANE defines here.
 */

const FITS: Readonly<Record<FieldType, readonly LocalValueType[]>> = {
  integer: ["integer", "number"],
  number: ["number"],
  percentage: ["percentage"],
  yes_no: ["boolean"],
  option: [],
  text: [],
};

const VALUE_TYPE_OF: Partial<Record<FieldType, LocalValueType>> = {
  integer: "integer",
  number: "number",
  percentage: "percentage",
  yes_no: "boolean",
};

const NONE = "";
const NEW = "__nouveau__";

export function DataElementPicker({
  id,
  type,
  value,
  label,
  elements,
  errors,
  onChange,
}: {
  id: string;
  type: FieldType;
  value: string | undefined;
  label: string;
  elements: readonly FormDataElement[];
  errors: readonly string[];
  onChange: (code: string | undefined, element?: FormDataElement) => void;
}) {
  const [creating, setCreating] = useState(false);
  const fitting = elements.filter((e) => FITS[type].includes(e.valueType) || e.code === value);
  if (FITS[type].length === 0) return null;
  const options = [
    { value: NONE, label: "Aucun (réponse gardée avec le formulaire)" },
    ...fitting.map((e) => ({
      value: e.code,
      label: `${e.name} (${e.code}${e.origin === "local" ? ", défini par une DANE" : ""})`,
    })),
    { value: NEW, label: "Nouvel élément de donnée…" },
  ];
  return (
    <>
      <SelectInput
        id={id}
        label="Élément de donnée alimenté"
        hint="Les réponses deviennent des valeurs de l'observatoire pour cet élément."
        value={creating ? NEW : (value ?? NONE)}
        options={options}
        errors={errors}
        onChange={(v) => {
          setCreating(v === NEW);
          if (v !== NEW)
            onChange(
              v === NONE ? undefined : v,
              elements.find((e) => e.code === v),
            );
        }}
      />
      {creating ? (
        <NewElement
          id={`${id}-nouveau`}
          valueType={VALUE_TYPE_OF[type] ?? "integer"}
          suggested={label}
          onCreated={(e) => {
            setCreating(false);
            onChange(e.code, e);
          }}
          onCancel={() => setCreating(false)}
        />
      ) : null}
    </>
  );
}

function NewElement({
  id,
  valueType,
  suggested,
  onCreated,
  onCancel,
}: {
  id: string;
  valueType: LocalValueType;
  suggested: string;
  onCreated: (e: FormDataElement) => void;
  onCancel: () => void;
}) {
  const client = useQueryClient();
  const [name, setName] = useState(suggested);
  const [code, setCode] = useState(codeFromLabel(suggested));
  const [unit, setUnit] = useState("");
  const [max, setMax] = useState("");
  const define = useMutation({
    mutationFn: () =>
      formsApi.defineDataElement({
        code,
        name,
        valueType,
        ...(unit.trim() ? { unit: unit.trim() } : {}),
        ...(parseNumberInput(max) !== undefined ? { max: parseNumberInput(max) } : {}),
      }),
    onSuccess: async (e) => {
      await client.invalidateQueries({ queryKey: formKeys.dataElements });
      onCreated(e);
    },
  });
  return (
    <fieldset
      className={fr.cx("fr-fieldset", "fr-p-2w", "fr-mb-2w")}
      style={{ border: "1px solid var(--border-default-grey)" }}
    >
      <legend className={fr.cx("fr-fieldset__legend")}>
        Nouvel élément de donnée ({LOCAL_VALUE_TYPE_LABELS[valueType]})
      </legend>
      <TextInput id={`${id}-nom`} label="Nom" value={name} onChange={setName} />
      <TextInput
        id={`${id}-code`}
        label="Code"
        hint="Minuscules, chiffres et « _ » ; distinct des codes du catalogue."
        value={code}
        onChange={setCode}
      />
      <TextInput id={`${id}-unite`} label="Unité (facultatif)" value={unit} onChange={setUnit} />
      {valueType !== "boolean" ? (
        <TextInput id={`${id}-max`} label="Maximum (facultatif)" value={max} onChange={setMax} />
      ) : null}
      {define.isError ? (
        <div className={fr.cx("fr-alert", "fr-alert--error", "fr-alert--sm", "fr-mb-2w")} role="alert">
          <p>{define.error.message}</p>
        </div>
      ) : null}
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--sm")}>
        <li>
          <button
            type="button"
            className={fr.cx("fr-btn")}
            disabled={define.isPending}
            onClick={() => define.mutate()}
          >
            Définir l'élément
          </button>
        </li>
        <li>
          <button type="button" className={fr.cx("fr-btn", "fr-btn--secondary")} onClick={onCancel}>
            Annuler
          </button>
        </li>
      </ul>
    </fieldset>
  );
}
