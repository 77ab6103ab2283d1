import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import type { RoadmapList } from "../../contracts/roadmaps-api.ts";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { type FieldError, FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { ROADMAP_STATUS_TEXT, scopeText, territoryText } from "./labels.ts";
import { roadmapKeys, roadmapsApi } from "./roadmaps-api.ts";

const TITLE = "Feuilles de route";

/** `/feuilles-de-route`: the roadmaps, the five templates, and for DRANE/DANE users creation and import. */
export function RoadmapsPage() {
  usePageTitle(TITLE);
  const query = useQuery({ queryKey: roadmapKeys.all, queryFn: roadmapsApi.list });
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel={TITLE} />
      <h1>{TITLE}</h1>
      <p>
        Une feuille de route décline une stratégie du numérique éducatif en ambitions, cibles, champs
        opérationnels et indicateurs, avec des objectifs chiffrés par territoire et par année. L'état de
        chaque objectif (atteint, en bonne voie, en retard, sans donnée) est calculé à partir des indicateurs
        du territoire.
      </p>
      {query.isPending ? (
        <Loading label="Chargement des feuilles de route…" />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <Lists list={query.data} />
      )}
    </>
  );
}

function Lists({ list }: { list: RoadmapList }) {
  return (
    <>
      <section className={fr.cx("fr-mt-4w")} aria-labelledby="feuilles-titre">
        <h2 id="feuilles-titre">Feuilles de route</h2>
        {list.roadmaps.length === 0 ? (
          <p>Aucune feuille de route publiée pour l'instant.</p>
        ) : (
          <DataTable
            caption={`Feuilles de route (${list.roadmaps.length})`}
            head={
              <>
                <tr>
                  <th scope="col">Titre</th>
                  <th scope="col">Territoire</th>
                  <th scope="col">Période</th>
                  <th scope="col">Objectifs chiffrés</th>
                  <th scope="col">Statut</th>
                </tr>
              </>
            }
          >
            {list.roadmaps.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <Link to={`/feuilles-de-route/${r.slug}`}>{r.title}</Link>
                </th>
                <td>{territoryText(r.territory)}</td>
                <td>{r.period.label}</td>
                <td>{r.objectives}</td>
                <td>{ROADMAP_STATUS_TEXT[r.status]}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section className={fr.cx("fr-mt-6w")} aria-labelledby="modeles-titre">
        <h2 id="modeles-titre">Modèles tirés des documents stratégiques</h2>
        <ul>
          {list.templates.map((t) => (
            <li key={t.id}>
              <Link to={`/feuilles-de-route/modeles/${t.id}`}>{t.title}</Link> — {territoryText(t.territory)},{" "}
              {t.period.label} ({t.ambitions} ambitions, {t.objectives} objectifs chiffrés)
            </li>
          ))}
        </ul>
      </section>

      {list.manageableScopes.length > 0 ? (
        <>
          <CreateRoadmapForm list={list} />
          <ImportRoadmapForm scopes={list.manageableScopes} />
        </>
      ) : null}
    </>
  );
}

/** Creation, blank or from a template, on one of the user's territories (or a part of it). */
export function CreateRoadmapForm({ list, templateId }: { list: RoadmapList; templateId?: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [territory, setTerritory] = useState(list.manageableScopes[0] ?? "");
  const [template, setTemplate] = useState(templateId ?? "");
  const [title, setTitle] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const create = useMutation({
    mutationFn: roadmapsApi.create,
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: roadmapKeys.all });
      navigate(`/feuilles-de-route/${created.slug}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    if (territory.trim() === "")
      found.push({ fieldId: "creation-territoire", label: "Territoire", message: "indiquez un territoire." });
    setErrors(found);
    setSubmits((n) => n + 1);
    create.reset();
    if (found.length === 0)
      create.mutate({
        territory: territory.trim(),
        ...(template ? { templateId: template } : {}),
        ...(title.trim() ? { title: title.trim() } : {}),
      });
  };
  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby="creation-titre">
      <h2 id="creation-titre">Créer une feuille de route</h2>
      <FormErrorSummary
        errors={errors}
        general={create.isError ? errorMessage(create.error) : null}
        focusKey={submits}
      />
      <form onSubmit={submit} noValidate>
        <Input
          label="Territoire"
          hintText={`Votre territoire ou une de ses parties : FR, academicRegion:75, academy:04, department:33… Vos territoires : ${list.manageableScopes.map((s) => `${scopeText(s)} (${s})`).join(", ")}.`}
          nativeInputProps={{
            id: "creation-territoire",
            value: territory,
            onChange: (e) => setTerritory(e.target.value),
            list: "creation-territoires",
          }}
          state={errors.some((e) => e.fieldId === "creation-territoire") ? "error" : "default"}
          stateRelatedMessage="Indiquez un territoire."
        />
        <datalist id="creation-territoires">
          {list.manageableScopes.map((s) => (
            <option key={s} value={s}>
              {scopeText(s)}
            </option>
          ))}
        </datalist>
        <Select
          label="Modèle de départ"
          nativeSelectProps={{
            id: "creation-modele",
            value: template,
            onChange: (e) => setTemplate(e.target.value),
          }}
        >
          <option value="">Feuille de route vierge</option>
          {list.templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.shortTitle}
            </option>
          ))}
        </Select>
        <Input
          label="Titre (facultatif)"
          nativeInputProps={{
            id: "creation-titre-champ",
            value: title,
            onChange: (e) => setTitle(e.target.value),
          }}
        />
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? "Création en cours…" : "Créer en brouillon"}
        </Button>
      </form>
    </section>
  );
}

function ImportRoadmapForm({ scopes }: { scopes: string[] }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [territory, setTerritory] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const upload = useMutation({
    mutationFn: ({ f, t }: { f: File; t: string | undefined }) => roadmapsApi.importYaml(f, t),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: roadmapKeys.all });
      navigate(`/feuilles-de-route/${created.slug}`);
    },
  });
  const details = (upload.error as { body?: { details?: string[] } } | null)?.body?.details ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!file)
      found.push({
        fieldId: "import-fichier",
        label: "Fichier YAML",
        message: "sélectionnez un fichier YAML.",
      });
    setErrors(found);
    setSubmits((n) => n + 1);
    upload.reset();
    if (file) upload.mutate({ f: file, t: territory.trim() || undefined });
  };
  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby="import-titre">
      <h2 id="import-titre">Importer une feuille de route (YAML)</h2>
      <p>
        Le format est celui de l'export (« Exporter en YAML » sur chaque feuille de route) ; il est décrit
        dans la documentation. En cas d'erreur, rien n'est enregistré et chaque problème est indiqué avec son
        chemin dans le fichier.
      </p>
      <FormErrorSummary
        title={details.length > 0 ? "Le fichier n'a pas été importé" : undefined}
        errors={errors}
        general={upload.isError ? (details.length > 0 ? null : errorMessage(upload.error)) : null}
        focusKey={submits}
      />
      {details.length > 0 ? (
        <div className={fr.cx("fr-alert", "fr-alert--error", "fr-mb-4w")} role="alert">
          <h3 className={fr.cx("fr-alert__title")}>Erreurs dans le fichier</h3>
          <ul>
            {details.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form onSubmit={submit} noValidate>
        <div className={fr.cx("fr-upload-group", "fr-mb-3w")}>
          <label className={fr.cx("fr-label")} htmlFor="import-fichier">
            Fichier YAML
            <span className={fr.cx("fr-hint-text")}>Extension .yaml ou .yml</span>
          </label>
          <input
            className={fr.cx("fr-upload")}
            type="file"
            id="import-fichier"
            accept=".yaml,.yml,text/yaml"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <Input
          label="Reporter sur un autre territoire (facultatif)"
          hintText={`Sinon, le territoire écrit dans le fichier. Vos territoires : ${scopes.join(", ")}.`}
          nativeInputProps={{
            id: "import-territoire",
            value: territory,
            onChange: (e) => setTerritory(e.target.value),
          }}
        />
        <Button type="submit" disabled={upload.isPending}>
          {upload.isPending ? "Import en cours…" : "Importer"}
        </Button>
      </form>
    </section>
  );
}
