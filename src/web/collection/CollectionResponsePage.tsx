import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { useParams } from "react-router";
import type { ResponseView } from "../../contracts/collection.ts";
import {
  type Answer,
  type Answers,
  expandForm,
  RESPONSE_STATE_LABELS,
} from "../../contracts/collection-model.ts";
import type { ResponseIssue } from "../../contracts/collection-rules.ts";
import { ApiError } from "../api.ts";
import { formatDateTime } from "../identity/format-time.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { collectionApi, collectionKeys } from "./collection-api.ts";
import { type FieldContext, SectionFields } from "./ResponseFields.tsx";
import {
  countLabel,
  fieldId,
  initialAnswers,
  liveIssues,
  sendableAnswers,
  withAnswer,
} from "./response-model.ts";
import { type SaveStatus, useResponseAutosave } from "./useResponseAutosave.ts";

const TITLE = "Réponse à une campagne de collecte";
const SEGMENTS = [{ label: "Campagnes de collecte", linkProps: { to: "/collecte" } }];
const EDITABLE_STATES = new Set(["not_started", "draft", "returned"]);

/** `/collecte/:campaignId/:uai`: a school's response to a campaign, filled in by its respondents. */
export function CollectionResponsePage() {
  return (
    <RequireUser title={TITLE} segments={SEGMENTS}>
      {() => <ResponseLoader />}
    </RequireUser>
  );
}

function ResponseLoader() {
  const { campaignId = "", uai = "" } = useParams();
  const queryClient = useQueryClient();
  const [mount, setMount] = useState(0);
  const query = useQuery({
    queryKey: collectionKeys.response(campaignId, uai),
    queryFn: () => collectionApi.response(campaignId, uai),
    // The form keeps its own state while it is open: no refetch behind the person's back.
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  usePageTitle(query.data ? `${query.data.campaign.title} - ${query.data.school.name}` : TITLE);
  if (query.isPending) return <Loading />;
  if (query.isError)
    return (
      <>
        <Breadcrumb homeLinkProps={{ to: "/" }} segments={SEGMENTS} currentPageLabel={TITLE} />
        <h1>{TITLE}</h1>
        <ErrorAlert error={query.error} />
      </>
    );
  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: collectionKeys.response(campaignId, uai) });
    setMount((m) => m + 1);
  };
  return (
    <ResponseForm
      key={`${query.data.revision}-${query.data.state}-${mount}`}
      view={query.data}
      campaignId={campaignId}
      uai={uai}
      reload={reload}
    />
  );
}

/** Why the answers cannot be changed here, in French. */
function lockText(view: ResponseView): string {
  const state = RESPONSE_STATE_LABELS[view.state];
  if (!EDITABLE_STATES.has(view.state))
    return `État : ${state}${view.submittedAt ? `, transmis le ${formatDateTime(view.submittedAt)}` : ""}. Les réponses ne sont plus modifiables, sauf si elles vous sont renvoyées pour correction.`;
  if (view.campaign.phase === "upcoming") return `État : ${state}. La campagne n'est pas encore ouverte.`;
  if (view.campaign.phase === "locked")
    return `État : ${state}. La saisie est verrouillée : le délai après la clôture de la campagne est dépassé.`;
  return `État : ${state}. Vous consultez les réponses de cet établissement : seuls ses répondants peuvent les saisir.`;
}

function issuesByField(issues: readonly ResponseIssue[]): Map<string, ResponseIssue[]> {
  const out = new Map<string, ResponseIssue[]>();
  for (const issue of issues) {
    if (issue.field === null) continue;
    out.set(issue.field, [...(out.get(issue.field) ?? []), issue]);
  }
  return out;
}

const hourMinute = new Intl.DateTimeFormat("fr-FR", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Paris",
});

function statusText(status: SaveStatus): string {
  switch (status.kind) {
    case "idle":
      return "";
    case "saving":
      return "Enregistrement…";
    case "saved":
      return `Enregistré à ${hourMinute.format(new Date(status.at))}`;
    case "offline":
      return "Hors connexion : enregistré dans ce navigateur";
    case "conflict":
    case "error":
      return "Non enregistré";
  }
}

