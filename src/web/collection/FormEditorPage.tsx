import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import type { FormIssue, FormSaveResult } from "../../contracts/collection-forms.ts";
import type { FormDefinition } from "../../contracts/collection-model.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { TextInput } from "./EditorInputs.tsx";
import { FormPreview } from "./FormPreview.tsx";
import {
  addRule,
  addSection,
  blankForm,
  definitionToSave,
  type FormEdit,
  fromTemplate,
  issuesAt,
  issueTarget,
  pathId,
} from "./form-editor-model.ts";
import { formKeys, formsApi, issuesOf } from "./forms-api.ts";
import { RuleEditor } from "./RuleEditor.tsx";
import { SectionEditor } from "./SectionEditor.tsx";

/**
 * `/collecte/formulaires/nouveau[?modele=]` and `/collecte/formulaires/:code/edition`: the form
 * editor. The server checks each save; its refusals are listed above the form, each linking to
 * its item, and shown again next to the item.
 */
export function FormEditorPage() {
  return (
    <RequireUser
      title="Formulaire de collecte"
      audience="Les formulaires de collecte sont réservés aux DANE."
    >
      {() => <Loader />}
    </RequireUser>
  );
}

function Loader() {
  const { code } = useParams();
  const [params] = useSearchParams();
  const template = params.get("modele");
  const saved = useQuery({
    queryKey: formKeys.form(code ?? ""),
    queryFn: () => formsApi.form(code ?? ""),
    enabled: code !== undefined,
  });
  const start = useQuery({
    queryKey: formKeys.templateForm(template ?? ""),
    queryFn: () => formsApi.templateForm(template ?? ""),
    enabled: code === undefined && template !== null,
  });
  if (code !== undefined) {
    if (saved.isPending) return <Loading label="Chargement du formulaire…" />;
    if (saved.isError) return <ErrorAlert error={saved.error} />;
    return <Editor initial={saved.data.definition} existing={{ code, version: saved.data.version }} />;
  }
  if (template !== null) {
    if (start.isPending) return <Loading label="Chargement du modèle…" />;
    if (start.isError) return <ErrorAlert error={start.error} />;
    return <Editor initial={fromTemplate(start.data)} existing={null} />;
  }
  return <Editor initial={blankForm()} existing={null} />;
}

