import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import type {
  ApprovalNodeRow,
  ApprovalOverview,
  ApprovalSchoolRow,
  NodeActionName,
  ResponseActionName,
} from "../../contracts/collection-approval.ts";
import { RESPONSE_STATE_LABELS } from "../../contracts/collection-model.ts";
import type { SessionUser } from "../../contracts/identity.ts";
import { isJobFinished } from "../../contracts/job-states.ts";
import { nodeKey } from "../../contracts/territory-tree.ts";
import { formatDate, formatInteger } from "../format.ts";
import { holds } from "../identity/permissions.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { JobProgress } from "../ui/JobProgress.tsx";
import { useJob } from "../ui/useJob.ts";
import {
  formatScore,
  formatValue,
  NODE_ACTION_LABELS,
  nodeConfirmation,
  nodeName,
  nodeStateLabel,
  pendingOf,
  RESPONSE_ACTION_LABELS,
  responseConfirmation,
} from "./approval-model.ts";
import { todayInFrance } from "./campaigns-model.ts";
import { collectionApi, collectionKeys } from "./collection-api.ts";

const TITLE = "Validation de la campagne";
const LIST = { label: "Campagnes de collecte", linkProps: { to: "/collecte" } };

/** The result of the last step, announced once (success or refusal). */
type Outcome = { ok: true; message: string } | { ok: false; error: unknown };

/** `/collecte/:id/validation[?territory=]`: approve, return, accept under a territory; outliers; reminders. */
export function CampaignApprovalPage() {
  return (
    <RequireUser
      title={TITLE}
      segments={[LIST]}
      permission="collection.approve"
      audience="La validation est ouverte aux DANE, DRANE, services départementaux et circonscriptions de son territoire."
    >
      {(user) => <Approval user={user} />}
    </RequireUser>
  );
}

function Approval({ user }: { user: SessionUser }) {
  const { id = "" } = useParams();
  const [search] = useSearchParams();
  const territory = search.get("territory") ?? undefined;
  const query = useQuery({
    queryKey: collectionKeys.approvals(id, territory),
    queryFn: () => collectionApi.approvals(id, territory),
  });
  const title = query.data ? `${TITLE} : ${query.data.territory.label}` : TITLE;
  usePageTitle(title);
  if (query.isPending) return <Loading label="Chargement de la validation…" />;
  if (query.isError)
    return (
      <>
        <Breadcrumb homeLinkProps={{ to: "/" }} segments={[LIST]} currentPageLabel={TITLE} />
        <h1>{TITLE}</h1>
        <ErrorAlert error={query.error} />
      </>
    );
  return <ApprovalView overview={query.data} territory={territory} user={user} />;
}

function ApprovalView({
  overview,
  territory,
  user,
}: {
  overview: ApprovalOverview;
  territory: string | undefined;
  user: SessionUser;
}) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const id = overview.campaignId;
  const statusLink = `/collecte/${encodeURIComponent(id)}/suivi${territory ? `?territory=${encodeURIComponent(territory)}` : ""}`;
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[LIST]} currentPageLabel={TITLE} />
      <h1>
        {TITLE} : {overview.territory.label}
      </h1>
      <p>
        Un territoire se valide quand tous ses établissements sont validés ; le niveau au-dessus l'accepte
        ensuite. Les réponses validées ne sont plus modifiables, sauf renvoi pour correction.{" "}
        <Link to={statusLink}>Voir la complétude</Link>
      </p>
      <OutcomeAlert outcome={outcome} />
      <NodesSection overview={overview} onOutcome={setOutcome} />
      <SchoolsSection overview={overview} onOutcome={setOutcome} />
      <OutliersSection campaignId={id} territory={territory} />
      {holds(user, "collection.manage") ? <RemindersSection campaignId={id} /> : null}
    </>
  );
}

function OutcomeAlert({ outcome }: { outcome: Outcome | null }) {
  // The live region stays in the page so that each new message is announced.
  return (
    <div role="status" aria-live="polite">
      {outcome === null ? null : outcome.ok ? (
        <Alert className={fr.cx("fr-my-3w")} severity="success" small description={outcome.message} />
      ) : (
        <RefusalAlert error={outcome.error} />
      )}
    </div>
  );
}