function ResponseForm({
  view,
  campaignId,
  uai,
  reload,
}: {
  view: ResponseView;
  campaignId: string;
  uai: string;
  reload: () => Promise<void>;
}) {
  const fields = useMemo(() => expandForm(view.form), [view.form]);
  const start = useMemo(() => initialAnswers(view), [view]);
  const [answers, setAnswers] = useState<Answers>(start.answers);
  const [fieldsKey, setFieldsKey] = useState(0);
  const [submitError, setSubmitError] = useState<{ message: string; issues: ResponseIssue[] } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const submitErrorRef = useRef<HTMLDivElement>(null);
  const autosave = useResponseAutosave(view, start.answers, { campaignId, uai }, (draft) => {
    setAnswers(draft);
    setFieldsKey((k) => k + 1);
  });
  const readOnly = !view.editable;
  const live = useMemo(() => liveIssues(view.form, answers, view.previous), [view, answers]);
  // The server's outlier warnings hold while the value they are about is the saved one.
  const saved = autosave.saved();
  const outliers = autosave.serverWarnings.filter(
    (w) => w.field !== null && answers[w.field]?.value === saved[w.field]?.value,
  );
  const warnings = [...live.warnings, ...outliers];
  const byField = issuesByField([...live.errors, ...warnings]);
  const labelOf = (code: string | null) => fields.find((f) => f.code === code)?.label ?? "Réponse";

  const onChange = (code: string, answer: Answer | undefined) => {
    const next = withAnswer(answers, code, answer);
    setAnswers(next);
    setSubmitError(null);
    autosave.changed(next);
  };
  const ctx: FieldContext = {
    answers,
    previous: view.previous,
    prefilled: start.prefilled,
    issues: byField,
    readOnly,
    onChange,
  };

  const submit = async () => {
    setSubmitting(true);
    setSubmitError(null);
    await autosave.flush();
    const body = {
      answers: sendableAnswers(view.form, answers, autosave.saved()),
      revision: autosave.revision(),
    };
    try {
      const result = await collectionApi.submitResponse(campaignId, uai, body);
      autosave.settle(result.revision, body.answers);
      await reload();
    } catch (error) {
      const issues =
        error instanceof ApiError
          ? (((error.body as { details?: { issues?: ResponseIssue[] } } | undefined)?.details?.issues ??
              []) as ResponseIssue[])
          : [];
      setSubmitError({
        message:
          error instanceof ApiError && error.status === 0
            ? "Transmission impossible hors connexion : vos réponses sont gardées dans ce navigateur. Transmettez-les au retour de la connexion."
            : error instanceof Error
              ? error.message
              : "La transmission a échoué.",
        issues,
      });
      requestAnimationFrame(() => submitErrorRef.current?.focus());
    } finally {
      setSubmitting(false);
    }
  };

  const restoreStaleDraft = () => {
    if (!autosave.staleDraft) return;
    const draft = autosave.staleDraft;
    setAnswers(draft);
    setFieldsKey((k) => k + 1);
    autosave.dropStaleDraft();
    autosave.changed(draft);
  };

  const blocking = live.blocking.length;
  const offline = !readOnly && (!autosave.online || autosave.status.kind === "offline");
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={SEGMENTS}
        currentPageLabel={`${view.campaign.title} – ${view.school.name}`}
      />
      <h1>{view.campaign.title}</h1>
      <p className={fr.cx("fr-text--lead")}>
        {view.school.name} ({view.school.uai}) · période {view.campaign.period} · clôture le{" "}
        {view.campaign.closesOn.split("-").reverse().join("/")}
      </p>
      {view.form.description ? <p>{view.form.description}</p> : null}

      {view.state === "returned" && view.returnComment ? (
        <Alert
          className={fr.cx("fr-mb-4w")}
          severity="warning"
          title="Réponses renvoyées pour correction"
          description={view.returnComment}
        />
      ) : null}
      {readOnly ? (
        <Alert
          className={fr.cx("fr-mb-4w")}
          severity="info"
          title="Lecture seule"
          description={lockText(view)}
        />
      ) : null}
      {offline ? (
        <Alert
          className={fr.cx("fr-mb-4w")}
          severity="warning"
          small
          description="Hors connexion : vos réponses sont gardées dans ce navigateur et seront envoyées au retour de la connexion."
        />
      ) : null}
      {autosave.staleDraft ? (
        <Alert
          className={fr.cx("fr-mb-4w")}
          severity="warning"
          title="Des saisies plus récentes sont gardées dans ce navigateur"
          description={
            <>
              <p>
                Elles partent d'une version antérieure des réponses, modifiées depuis (autre onglet ou autre
                personne). Reprenez-les pour remplacer les réponses enregistrées, ou abandonnez-les.
              </p>
              <Button size="small" className={fr.cx("fr-mr-2w")} onClick={restoreStaleDraft}>
                Reprendre les saisies de ce navigateur
              </Button>
              <Button size="small" priority="secondary" onClick={autosave.dropStaleDraft}>
                Les abandonner
              </Button>
            </>
          }
        />
      ) : null}
      {autosave.status.kind === "conflict" ? (
        <Alert
          className={fr.cx("fr-mb-4w")}
          severity="error"
          title={autosave.status.locked ? "Saisie verrouillée" : "Réponses modifiées entre-temps"}
          description={
            <>
              <p>{autosave.status.message}</p>
              <Button size="small" onClick={() => void reload()}>
                Recharger la dernière version
              </Button>
            </>
          }
        />
      ) : null}
      {autosave.status.kind === "error" ? (
        <Alert className={fr.cx("fr-mb-4w")} severity="error" small description={autosave.status.message} />
      ) : null}

      {readOnly ? null : (
        <>
          <p className={fr.cx("fr-text--sm")}>
            Sauf mention « facultatif », chaque champ attend une réponse. Vos réponses sont enregistrées
            automatiquement pendant la saisie.
          </p>
          <IssueSummary errors={live.errors} warnings={warnings} labelOf={labelOf} />
        </>
      )}

      <div key={fieldsKey}>
        {view.form.sections.map((section) => (
          <SectionFields key={section.code} section={section} fields={fields} ctx={ctx} />
        ))}
      </div>

      {readOnly ? null : (
        <div className={fr.cx("fr-mb-6w")}>
          {submitError ? (
            <div
              ref={submitErrorRef}
              tabIndex={-1}
              role="alert"
              className={fr.cx("fr-alert", "fr-alert--error", "fr-mb-3w")}
            >
              <h2 className={fr.cx("fr-alert__title")}>Transmission refusée</h2>
              <p>{submitError.message}</p>
              {submitError.issues.length > 0 ? (
                <IssueLinks issues={submitError.issues} labelOf={labelOf} />
              ) : null}
            </div>
          ) : null}
          <Button
            disabled={blocking > 0 || submitting}
            nativeButtonProps={{ "aria-describedby": "transmission-aide" }}
            onClick={() => void submit()}
          >
            Transmettre les réponses
          </Button>
          <p id="transmission-aide" className={fr.cx("fr-hint-text", "fr-mt-1w")}>
            {blocking > 0
              ? `Transmission impossible tant que ${countLabel(blocking, "erreur bloquante reste", "erreurs bloquantes restent")} (champs obligatoires sans réponse compris).`
              : "Une fois transmises, les réponses ne sont plus modifiables, sauf si elles vous sont renvoyées pour correction."}
          </p>
          <p role="status" aria-live="polite" className={fr.cx("fr-text--sm")}>
            {statusText(autosave.status)}
          </p>
        </div>
      )}
    </>
  );
}

