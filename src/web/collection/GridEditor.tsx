import { fr } from "@codegouvfr/react-dsfr";
import type { FormIssue } from "../../contracts/collection-forms.ts";
import type { FormGrid } from "../../contracts/collection-model.ts";
import type { FormDataElement } from "../../contracts/data-element-model.ts";
import { DataElementPicker } from "./DataElementPicker.tsx";
import { Checkbox, ItemButtons, NumberInput, SelectInput, TextInput } from "./EditorInputs.tsx";
import {
  type Axis,
  addAxisItem,
  type FormEdit,
  issuesAt,
  parseNumberInput,
  pathId,
  removeAxisItem,
  removeGrid,
  updateAxisItem,
  updateGrid,
} from "./form-editor-model.ts";
import { ItemFieldset } from "./ItemFieldset.tsx";

/** A disaggregation grid: rows × columns of one element, a number per cell. */

// The properties with a control below the frame's own (ItemFieldset shows the label and the code).
const CONTROLS = ["type", "unit", "min", "max", "help", "dataElement"];
const AXIS_NAMES: Record<Axis, { plural: string; one: string }> = {
  rows: { plural: "Lignes", one: "ligne" },
  columns: { plural: "Colonnes", one: "colonne" },
};

export function GridEditor({
  grid,
  s,
  g,
  issues,
  elements,
  edit,
}: {
  grid: FormGrid;
  s: number;
  g: number;
  issues: readonly FormIssue[];
  elements: readonly FormDataElement[];
  edit: FormEdit;
}) {
  const path = `sections[${s}].grids[${g}]`;
  const at = (p: string) => issuesAt(issues, `${path}.${p}`);
  const id = (p: string) => pathId(`${path}.${p}`);
  const set = (patch: Partial<FormGrid>) => edit((f) => updateGrid(f, s, g, patch));
  return (
    <ItemFieldset
      path={path}
      legend={`Grille ${g + 1} : ${grid.label || "sans libellé"}`}
      issues={issues}
      controls={CONTROLS}
      label={{ value: grid.label, onChange: (v) => set({ label: v }) }}
      code={{
        label: "Code",
        hint: "Une case se nomme code.ligne.colonne dans les règles.",
        value: grid.code,
        onChange: (v) => set({ code: v }),
      }}
    >
      <SelectInput<FormGrid["type"]>
        id={id("type")}
        label="Type des cases"
        value={grid.type}
        options={[
          { value: "integer", label: "nombre entier" },
          { value: "number", label: "nombre" },
        ]}
        onChange={(v) => set({ type: v })}
      />
      <NumberInput
        id={id("min")}
        label="Minimum"
        value={grid.min}
        errors={at("min")}
        onChange={(v) => set({ min: parseNumberInput(v) })}
      />
      <NumberInput
        id={id("max")}
        label="Maximum"
        value={grid.max}
        errors={at("max")}
        onChange={(v) => set({ max: parseNumberInput(v) })}
      />
      <Checkbox
        id={id("required")}
        label="Cases obligatoires"
        checked={grid.required}
        onChange={(v) => set({ required: v })}
      />
      <DataElementPicker
        id={id("dataElement")}
        type={grid.type}
        value={grid.dataElement}
        label={grid.label}
        elements={elements}
        errors={at("dataElement")}
        onChange={(code) => set({ dataElement: code })}
      />
      {(["rows", "columns"] as const).map((axis) => (
        <fieldset key={axis} className={fr.cx("fr-fieldset")}>
          <legend className={fr.cx("fr-fieldset__legend", "fr-text--sm")}>{AXIS_NAMES[axis].plural}</legend>
          {grid[axis].map((item, a) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: codes change as they are typed (a code key would remount the item and lose the focus); the position is the item
            <div key={`${axis}-${a}`} className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
              <div className={fr.cx("fr-col-12", "fr-col-md-5")}>
                <TextInput
                  id={id(`${axis}-${a}-label`)}
                  label={`Libellé de la ${AXIS_NAMES[axis].one} ${a + 1}`}
                  value={item.label}
                  errors={issuesAt(issues, `${path}.${axis}[${a}].label`)}
                  onChange={(v) => edit((f) => updateAxisItem(f, s, g, axis, a, { label: v }))}
                />
              </div>
              <div className={fr.cx("fr-col-8", "fr-col-md-5")}>
                <TextInput
                  id={id(`${axis}-${a}-code`)}
                  label={`Code de la ${AXIS_NAMES[axis].one} ${a + 1}`}
                  value={item.code}
                  errors={issuesAt(issues, `${path}.${axis}[${a}].code`)}
                  onChange={(v) => edit((f) => updateAxisItem(f, s, g, axis, a, { code: v }))}
                />
              </div>
              <div className={fr.cx("fr-col-4", "fr-col-md-2")}>
                <button
                  type="button"
                  className={fr.cx("fr-btn", "fr-btn--tertiary", "fr-btn--sm", "fr-mt-4w")}
                  disabled={grid[axis].length <= 1}
                  onClick={() => edit((f) => removeAxisItem(f, s, g, axis, a))}
                >
                  Retirer
                  <span className="fr-sr-only">
                    {" "}
                    la {AXIS_NAMES[axis].one} {a + 1}
                  </span>
                </button>
              </div>
            </div>
          ))}
          <button
            type="button"
            className={fr.cx("fr-btn", "fr-btn--secondary", "fr-btn--sm")}
            onClick={() => edit((f) => addAxisItem(f, s, g, axis))}
          >
            Ajouter une {AXIS_NAMES[axis].one}
            <span className="fr-sr-only"> à la grille « {grid.label || grid.code} »</span>
          </button>
        </fieldset>
      ))}
      <ItemButtons
        name={`la grille « ${grid.label || grid.code} »`}
        onRemove={() => edit((f) => removeGrid(f, s, g))}
      />
    </ItemFieldset>
  );
}