function Editor({
  initial,
  existing,
}: {
  initial: FormDefinition;
  existing: { code: string; version: number } | null;
}) {
  const title = existing ? `Modifier le formulaire « ${initial.title} »` : "Nouveau formulaire";
  usePageTitle(title);
  const client = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState(initial);
  const [issues, setIssues] = useState<FormIssue[]>([]);
  // A new form's first save moves to its own address: the outcome travels with it.
  const arrived = (useLocation().state as { saved?: FormSaveResult } | null)?.saved ?? null;
  const [result, setResult] = useState<FormSaveResult | null>(arrived);
  const [preview, setPreview] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const edit: FormEdit = (change) => setForm((f) => change(f));
  const elements = useQuery({ queryKey: formKeys.dataElements, queryFn: formsApi.dataElements });
  const save = useMutation({
    mutationFn: () => formsApi.save(form.code, definitionToSave(form)),
    onMutate: () => setAttempt((n) => n + 1),
    onSuccess: async (saved) => {
      setIssues([]);
      setResult(saved);
      await client.invalidateQueries({ queryKey: formKeys.list });
      if (!existing)
        navigate(`/collecte/formulaires/${encodeURIComponent(saved.code)}/edition`, {
          replace: true,
          state: { saved },
        });
    },
    onError: (error) => {
      setResult(null);
      setIssues(issuesOf(error));
    },
  });
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={[
          { label: "Campagnes de collecte", linkProps: { to: "/collecte" } },
          { label: "Formulaires", linkProps: { to: "/collecte/formulaires" } },
        ]}
        currentPageLabel={existing ? initial.title : "Nouveau formulaire"}
      />
      <h1>{title}</h1>
      {existing ? (
        <p>
          Version enregistrée : {result?.version ?? existing.version}. Une campagne en cours garde la version
          avec laquelle elle a commencé.
        </p>
      ) : null}
      <SaveOutcome result={result} error={save.isError && issues.length === 0 ? save.error : null} />
      <IssueSummary issues={issues} attempt={attempt} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <fieldset className={fr.cx("fr-fieldset")} id={pathId("form")}>
          <legend className={fr.cx("fr-fieldset__legend")}>Le formulaire</legend>
          <TextInput
            id={pathId("code")}
            label="Code du formulaire"
            hint="Minuscules, chiffres et « _ » ; il ne change plus une fois enregistré."
            value={form.code}
            disabled={existing !== null}
            errors={issuesAt(issues, "code")}
            onChange={(v) => edit((f) => ({ ...f, code: v }))}
          />
          <TextInput
            id={pathId("title")}
            label="Titre"
            value={form.title}
            errors={issuesAt(issues, "title")}
            onChange={(v) => edit((f) => ({ ...f, title: v }))}
          />
          <TextInput
            id={pathId("description")}
            label="Description (facultatif)"
            multiline
            value={form.description ?? ""}
            errors={issuesAt(issues, "description")}
            onChange={(v) => edit((f) => ({ ...f, description: v }))}
          />
        </fieldset>
        {form.sections.map((section, s) => (
          <SectionEditor
            // biome-ignore lint/suspicious/noArrayIndexKey: codes change as they are typed (a code key would remount the item and lose the focus); the position is the item
            key={`section-${s}`}
            section={section}
            s={s}
            count={form.sections.length}
            issues={issues}
            elements={elements.data?.items ?? []}
            edit={edit}
          />
        ))}
        <button
          type="button"
          className={fr.cx("fr-btn", "fr-btn--secondary", "fr-mb-4w")}
          onClick={() => edit(addSection)}
        >
          Ajouter une section
        </button>
        <h2 className={fr.cx("fr-h4")}>Règles de validation</h2>
        {form.rules.length === 0 ? <p>Aucune règle.</p> : null}
        {form.rules.map((rule, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: codes change as they are typed (a code key would remount the item and lose the focus); the position is the item
          <RuleEditor key={`rule-${r}`} rule={rule} r={r} issues={issues} edit={edit} />
        ))}
        <button
          type="button"
          className={fr.cx("fr-btn", "fr-btn--secondary", "fr-mb-4w")}
          onClick={() => edit(addRule)}
        >
          Ajouter une règle
        </button>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
          <li>
            <button type="submit" className={fr.cx("fr-btn")} disabled={save.isPending}>
              Enregistrer le formulaire
            </button>
          </li>
          <li>
            <button
              type="button"
              className={fr.cx("fr-btn", "fr-btn--secondary")}
              aria-expanded={preview}
              onClick={() => setPreview((p) => !p)}
            >
              {preview ? "Masquer l'aperçu" : "Aperçu"}
            </button>
          </li>
        </ul>
      </form>
      {preview ? (
        <section aria-labelledby="apercu-titre" className={fr.cx("fr-mt-4w")}>
          <h2 id="apercu-titre">Aperçu pour l'établissement</h2>
          <FormPreview form={form} />
        </section>
      ) : null}
    </>
  );
}

function SaveOutcome({ result, error }: { result: FormSaveResult | null; error: Error | null }) {
  if (error) return <ErrorAlert error={error} />;
  return (
    <div role="status">
      {result ? (
        <div className={fr.cx("fr-alert", "fr-alert--success", "fr-alert--sm", "fr-mb-4w")}>
          <p>
            {result.created
              ? `Formulaire « ${result.title} » enregistré : version ${result.version}.`
              : `Formulaire inchangé : la version ${result.version} reste la dernière.`}
            {result.activeCampaignsOnOlderVersion > 0
              ? ` ${result.activeCampaignsOnOlderVersion} campagne(s) en cours gardent une version précédente.`
              : ""}
          </p>
        </div>
      ) : null}
    </div>
  );
}

/** The server's refusals, each linking to its item; takes the focus after a refused save. */
function IssueSummary({ issues, attempt }: { issues: readonly FormIssue[]; attempt: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (issues.length > 0 && attempt > 0) ref.current?.focus();
  }, [issues, attempt]);
  if (issues.length === 0) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      className={fr.cx("fr-alert", "fr-alert--error", "fr-mb-4w")}
      aria-labelledby="refus-titre"
    >
      <h2 id="refus-titre" className={fr.cx("fr-alert__title")}>
        Le formulaire n'est pas enregistré
      </h2>
      <ul>
        {issues.map((i) => (
          <li key={`${i.path}-${i.message}`}>
            <a href={`#${issueTarget(i.path)}`}>{i.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
