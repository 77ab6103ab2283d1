import { fr } from "@codegouvfr/react-dsfr";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { Dispatch } from "react";
import type { OperationalField } from "../../../contracts/roadmaps.ts";
import type { TerritoryRef } from "../../../contracts/territories.ts";
import type { FieldError } from "../../ui/FormErrorSummary.tsx";
import { objectiveLabel } from "../labels.ts";
import {
  type CatalogueItem,
  defaultUnitOf,
  type EditorAction,
  type EditorState,
  type FieldPath,
  plainIndicatorCodes,
} from "./editor-model.ts";
import { NewIndicator } from "./NewIndicator.tsx";
import { NewObjective } from "./NewObjective.tsx";
import { ObjectiveFields } from "./ObjectiveFields.tsx";

/**
 * One operational field: its title, each indicator it follows with its objectives and
 * « Ajouter un objectif », then « Ajouter un indicateur ».
 */
export function OperationalFieldEditor({
  field,
  path,
  state,
  dispatch,
  territories,
  catalogue,
  catalogueError,
}: {
  field: OperationalField;
  path: FieldPath;
  state: Pick<EditorState, "drafts" | "errors">;
  dispatch: Dispatch<EditorAction>;
  territories: readonly TerritoryRef[];
  catalogue: readonly CatalogueItem[];
  catalogueError: boolean;
}) {
  const number = path.map((i) => i + 1).join(".");
  const showErrors = (errors: FieldError[]) => dispatch({ type: "errors", errors });
  return (
    <div className={fr.cx("fr-pl-4w")}>
      <Input
        label={`Titre du champ opérationnel ${number}`}
        nativeInputProps={{
          id: `${field.id}-titre`,
          value: field.title,
          onChange: (e) => dispatch({ type: "fieldTitle", path, value: e.target.value }),
        }}
      />
      {field.indicatorRefs.map((ref, ri) => {
        const prefix = `nouveau-${field.id}-${ri}`;
        return (
          <fieldset
            // biome-ignore lint/suspicious/noArrayIndexKey: an indicator may be followed twice (two breakdowns)
            key={`${ref.indicatorCode}-${ri}`}
            className={fr.cx("fr-fieldset", "fr-pl-4w")}
          >
            <legend className={fr.cx("fr-fieldset__legend", "fr-text--lg")}>
              Indicateur : {ref.label} ({ref.indicatorCode})
            </legend>
            {ref.objectives.length === 0 ? (
              <p className={fr.cx("fr-fieldset__element")}>Aucun objectif chiffré pour cet indicateur.</p>
            ) : null}
            {ref.objectives.map((o) => (
              <ObjectiveFields
                key={o.id}
                objective={o}
                label={objectiveLabel(ref.label, o)}
                draft={state.drafts[o.id]}
                onChange={(key, value) => dispatch({ type: "draft", objectiveId: o.id, key, value })}
                onRemove={() =>
                  dispatch({
                    type: "removeObjective",
                    path,
                    ref: ri,
                    objectiveId: o.id,
                    focusAfter: `${prefix}-echeance`,
                  })
                }
                errors={state.errors}
              />
            ))}
            <NewObjective
              prefix={prefix}
              indicatorLabel={ref.label}
              territories={territories}
              defaultUnit={defaultUnitOf(ref, catalogue)}
              errors={state.errors}
              onErrors={showErrors}
              onAdd={(values) =>
                dispatch({
                  type: "addObjective",
                  path,
                  ref: ri,
                  values: {
                    indicatorCode: ref.indicatorCode,
                    ...(ref.disaggregation ? { disaggregation: ref.disaggregation } : {}),
                    ...values,
                  },
                })
              }
            />
          </fieldset>
        );
      })}
      <NewIndicator
        prefix={`indicateur-${field.id}`}
        fieldLabel={number}
        catalogue={catalogue}
        catalogueError={catalogueError}
        existing={plainIndicatorCodes(field.indicatorRefs)}
        errors={state.errors}
        onErrors={showErrors}
        onAdd={(item, label) => dispatch({ type: "addIndicator", path, item, label })}
      />
    </div>
  );
}
