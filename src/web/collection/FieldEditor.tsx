import { fr } from "@codegouvfr/react-dsfr";
import type { FormIssue } from "../../contracts/collection-forms.ts";
import {
  FIELD_TYPE_LABELS,
  FIELD_TYPES,
  type FieldType,
  type FormField,
} from "../../contracts/collection-model.ts";
import type { FormDataElement } from "../../contracts/data-element-model.ts";
import { DataElementPicker } from "./DataElementPicker.tsx";
import { Checkbox, ItemButtons, NumberInput, SelectInput, TextInput } from "./EditorInputs.tsx";
import {
  codeFromLabel,
  type FormEdit,
  issuesAt,
  moveField,
  parseNumberInput,
  pathId,
  removeField,
  updateField,
} from "./form-editor-model.ts";
import { ItemFieldset } from "./ItemFieldset.tsx";

/** One field of a section: label, code, type, unit, bounds, required, « je ne sais pas », help, element, choices. */

// The properties with a control below the frame's own (ItemFieldset shows the label and the code).
const CONTROLS = ["type", "unit", "min", "max", "help", "dataElement", "options"];
const TYPE_OPTIONS = FIELD_TYPES.map((t) => ({ value: t, label: FIELD_TYPE_LABELS[t] }));

export function FieldEditor({
  field,
  s,
  i,
  count,
  issues,
  elements,
  edit,
}: {
  field: FormField;
  s: number;
  i: number;
  count: number;
  issues: readonly FormIssue[];
  elements: readonly FormDataElement[];
  edit: FormEdit;
}) {
  const path = `sections[${s}].fields[${i}]`;
  const at = (p: string) => issuesAt(issues, `${path}.${p}`);
  const id = (p: string) => pathId(`${path}.${p}`);
  const set = (patch: Partial<FormField>) => edit((f) => updateField(f, s, i, patch));
  const name = `le champ « ${field.label || field.code} »`;
  const numeric = field.type === "integer" || field.type === "number" || field.type === "percentage";
  return (
    <ItemFieldset
      path={path}
      legend={`Champ ${i + 1} : ${field.label || "sans libellé"}`}
      issues={issues}
      controls={CONTROLS}
      label={{ value: field.label, onChange: (v) => set({ label: v }) }}
      code={{
        label: "Code",
        hint: "Le nom du champ dans les règles (minuscules, chiffres, « _ »).",
        value: field.code,
        onChange: (v) => set({ code: v }),
      }}
    >
      <SelectInput<FieldType>
        id={id("type")}
        label="Type de réponse"
        value={field.type}
        options={TYPE_OPTIONS}
        errors={at("type")}
        onChange={(v) => set({ type: v })}
      />
      {numeric ? (
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <TextInput
              id={id("unit")}
              label="Unité"
              value={field.unit ?? ""}
              errors={at("unit")}
              onChange={(v) => set({ unit: v })}
            />
          </div>
          <div className={fr.cx("fr-col-6", "fr-col-md-4")}>
            <NumberInput
              id={id("min")}
              label="Minimum"
              value={field.min}
              errors={at("min")}
              onChange={(v) => set({ min: parseNumberInput(v) })}
            />
          </div>
          <div className={fr.cx("fr-col-6", "fr-col-md-4")}>
            <NumberInput
              id={id("max")}
              label="Maximum"
              value={field.max}
              errors={at("max")}
              onChange={(v) => set({ max: parseNumberInput(v) })}
            />
          </div>
        </div>
      ) : null}
      {field.type === "option" ? (
        <TextInput
          id={id("options")}
          label="Choix"
          hint="Un choix par ligne."
          multiline
          value={(field.options ?? []).map((o) => o.label).join("\n")}
          errors={at("options")}
          onChange={(v) =>
            set({
              options: v
                .split("\n")
                .map((label, n) => ({ code: codeFromLabel(label) || `choix_${n + 1}`, label })),
            })
          }
        />
      ) : null}
      <Checkbox
        id={id("required")}
        label="Réponse obligatoire"
        checked={field.required}
        onChange={(v) => set({ required: v })}
      />
      <Checkbox
        id={id("allowUnknown")}
        label="« Je ne sais pas » accepté"
        checked={field.allowUnknown}
        onChange={(v) => set({ allowUnknown: v })}
      />
      <TextInput
        id={id("help")}
        label="Aide (facultatif)"
        multiline
        value={field.help ?? ""}
        errors={at("help")}
        onChange={(v) => set({ help: v })}
      />
      <DataElementPicker
        id={id("dataElement")}
        type={field.type}
        value={field.dataElement}
        label={field.label}
        elements={elements}
        errors={at("dataElement")}
        onChange={(code, element) =>
          set({
            dataElement: code,
            ...(element?.unit && !field.unit ? { unit: element.unit } : {}),
            ...(element && element.max !== null && field.max === undefined ? { max: element.max } : {}),
          })
        }
      />
      <ItemButtons
        name={name}
        {...(i > 0 ? { onUp: () => edit((f) => moveField(f, s, i, -1)) } : {})}
        {...(i < count - 1 ? { onDown: () => edit((f) => moveField(f, s, i, 1)) } : {})}
        onRemove={() => edit((f) => removeField(f, s, i))}
      />
    </ItemFieldset>
  );
}
