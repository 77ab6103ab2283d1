import { fr } from "@codegouvfr/react-dsfr";
import type { ReactNode } from "react";
import type { FormIssue } from "../../contracts/collection-forms.ts";
import { ItemIssues, TextInput } from "./EditorInputs.tsx";
import { issuesAt, issuesWithin, pathId } from "./form-editor-model.ts";

/**
 * The frame of one item of the form editor (a field, a grid, a rule): a bordered fieldset at the
 * item's id (where the error summary leads for messages about the item itself), its legend, the
 * server's messages that no control of the item shows, then its label and code boxes; the item's
 * other controls come as children.
 */

/** The item's label box, for the items that have one (a rule has none). */
interface LabelBox {
  value: string;
  onChange: (v: string) => void;
}

/** The item's code box: its label and hint say what the code names in that kind of item. */
interface CodeBox {
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
}

export function ItemFieldset({
  path,
  legend,
  issues,
  controls,
  label,
  code,
  children,
}: {
  path: string;
  legend: string;
  issues: readonly FormIssue[];
  /** The properties the children show a control for: their messages stand under that control. */
  controls: readonly string[];
  label?: LabelBox;
  code: CodeBox;
  children: ReactNode;
}) {
  const shown = [...(label ? ["label"] : []), "code", ...controls];
  const rest = issuesWithin(issues, path).filter((x) => !shown.some((c) => x.path === `${path}.${c}`));
  return (
    <fieldset
      id={pathId(path)}
      className={fr.cx("fr-fieldset", "fr-p-2w", "fr-mb-3w")}
      style={{ border: "1px solid var(--border-default-grey)" }}
    >
      <legend className={fr.cx("fr-fieldset__legend", "fr-text--md")}>{legend}</legend>
      <ItemIssues messages={rest.map((x) => x.message)} />
      {label ? (
        <TextInput
          id={pathId(`${path}.label`)}
          label="Libellé"
          value={label.value}
          errors={issuesAt(issues, `${path}.label`)}
          onChange={label.onChange}
        />
      ) : null}
      <TextInput
        id={pathId(`${path}.code`)}
        label={code.label}
        hint={code.hint}
        value={code.value}
        errors={issuesAt(issues, `${path}.code`)}
        onChange={code.onChange}
      />
      {children}
    </fieldset>
  );
}
