import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { RoadmapCheckpointDto, RoadmapDetail } from "../../contracts/roadmaps-api.ts";
import { isNotFound } from "../api.ts";
import { formatDate } from "../format.ts";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { type FieldError, FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { RollupSummary } from "../ui/StatusBadge.tsx";
import { formatValue, OBJECTIVE_STATUS_TEXT, ROADMAP_STATUS_TEXT, territoryText } from "./labels.ts";
import { ObjectivesTable } from "./ObjectivesTable.tsx";
import { RoadmapTree } from "./RoadmapTree.tsx";
import { roadmapKeys, roadmapsApi } from "./roadmaps-api.ts";

/** `/feuilles-de-route/:id`: the tree with statuses, the objectives table, the checkpoints, the actions. */
export function RoadmapPage() {
  const id = useParams().id ?? "";
  const query = useQuery({ queryKey: roadmapKeys.detail(id), queryFn: () => roadmapsApi.roadmap(id) });
  if (isNotFound(query.error))
    return <NotFoundPage title="Feuille de route introuvable" message={errorMessage(query.error)} />;
  if (query.isPending) return <Pending />;
  if (query.isError) return <Failed error={query.error} />;
  return <RoadmapView roadmap={query.data} />;
}

function Pending() {
  usePageTitle("Chargement de la feuille de route");
  return <Loading label="Chargement de la feuille de route…" />;
}

function Failed({ error }: { error: unknown }) {
  usePageTitle("Erreur");
  return <ErrorAlert error={error} title="La feuille de route n'a pas pu être chargée" />;
}

function RoadmapView({ roadmap }: { roadmap: RoadmapDetail }) {
  usePageTitle(roadmap.title);
  const { document, evaluation } = roadmap;
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Feuilles de route", linkProps: { to: "/feuilles-de-route" } }]}
        currentPageLabel={roadmap.title}
      />
      <h1>{roadmap.title}</h1>
      <p>
        <Badge as="span" severity={roadmap.status === "published" ? "success" : "new"} small noIcon>
          {ROADMAP_STATUS_TEXT[roadmap.status]}
        </Badge>{" "}
        {territoryText(roadmap.territory)} · {roadmap.period.label} · {document.authority} · version{" "}
        {roadmap.version}
      </p>
      <p>{document.summary}</p>
      <section aria-labelledby="etat-titre" className={fr.cx("fr-mt-4w")}>
        <h2 id="etat-titre">État d'avancement</h2>
        <RollupSummary rollup={evaluation.roadmap} label="Feuille de route" />
      </section>
      <Actions roadmap={roadmap} />
      <section aria-labelledby="arbre-titre" className={fr.cx("fr-mt-6w")}>
        <h2 id="arbre-titre">Ambitions, cibles et objectifs</h2>
        <RoadmapTree document={document} evaluation={evaluation} />
      </section>
      <section aria-labelledby="tableau-titre" className={fr.cx("fr-mt-6w")}>
        <h2 id="tableau-titre">Tableau des objectifs</h2>
        <ObjectivesTable
          document={document}
          evaluation={evaluation}
          caption={`Objectifs chiffrés de « ${roadmap.title} » et leur état`}
        />
      </section>
      <Checkpoints roadmap={roadmap} />
    </>
  );
}

function Actions({ roadmap }: { roadmap: RoadmapDetail }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const publish = useMutation({
    mutationFn: () => roadmapsApi.publish(roadmap.id),
    onSuccess: async (next) => {
      queryClient.setQueryData(roadmapKeys.detail(roadmap.slug), next);
      await queryClient.invalidateQueries({ queryKey: roadmapKeys.all });
    },
  });
  const unpublish = useMutation({
    mutationFn: () => roadmapsApi.unpublish(roadmap.id),
    onSuccess: async (next) => {
      queryClient.setQueryData(roadmapKeys.detail(roadmap.slug), next);
      await queryClient.invalidateQueries({ queryKey: roadmapKeys.all });
    },
  });
  const remove = useMutation({
    mutationFn: () => roadmapsApi.remove(roadmap.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: roadmapKeys.all });
      navigate("/feuilles-de-route");
    },
  });
  return (
    <section aria-labelledby="actions-titre" className={fr.cx("fr-mt-4w")}>
      <h2 id="actions-titre" className={fr.cx("fr-sr-only")}>
        Actions
      </h2>
      {publish.isError ? <ErrorAlert error={publish.error} title="La publication a échoué" /> : null}
      {unpublish.isError ? <ErrorAlert error={unpublish.error} title="La dépublication a échoué" /> : null}
      {remove.isError ? <ErrorAlert error={remove.error} title="La suppression a échoué" /> : null}
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
        <li>
          <a
            className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-download-line")}
            href={roadmapsApi.exportUrl(roadmap.id)}
            download={`${roadmap.slug}.yaml`}
          >
            Exporter en YAML
          </a>
        </li>
        {roadmap.canEdit ? (
          <>
            <li>
              <Link
                className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-edit-line")}
                to={`/feuilles-de-route/${roadmap.slug}/modifier`}
              >
                Modifier
              </Link>
            </li>
            {roadmap.status === "draft" ? (
              <li>
                <Button
                  iconId="fr-icon-send-plane-line"
                  onClick={() => publish.mutate()}
                  disabled={publish.isPending}
                >
                  Publier
                </Button>
              </li>
            ) : (
              <li>
                <Button
                  priority="secondary"
                  iconId="fr-icon-arrow-go-back-line"
                  onClick={() => unpublish.mutate()}
                  disabled={unpublish.isPending}
                >
                  Dépublier
                </Button>
              </li>
            )}
            <li>
              {confirmDelete ? (
                <Button
                  priority="tertiary"
                  iconId="fr-icon-delete-line"
                  onClick={() => remove.mutate()}
                  disabled={remove.isPending}
                >
                  Confirmer la suppression
                </Button>
              ) : (
                <Button
                  priority="tertiary"
                  iconId="fr-icon-delete-line"
                  onClick={() => setConfirmDelete(true)}
                >
                  Supprimer
                </Button>
              )}
            </li>
          </>
        ) : null}
      </ul>
      {roadmap.status === "draft" && unpublish.isSuccess ? (
        <Alert
          severity="info"
          small
          description="La feuille de route est revenue au brouillon : seules les personnes de son territoire la voient."
        />
      ) : null}
      {roadmap.status === "published" && publish.isSuccess ? (
        <Alert
          severity="success"
          small
          description="La feuille de route est publiée : elle est visible de tous."
        />
      ) : null}
    </section>
  );
}

