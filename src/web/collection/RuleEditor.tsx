import type { FormIssue } from "../../contracts/collection-forms.ts";
import {
  type FormRule,
  MISSING_STRATEGIES,
  type MissingStrategy,
  RULE_OPERATOR_LABELS,
  RULE_OPERATORS,
  type RuleImportance,
  type RuleOperator,
} from "../../contracts/collection-model.ts";
import { ItemButtons, SelectInput, TextInput } from "./EditorInputs.tsx";
import { type FormEdit, issuesAt, pathId, removeRule, updateRule } from "./form-editor-model.ts";
import { ItemFieldset } from "./ItemFieldset.tsx";

/** A validation rule: left side, operator, right side, importance, missing values, message. */

// The properties with a control below the frame's own (ItemFieldset shows the code).
const CONTROLS = ["left", "operator", "right", "importance", "missing", "message"];
const OPERATORS = RULE_OPERATORS.map((o) => ({ value: o, label: RULE_OPERATOR_LABELS[o] }));
const IMPORTANCES: { value: RuleImportance; label: string }[] = [
  { value: "error", label: "Erreur bloquante" },
  { value: "warning", label: "Avertissement" },
];
const MISSING_LABELS: Record<MissingStrategy, string> = {
  skip_if_any_missing: "Ignorer si une valeur manque",
  skip_if_all_missing: "Ignorer si toutes les valeurs manquent",
  never_skip: "Toujours contrôler",
};
const MISSING = MISSING_STRATEGIES.map((m) => ({ value: m, label: MISSING_LABELS[m] }));

export function RuleEditor({
  rule,
  r,
  issues,
  edit,
}: {
  rule: FormRule;
  r: number;
  issues: readonly FormIssue[];
  edit: FormEdit;
}) {
  const path = `rules[${r}]`;
  const at = (p: string) => issuesAt(issues, `${path}.${p}`);
  const id = (p: string) => pathId(`${path}.${p}`);
  const set = (patch: Partial<FormRule>) => edit((f) => updateRule(f, r, patch));
  return (
    <ItemFieldset
      path={path}
      legend={`Règle ${r + 1} : ${rule.code}`}
      issues={issues}
      controls={CONTROLS}
      code={{ label: "Code de la règle", value: rule.code, onChange: (v) => set({ code: v }) }}
    >
      <TextInput
        id={id("left")}
        label="Côté gauche"
        hint="Codes de champs, nombres, + − × /, parenthèses, previous(code) pour l'an dernier."
        value={rule.left}
        errors={at("left")}
        onChange={(v) => set({ left: v })}
      />
      <SelectInput<RuleOperator>
        id={id("operator")}
        label="Opérateur"
        value={rule.operator}
        options={OPERATORS}
        errors={at("operator")}
        onChange={(v) => set({ operator: v })}
      />
      <TextInput
        id={id("right")}
        label="Côté droit"
        value={rule.right}
        errors={at("right")}
        onChange={(v) => set({ right: v })}
      />
      <SelectInput<RuleImportance>
        id={id("importance")}
        label="Importance"
        value={rule.importance}
        options={IMPORTANCES}
        onChange={(v) => set({ importance: v })}
      />
      <SelectInput<MissingStrategy>
        id={id("missing")}
        label="Valeurs manquantes"
        value={rule.missing}
        options={MISSING}
        onChange={(v) => set({ missing: v })}
      />
      <TextInput
        id={id("message")}
        label="Message montré à l'établissement"
        value={rule.message}
        errors={at("message")}
        onChange={(v) => set({ message: v })}
      />
      <ItemButtons name={`la règle « ${rule.code} »`} onRemove={() => edit((f) => removeRule(f, r))} />
    </ItemFieldset>
  );
}