function RefusalAlert({ error }: { error: unknown }) {
  const pending = pendingOf(error);
  return (
    <Alert
      className={fr.cx("fr-my-3w")}
      severity="error"
      title="L'action n'a pas abouti"
      description={
        <>
          {errorMessage(error)}
          {pending.length > 0 ? (
            <>
              {" "}
              Établissements à valider d'abord :
              <ul>
                {pending.map((uai) => (
                  <li key={uai}>{uai}</li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      }
    />
  );
}

/** Invalidates what a step may change: every overview of the campaign, its completeness and list. */
function useRefresh(campaignId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: collectionKeys.approvalsOf(campaignId) }),
      client.invalidateQueries({ queryKey: [...collectionKeys.all, "status", campaignId] }),
      client.invalidateQueries({ queryKey: collectionKeys.campaigns }),
    ]);
}

// ---------------------------------------------------------------------------------------------
// Territories

function NodesSection({
  overview,
  onOutcome,
}: {
  overview: ApprovalOverview;
  onOutcome: (o: Outcome) => void;
}) {
  const refresh = useRefresh(overview.campaignId);
  const step = useMutation({
    mutationFn: ({ node, action }: { node: ApprovalNodeRow; action: NodeActionName }) =>
      collectionApi.stepNode(overview.campaignId, { level: node.level, territory: node.code, action }),
    onSuccess: async (result, { node, action }) => {
      onOutcome({ ok: true, message: nodeConfirmation(action, node, result) });
      await refresh();
    },
    onError: (error) => onOutcome({ ok: false, error }),
  });
  if (overview.nodes.length === 0) return null;
  return (
    <section className={fr.cx("fr-mt-4w")} aria-labelledby="validation-territoires">
      <h2 id="validation-territoires">Territoires ({overview.nodes.length})</h2>
      <DataTable
        caption={`Territoires de ${overview.territory.label} : validation`}
        head={
          <tr>
            <th scope="col">Territoire</th>
            <th scope="col">État</th>
            <th scope="col">Établissements validés</th>
            <th scope="col">Actions</th>
          </tr>
        }
      >
        {overview.nodes.map((node) => (
          <tr key={nodeKey(node)}>
            <th scope="row">{nodeName(node)}</th>
            <td>
              <Badge as="span" small {...(node.state ? { severity: "success" } : { noIcon: true })}>
                {nodeStateLabel(node.state)}
              </Badge>
              {node.at ? (
                <span className={fr.cx("fr-text--sm")}> le {formatDate(node.at.slice(0, 10))}</span>
              ) : null}
            </td>
            <td>
              {formatInteger(node.approvedSchools)} sur {formatInteger(node.schools)}
            </td>
            <td>
              {node.actions.length === 0 ? (
                <span className="fr-sr-only">Aucune action</span>
              ) : (
                <ul className={fr.cx("fr-btns-group", "fr-btns-group--sm", "fr-btns-group--inline")}>
                  {node.actions.map((action) => (
                    <li key={action}>
                      <Button
                        size="small"
                        priority={action === "approve" || action === "accept" ? "primary" : "secondary"}
                        disabled={step.isPending}
                        onClick={() => step.mutate({ node, action })}
                      >
                        {NODE_ACTION_LABELS[action]}
                        <span className="fr-sr-only"> : {nodeName(node)}</span>
                      </Button>
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Schools

function SchoolsSection({
  overview,
  onOutcome,
}: {
  overview: ApprovalOverview;
  onOutcome: (o: Outcome) => void;
}) {
  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby="validation-etablissements">
      <h2 id="validation-etablissements">Établissements ({overview.schools.length})</h2>
      {overview.schools.length === 0 ? (
        <p>Aucun établissement ciblé sous ce territoire.</p>
      ) : (
        <DataTable
          caption={`Établissements de ${overview.territory.label} : réponses et validation`}
          head={
            <tr>
              <th scope="col">Établissement</th>
              <th scope="col">État</th>
              <th scope="col">Actions</th>
              <th scope="col">Exception au verrouillage</th>
            </tr>
          }
        >
          {overview.schools.map((school) => (
            <SchoolRow
              key={school.uai}
              campaignId={overview.campaignId}
              school={school}
              onOutcome={onOutcome}
            />
          ))}
        </DataTable>
      )}
    </section>
  );
}

function SchoolRow({
  campaignId,
  school,
  onOutcome,
}: {
  campaignId: string;
  school: ApprovalSchoolRow;
  onOutcome: (o: Outcome) => void;
}) {
  const [returning, setReturning] = useState(false);
  const refresh = useRefresh(campaignId);
  const step = useMutation({
    mutationFn: ({ action, comment }: { action: ResponseActionName; comment?: string }) =>
      collectionApi.stepResponse(campaignId, school.uai, action, comment),
    onSuccess: async (result, { action }) => {
      setReturning(false);
      onOutcome({ ok: true, message: responseConfirmation(action, school.name, result) });
      await refresh();
    },
    onError: (error) => onOutcome({ ok: false, error }),
  });
  const direct = school.actions.filter((a) => a !== "return");
  return (
    <tr>
      <th scope="row">
        <Link to={`/collecte/${encodeURIComponent(campaignId)}/${encodeURIComponent(school.uai)}`}>
          {school.name}
        </Link>{" "}
        <span className={fr.cx("fr-text--sm")}>({school.uai})</span>
      </th>
      <td>
        {RESPONSE_STATE_LABELS[school.state]}
        {school.state === "returned" && school.returnComment ? (
          <p className={fr.cx("fr-text--sm", "fr-mb-0")}>Commentaire : {school.returnComment}</p>
        ) : null}
      </td>
      <td>
        {school.actions.length === 0 ? <span className="fr-sr-only">Aucune action</span> : null}
        {direct.length > 0 ? (
          <ul className={fr.cx("fr-btns-group", "fr-btns-group--sm", "fr-btns-group--inline")}>
            {direct.map((action) => (
              <li key={action}>
                <Button
                  size="small"
                  priority={action === "approve" ? "primary" : "secondary"}
                  disabled={step.isPending}
                  onClick={() => step.mutate({ action })}
                >
                  {RESPONSE_ACTION_LABELS[action]}
                  <span className="fr-sr-only"> : {school.name}</span>
                </Button>
              </li>
            ))}
          </ul>
        ) : null}
        {school.actions.includes("return") ? (
          returning ? (
            <ReturnForm
              school={school}
              pending={step.isPending}
              onCancel={() => setReturning(false)}
              onSubmit={(comment) => step.mutate({ action: "return", comment })}
            />
          ) : (
            <Button size="small" priority="tertiary" onClick={() => setReturning(true)}>
              {RESPONSE_ACTION_LABELS.return}
              <span className="fr-sr-only"> : {school.name}</span>
            </Button>
          )
        ) : null}
      </td>
      <td>
        <LockExceptionForm campaignId={campaignId} school={school} onOutcome={onOutcome} />
      </td>
    </tr>
  );
}

/** The comment is required: the school reads it to know what to correct. */
function ReturnForm({
  school,
  pending,
  onCancel,
  onSubmit,
}: {
  school: ApprovalSchoolRow;
  pending: boolean;
  onCancel: () => void;
  onSubmit: (comment: string) => void;
}) {
  const id = useId();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (comment.trim() === "") {
      setError("Dites à l'établissement ce qu'il doit corriger.");
      return;
    }
    onSubmit(comment.trim());
  };
  return (
    <form onSubmit={submit} noValidate>
      <Input
        label={`Commentaire pour ${school.name} (obligatoire)`}
        hintText="L'établissement le voit au-dessus de son formulaire."
        textArea
        nativeTextAreaProps={{
          id: `${id}-commentaire`,
          value: comment,
          required: true,
          rows: 3,
          maxLength: 2000,
          // The field appears on demand: the focus goes to it.
          autoFocus: true,
          onChange: (e) => setComment(e.target.value),
        }}
        {...(error ? { state: "error" as const, stateRelatedMessage: error } : {})}
      />
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--sm", "fr-btns-group--inline")}>
        <li>
          <Button size="small" type="submit" disabled={pending}>
            Confirmer le renvoi<span className="fr-sr-only"> : {school.name}</span>
          </Button>
        </li>
        <li>
          <Button size="small" priority="secondary" type="button" onClick={onCancel}>
            Annuler<span className="fr-sr-only"> le renvoi : {school.name}</span>
          </Button>
        </li>
      </ul>
    </form>
  );
}

function LockExceptionForm({
  campaignId,
  school,
  onOutcome,
}: {
  campaignId: string;
  school: ApprovalSchoolRow;
  onOutcome: (o: Outcome) => void;
}) {
  const id = useId();
  const [until, setUntil] = useState(school.lockExceptionUntil ?? "");
  const refresh = useRefresh(campaignId);
  const grant = useMutation({
    mutationFn: (date: string | null) => collectionApi.lockException(campaignId, school.uai, date),
    onSuccess: async (result) => {
      onOutcome({
        ok: true,
        message: result.lockExceptionUntil
          ? `${school.name} peut saisir et transmettre jusqu'au ${formatDate(result.lockExceptionUntil)} inclus.`
          : `L'exception au verrouillage de ${school.name} est retirée.`,
      });
      await refresh();
    },
    onError: (error) => onOutcome({ ok: false, error }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    grant.mutate(until === "" ? null : until);
  };
  return (
    <form onSubmit={submit}>
      {school.lockExceptionUntil ? (
        <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>Jusqu'au {formatDate(school.lockExceptionUntil)}</p>
      ) : null}
      <Input
        label={
          <span className="fr-sr-only">Exception au verrouillage pour {school.name} : dernier jour</span>
        }
        nativeInputProps={{
          id: `${id}-jusquau`,
          type: "date",
          min: todayInFrance(),
          value: until,
          onChange: (e) => setUntil(e.target.value),
        }}
      />
      <Button size="small" priority="secondary" type="submit" disabled={grant.isPending}>
        {until === "" && school.lockExceptionUntil ? "Retirer l'exception" : "Accorder une exception"}
        <span className="fr-sr-only"> : {school.name}</span>
      </Button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Outliers and reminders

function OutliersSection({ campaignId, territory }: { campaignId: string; territory: string | undefined }) {
  const query = useQuery({
    queryKey: collectionKeys.outliers(campaignId, territory),
    queryFn: () => collectionApi.outliers(campaignId, territory),
  });
  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby="validation-atypiques">
      <h2 id="validation-atypiques">Valeurs atypiques</h2>
      {query.isPending ? (
        <Loading label="Chargement des valeurs atypiques…" />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : query.data.items.length === 0 ? (
        <p>Aucune valeur transmise ne s'écarte nettement de celles des établissements comparables.</p>
      ) : (
        <>
          <p>
            Valeurs dont le score z modifié dépasse {formatScore(query.data.threshold)} en valeur absolue, par
            rapport aux établissements du même type : à vérifier avant de valider.
          </p>
          <DataTable
            caption={`Valeurs atypiques sous ${query.data.territory.label} (${query.data.items.length})`}
            head={
              <tr>
                <th scope="col">Établissement</th>
                <th scope="col">Champ</th>
                <th scope="col">Valeur</th>
                <th scope="col">Médiane des pairs</th>
                <th scope="col">Score z modifié</th>
              </tr>
            }
          >
            {query.data.items.map((o) => (
              <tr key={`${o.uai}:${o.field}`}>
                <th scope="row">
                  <Link to={`/collecte/${encodeURIComponent(campaignId)}/${encodeURIComponent(o.uai)}`}>
                    {o.schoolName}
                  </Link>
                </th>
                <td>{o.label}</td>
                <td>{formatValue(o.value)}</td>
                <td>{formatValue(o.median)}</td>
                <td>{formatScore(o.z)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}

function RemindersSection({ campaignId }: { campaignId: string }) {
  const client = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const history = useQuery({
    queryKey: collectionKeys.reminders(campaignId),
    queryFn: () => collectionApi.reminders(campaignId),
  });
  const send = useMutation({
    mutationFn: () => collectionApi.sendReminders(campaignId),
    onSuccess: (r) => setJobId(r.jobId),
  });
  const job = useJob(jobId);
  const finished = job.data ? isJobFinished(job.data.state) : false;
  // The history counts the mails once the run ended: read it again then.
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: collectionKeys.reminders(campaignId) });
  }, [finished, client, campaignId]);
  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby="validation-relances">
      <h2 id="validation-relances">Relances</h2>
      {history.data ? (
        <p>
          {formatInteger(history.data.schoolsLate)} établissement{history.data.schoolsLate > 1 ? "s" : ""} n'
          {history.data.schoolsLate > 1 ? "ont" : "a"} pas encore transmis ;{" "}
          {formatInteger(history.data.schoolsReminded)} déjà relancé
          {history.data.schoolsReminded > 1 ? "s" : ""}. Au plus {history.data.settings.maxCount} relances par
          établissement, à {history.data.settings.minIntervalDays} jours d'intervalle au moins.
        </p>
      ) : null}
      <Button
        iconId="fr-icon-mail-line"
        disabled={send.isPending || (jobId !== null && !finished)}
        onClick={() => send.mutate()}
      >
        Relancer les établissements en retard
      </Button>
      {send.isError ? <ErrorAlert error={send.error} title="La relance n'a pas été lancée" /> : null}
      {job.data ? <JobProgress job={job.data} label="Envoi des relances" unit="établissements" /> : null}
      {history.isError ? <ErrorAlert error={history.error} /> : null}
      {history.data && history.data.days.length > 0 ? (
        <DataTable
          caption="Relances envoyées"
          head={
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Type</th>
              <th scope="col">Établissements</th>
              <th scope="col">Destinataires</th>
            </tr>
          }
        >
          {history.data.days.map((d) => (
            <tr key={`${d.date}:${d.kind}`}>
              <th scope="row">{formatDate(d.date)}</th>
              <td>{d.kind === "manual" ? "À la demande" : "Programmée"}</td>
              <td>{formatInteger(d.schools)}</td>
              <td>{formatInteger(d.recipients)}</td>
            </tr>
          ))}
        </DataTable>
      ) : history.data ? (
        <p>Aucune relance envoyée pour l'instant.</p>
      ) : null}
    </section>
  );
}