function Checkpoints({ roadmap }: { roadmap: RoadmapDetail }) {
  const templateCheckpoints = roadmap.document.checkpoints;
  return (
    <section aria-labelledby="points-titre" className={fr.cx("fr-mt-6w")}>
      <h2 id="points-titre">Points d'étape</h2>
      {roadmap.checkpoints.length === 0 && templateCheckpoints.length === 0 ? (
        <p>Aucun point d'étape pour l'instant.</p>
      ) : null}
      {roadmap.checkpoints.map((c) => (
        <CheckpointTable key={c.id} checkpoint={c} />
      ))}
      {templateCheckpoints.map((c) => (
        <div key={c.id} className={fr.cx("fr-mb-4w")}>
          <h3>
            {c.title} ({c.date}, document source)
          </h3>
          {c.comment ? <p>{c.comment}</p> : null}
          <ul>
            {c.values.map((v) => (
              <li key={v.id}>
                {v.label} : {formatValue(v.value, v.unit)} ({v.territory.name})
              </li>
            ))}
          </ul>
        </div>
      ))}
      {roadmap.canEdit ? <CheckpointForm roadmap={roadmap} /> : null}
    </section>
  );
}

function CheckpointTable({ checkpoint }: { checkpoint: RoadmapCheckpointDto }) {
  return (
    <div className={fr.cx("fr-mb-4w")}>
      <h3>
        {checkpoint.title} — {formatDate(checkpoint.date)}
      </h3>
      {checkpoint.comment ? <p>{checkpoint.comment}</p> : null}
      {checkpoint.values.length === 0 ? (
        <p>Aucun objectif chiffré à cette date.</p>
      ) : (
        <DataTable
          caption={`Valeurs figées au ${formatDate(checkpoint.date)}`}
          head={
            <>
              <tr>
                <th scope="col">Indicateur</th>
                <th scope="col">Territoire</th>
                <th scope="col">Valeur (période)</th>
                <th scope="col">Objectif</th>
                <th scope="col">État</th>
              </tr>
            </>
          }
        >
          {checkpoint.values.map((v) => (
            <tr key={v.objectiveId}>
              <th scope="row">{v.label}</th>
              <td>{territoryText(v.territory)}</td>
              <td>{v.value === null ? "—" : `${formatValue(v.value, v.unit)} (${v.period ?? "—"})`}</td>
              <td>
                {v.targetValue === null ? "—" : formatValue(v.targetValue, v.unit)} en {v.targetYear}
              </td>
              <td>
                {v.statusLabel === "secret statistique"
                  ? "Secret statistique"
                  : OBJECTIVE_STATUS_TEXT[v.status]}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

function CheckpointForm({ roadmap }: { roadmap: RoadmapDetail }) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [date, setDate] = useState("");
  const [comment, setComment] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const add = useMutation({
    mutationFn: () =>
      roadmapsApi.addCheckpoint(roadmap.id, {
        title: title.trim(),
        ...(date ? { date } : {}),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      }),
    onSuccess: async () => {
      setTitle("");
      setComment("");
      setDate("");
      await queryClient.invalidateQueries({ queryKey: roadmapKeys.all });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    if (title.trim() === "")
      found.push({ fieldId: "point-titre", label: "Titre du point d'étape", message: "indiquez un titre." });
    setErrors(found);
    setSubmits((n) => n + 1);
    add.reset();
    if (found.length === 0) add.mutate();
  };
  return (
    <div className={fr.cx("fr-mt-4w")}>
      <h3>Ajouter un point d'étape</h3>
      <p>
        Le point d'étape fige la valeur actuelle et l'état de chaque objectif ; les valeurs importées ensuite
        ne le changent pas.
      </p>
      <FormErrorSummary
        errors={errors}
        general={add.isError ? errorMessage(add.error) : null}
        focusKey={submits}
      />
      {add.isSuccess ? (
        <Alert
          className={fr.cx("fr-mb-2w")}
          severity="success"
          small
          description="Point d'étape enregistré."
        />
      ) : null}
      <form onSubmit={submit} noValidate>
        <Input
          label="Titre du point d'étape"
          nativeInputProps={{ id: "point-titre", value: title, onChange: (e) => setTitle(e.target.value) }}
          state={errors.length > 0 ? "error" : "default"}
          stateRelatedMessage="Indiquez un titre."
        />
        <Input
          label="Date (facultatif)"
          hintText="Par défaut, aujourd'hui"
          nativeInputProps={{
            id: "point-date",
            type: "date",
            value: date,
            onChange: (e) => setDate(e.target.value),
          }}
        />
        <Input
          label="Commentaire (facultatif)"
          textArea
          nativeTextAreaProps={{
            id: "point-commentaire",
            value: comment,
            onChange: (e) => setComment(e.target.value),
          }}
        />
        <Button type="submit" disabled={add.isPending}>
          Figer les valeurs
        </Button>
      </form>
    </div>
  );
}
