import { fr } from "@codegouvfr/react-dsfr";
import type { FormIssue } from "../../contracts/collection-forms.ts";
import type { FormSection } from "../../contracts/collection-model.ts";
import type { FormDataElement } from "../../contracts/data-element-model.ts";
import { ItemButtons, ItemIssues, TextInput } from "./EditorInputs.tsx";
import { FieldEditor } from "./FieldEditor.tsx";
import {
  addField,
  addGrid,
  type FormEdit,
  issuesAt,
  issuesWithin,
  moveSection,
  pathId,
  removeSection,
  updateSection,
} from "./form-editor-model.ts";
import { GridEditor } from "./GridEditor.tsx";

/** A section: its title, code and help, then its fields and grids. */
export function SectionEditor({
  section,
  s,
  count,
  issues,
  elements,
  edit,
}: {
  section: FormSection;
  s: number;
  count: number;
  issues: readonly FormIssue[];
  elements: readonly FormDataElement[];
  edit: FormEdit;
}) {
  const path = `sections[${s}]`;
  const at = (p: string) => issuesAt(issues, `${path}.${p}`);
  const id = (p: string) => pathId(`${path}.${p}`);
  const set = (patch: Partial<FormSection>) => edit((f) => updateSection(f, s, patch));
  const own = issuesWithin(issues, path).filter(
    (x) => x.path === path || x.path === `${path}.fields` || x.path === `${path}.grids`,
  );
  const name = `la section « ${section.title || section.code} »`;
  return (
    <section id={pathId(path)} className={fr.cx("fr-mb-6w")} aria-labelledby={`${pathId(path)}-titre`}>
      <h2 id={`${pathId(path)}-titre`} className={fr.cx("fr-h4")}>
        Section {s + 1} : {section.title || "sans titre"}
      </h2>
      <ItemIssues messages={own.map((x) => x.message)} />
      <TextInput
        id={id("title")}
        label="Titre de la section"
        value={section.title}
        errors={at("title")}
        onChange={(v) => set({ title: v })}
      />
      <TextInput
        id={id("code")}
        label="Code de la section"
        value={section.code}
        errors={at("code")}
        onChange={(v) => set({ code: v })}
      />
      <TextInput
        id={id("help")}
        label="Aide de la section (facultatif)"
        multiline
        value={section.help ?? ""}
        errors={at("help")}
        onChange={(v) => set({ help: v })}
      />
      {section.fields.map((field, i) => (
        <FieldEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: codes change as they are typed (a code key would remount the item and lose the focus); the position is the item
          key={`${s}-f-${i}`}
          field={field}
          s={s}
          i={i}
          count={section.fields.length}
          issues={issues}
          elements={elements}
          edit={edit}
        />
      ))}
      {section.grids.map((grid, g) => (
        <GridEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: codes change as they are typed (a code key would remount the item and lose the focus); the position is the item
          key={`${s}-g-${g}`}
          grid={grid}
          s={s}
          g={g}
          issues={issues}
          elements={elements}
          edit={edit}
        />
      ))}
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--sm")}>
        <li>
          <button
            type="button"
            className={fr.cx("fr-btn", "fr-btn--secondary")}
            onClick={() => edit((f) => addField(f, s))}
          >
            Ajouter un champ<span className="fr-sr-only"> à {name}</span>
          </button>
        </li>
        <li>
          <button
            type="button"
            className={fr.cx("fr-btn", "fr-btn--secondary")}
            onClick={() => edit((f) => addGrid(f, s))}
          >
            Ajouter une grille<span className="fr-sr-only"> à {name}</span>
          </button>
        </li>
      </ul>
      <ItemButtons
        name={name}
        {...(s > 0 ? { onUp: () => edit((f) => moveSection(f, s, -1)) } : {})}
        {...(s < count - 1 ? { onDown: () => edit((f) => moveSection(f, s, 1)) } : {})}
        onRemove={() => edit((f) => removeSection(f, s))}
      />
    </section>
  );
}