function IssueLinks({
  issues,
  labelOf,
}: {
  issues: readonly ResponseIssue[];
  labelOf: (code: string | null) => string;
}) {
  return (
    <ul>
      {issues.map((issue) => (
        <li key={`${issue.field ?? ""}|${issue.rule ?? ""}|${issue.message}`}>
          {issue.field ? (
            <a
              href={`#${fieldId(issue.field)}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(fieldId(issue.field ?? ""))?.focus();
              }}
            >
              {issue.message || labelOf(issue.field)}
            </a>
          ) : (
            issue.message
          )}
        </li>
      ))}
    </ul>
  );
}

/** The errors and warnings of the shared rules, live, each linking to its (first) field. */
function IssueSummary({
  errors,
  warnings,
  labelOf,
}: {
  errors: readonly ResponseIssue[];
  warnings: readonly ResponseIssue[];
  labelOf: (code: string | null) => string;
}) {
  if (errors.length === 0 && warnings.length === 0) return null;
  return (
    <section className={fr.cx("fr-callout", "fr-mb-4w")} aria-labelledby="controles-titre">
      <h2 id="controles-titre" className={fr.cx("fr-callout__title", "fr-h6")}>
        Contrôles des réponses : {countLabel(errors.length, "erreur", "erreurs")},{" "}
        {countLabel(warnings.length, "avertissement", "avertissements")}
      </h2>
      {errors.length > 0 ? (
        <>
          <h3 className={fr.cx("fr-text--md", "fr-mb-1w")}>Erreurs à corriger</h3>
          <IssueLinks issues={errors} labelOf={labelOf} />
        </>
      ) : null}
      {warnings.length > 0 ? (
        <>
          <h3 className={fr.cx("fr-text--md", "fr-mb-1w")}>Avertissements à vérifier</h3>
          <IssueLinks issues={warnings} labelOf={labelOf} />
        </>
      ) : null}
    </section>
  );
}
