import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useReducer } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { RoadmapDocument } from "../../contracts/roadmaps.ts";
import type { RoadmapDetail } from "../../contracts/roadmaps-api.ts";
import { ApiError, isNotFound } from "../api.ts";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { documentToSave, editorReducer, initEditor, territoriesOf } from "./editor/editor-model.ts";
import { OperationalFieldEditor } from "./editor/OperationalFieldEditor.tsx";
import { roadmapKeys, roadmapsApi } from "./roadmaps-api.ts";

/**
 * `/feuilles-de-route/:id/modifier`: titles, each objective's baseline, target and deadline, and the
 * structure under an operational field: add an indicator of the catalogue, add or remove objectives.
 * The draft and every edit live in `editor/editor-model.ts`; the components below only render it.
 */
export function EditRoadmapPage() {
  const id = useParams().id ?? "";
  const query = useQuery({ queryKey: roadmapKeys.detail(id), queryFn: () => roadmapsApi.roadmap(id) });
  if (isNotFound(query.error))
    return <NotFoundPage title="Feuille de route introuvable" message={errorMessage(query.error)} />;
  if (query.isPending) return <Loading label="Chargement de la feuille de route…" />;
  if (query.isError)
    return <ErrorAlert error={query.error} title="La feuille de route n'a pas pu être chargée" />;
  return <EditForm key={`${query.data.id}-${query.data.version}`} roadmap={query.data} />;
}

function EditForm({ roadmap }: { roadmap: RoadmapDetail }) {
  const title = `Modifier « ${roadmap.title} »`;
  usePageTitle(title);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [state, dispatch] = useReducer(editorReducer, roadmap.document, initEditor);
  const { document, errors } = state;
  const save = useMutation({
    mutationFn: (next: RoadmapDocument) => roadmapsApi.update(roadmap.id, roadmap.version, next),
    onSuccess: (saved) => {
      // Leave the editor first: refetching while it is mounted would show it again at the new version.
      queryClient.setQueryData(roadmapKeys.detail(saved.slug), saved);
      navigate(`/feuilles-de-route/${saved.slug}`);
      void queryClient.invalidateQueries({ queryKey: roadmapKeys.all });
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 409;
  const catalogue = useQuery({
    queryKey: roadmapKeys.editorCatalogue,
    queryFn: () => roadmapsApi.indicators(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  useEffect(() => {
    if (state.focusId === null) return;
    globalThis.document.getElementById(state.focusId)?.focus();
    dispatch({ type: "focused" });
  }, [state.focusId]);
  const territories = territoriesOf(document);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = documentToSave(state);
    dispatch({ type: "errors", errors: checked.errors });
    save.reset();
    if (checked.errors.length === 0) save.mutate(checked.document);
  };

  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={[
          { label: "Feuilles de route", linkProps: { to: "/feuilles-de-route" } },
          { label: roadmap.title, linkProps: { to: `/feuilles-de-route/${roadmap.slug}` } },
        ]}
        currentPageLabel="Modifier"
      />
      <h1>{title}</h1>
      <p>
        Version {roadmap.version}. Si quelqu'un enregistre avant vous, l'enregistrement est refusé et rien
        n'est perdu de son travail : rechargez la page et reportez vos changements.
      </p>
      {conflict ? (
        <Alert
          className={fr.cx("fr-mb-4w")}
          severity="warning"
          title="Modification concurrente"
          description={
            <>
              {errorMessage(save.error)}{" "}
              <Link to={`/feuilles-de-route/${roadmap.slug}`}>Voir la version enregistrée</Link>
            </>
          }
        />
      ) : null}
      <FormErrorSummary
        errors={errors}
        general={save.isError && !conflict ? errorMessage(save.error) : null}
        focusKey={state.submits}
      />
      <p aria-live="polite" className={fr.cx("fr-sr-only")}>
        {state.notice}
      </p>
      <form onSubmit={submit} noValidate>
        <Input
          label="Titre de la feuille de route"
          nativeInputProps={{
            id: "edition-titre",
            value: document.title,
            onChange: (e) => dispatch({ type: "title", value: e.target.value }),
          }}
        />
        <Input
          label="Résumé"
          textArea
          nativeTextAreaProps={{
            id: "edition-resume",
            value: document.summary,
            onChange: (e) => dispatch({ type: "summary", value: e.target.value }),
          }}
        />
        {document.ambitions.map((ambition, ai) => (
          <fieldset key={ambition.id} className={fr.cx("fr-fieldset", "fr-mt-4w")}>
            <legend className={fr.cx("fr-fieldset__legend", "fr-h4")}>Ambition {ai + 1}</legend>
            <div className={fr.cx("fr-fieldset__element")}>
              <Input
                label={`Titre de l'ambition ${ai + 1}`}
                nativeInputProps={{
                  id: `${ambition.id}-titre`,
                  value: ambition.title,
                  onChange: (e) => dispatch({ type: "ambitionTitle", ambition: ai, value: e.target.value }),
                }}
              />
            </div>
            {ambition.targets.map((target, ti) => (
              <div key={target.id} className={fr.cx("fr-fieldset__element", "fr-pl-4w")}>
                <Input
                  label={`Titre de la cible ${ai + 1}.${ti + 1}`}
                  nativeInputProps={{
                    id: `${target.id}-titre`,
                    value: target.title,
                    onChange: (e) =>
                      dispatch({ type: "targetTitle", ambition: ai, target: ti, value: e.target.value }),
                  }}
                />
                {target.operationalFields.map((field, fi) => (
                  <OperationalFieldEditor
                    key={field.id}
                    field={field}
                    path={[ai, ti, fi]}
                    state={state}
                    dispatch={dispatch}
                    territories={territories}
                    catalogue={catalogue.data?.items ?? []}
                    catalogueError={catalogue.isError}
                  />
                ))}
              </div>
            ))}
          </fieldset>
        ))}
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
          <li>
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? "Enregistrement…" : "Enregistrer"}
            </Button>
          </li>
          <li>
            <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to={`/feuilles-de-route/${roadmap.slug}`}>
              Annuler
            </Link>
          </li>
        </ul>
      </form>
    </>
  );
}
