import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { Objective, RoadmapDocument } from "../../contracts/roadmaps.ts";
import type { RoadmapDetail } from "../../contracts/roadmaps-api.ts";
import { ApiError, isNotFound } from "../api.ts";
import { type FieldError, FormErrorSummary } from "../identity/FormErrorSummary.tsx";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { objectiveLabel, objectivePeriod, territoryText } from "./labels.ts";
import { roadmapQueryKey } from "./RoadmapPage.tsx";
import { ROADMAPS_QUERY_KEY, roadmapsApi } from "./roadmaps-api.ts";

/** `/feuilles-de-route/:id/modifier`: titles, and each objective's baseline, target and deadline. */
export function EditRoadmapPage() {
  const id = useParams().id ?? "";
  const query = useQuery({ queryKey: roadmapQueryKey(id), queryFn: () => roadmapsApi.roadmap(id) });
  if (isNotFound(query.error))
    return <NotFoundPage title="Feuille de route introuvable" message={errorMessage(query.error)} />;
  if (query.isPending) return <Loading label="Chargement de la feuille de route…" />;
  if (query.isError)
    return <ErrorAlert error={query.error} title="La feuille de route n'a pas pu être chargée" />;
  return <EditForm key={`${query.data.id}-${query.data.version}`} roadmap={query.data} />;
}

/** The text fields of one objective while it is edited. */
interface ObjectiveDraft {
  baseline: string;
  baselinePeriod: string;
  target: string;
  period: string;
}

const PERIOD = /^(\d{4})(?:-(\d{4}))?$/;

function parsePeriod(text: string): { year: number } | { schoolYear: string } | null {
  const m = PERIOD.exec(text.trim());
  if (!m) return null;
  if (m[2] === undefined) return { year: Number(m[1]) };
  return Number(m[2]) === Number(m[1]) + 1 ? { schoolYear: text.trim() } : null;
}

function parseNumber(text: string): number | null {
  const t = text.trim().replace(",", ".").replace(/\s/g, "");
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function objectivesOf(document: RoadmapDocument): { objective: Objective; label: string }[] {
  return document.ambitions.flatMap((a) =>
    a.targets.flatMap((t) =>
      t.operationalFields.flatMap((f) =>
        f.indicatorRefs.flatMap((ref) =>
          ref.objectives.map((objective) => ({ objective, label: objectiveLabel(ref.label, objective) })),
        ),
      ),
    ),
  );
}

function EditForm({ roadmap }: { roadmap: RoadmapDetail }) {
  const title = `Modifier « ${roadmap.title} »`;
  usePageTitle(title);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [document, setDocument] = useState<RoadmapDocument>(() => structuredClone(roadmap.document));
  const [drafts, setDrafts] = useState<Record<string, ObjectiveDraft>>(() =>
    Object.fromEntries(
      objectivesOf(roadmap.document).map(({ objective: o }) => [
        o.id,
        {
          baseline: o.baseline ? String(o.baseline.value) : "",
          baselinePeriod: o.baseline ? String(o.baseline.schoolYear ?? o.baseline.year ?? "") : "",
          target: String(o.target),
          period: objectivePeriod(o),
        },
      ]),
    ),
  );
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const save = useMutation({
    mutationFn: (next: RoadmapDocument) => roadmapsApi.update(roadmap.id, roadmap.version, next),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ROADMAPS_QUERY_KEY });
      navigate(`/feuilles-de-route/${saved.slug}`);
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 409;

  const edit = (change: (d: RoadmapDocument) => void) =>
    setDocument((current) => {
      const next = structuredClone(current);
      change(next);
      return next;
    });
  const setDraft = (id: string, key: keyof ObjectiveDraft, value: string) =>
    setDrafts((current) => ({ ...current, [id]: { ...(current[id] as ObjectiveDraft), [key]: value } }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    const next = structuredClone(document);
    if (next.title.trim() === "")
      found.push({ fieldId: "edition-titre", label: "Titre", message: "indiquez un titre." });
    for (const { objective, label } of objectivesOf(next)) {
      const d = drafts[objective.id];
      if (!d) continue;
      const where = `${label} (${objective.id})`;
      const target = parseNumber(d.target);
      if (target === null)
        found.push({
          fieldId: `${objective.id}-cible`,
          label: `Cible, ${where}`,
          message: "saisissez un nombre.",
        });
      else objective.target = target;
      const period = parsePeriod(d.period);
      if (!period)
        found.push({
          fieldId: `${objective.id}-echeance`,
          label: `Échéance, ${where}`,
          message: "saisissez une année (2026) ou une année scolaire (2026-2027).",
        });
      else {
        delete objective.year;
        delete objective.schoolYear;
        Object.assign(objective, period);
      }
      const baseline = parseNumber(d.baseline);
      if (d.baseline.trim() === "") delete objective.baseline;
      else if (baseline === null)
        found.push({
          fieldId: `${objective.id}-base`,
          label: `Base, ${where}`,
          message: "saisissez un nombre ou laissez vide.",
        });
      else {
        const basePeriod = d.baselinePeriod.trim() === "" ? {} : parsePeriod(d.baselinePeriod);
        if (basePeriod === null)
          found.push({
            fieldId: `${objective.id}-annee-base`,
            label: `Année de la base, ${where}`,
            message: "saisissez une année (2024) ou une année scolaire (2024-2025), ou laissez vide.",
          });
        else
          objective.baseline = {
            ...(objective.baseline?.note ? { note: objective.baseline.note } : {}),
            value: baseline,
            ...basePeriod,
          };
      }
    }
    setErrors(found);
    setSubmits((n) => n + 1);
    save.reset();
    if (found.length === 0) save.mutate(next);
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
        focusKey={submits}
      />
      <form onSubmit={submit} noValidate>
        <Input
          label="Titre de la feuille de route"
          nativeInputProps={{
            id: "edition-titre",
            value: document.title,
            onChange: (e) =>
              edit((d) => {
                d.title = e.target.value;
              }),
          }}
        />
        <Input
          label="Résumé"
          textArea
          nativeTextAreaProps={{
            id: "edition-resume",
            value: document.summary,
            onChange: (e) =>
              edit((d) => {
                d.summary = e.target.value;
              }),
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
                  onChange: (e) =>
                    edit((d) => {
                      const a = d.ambitions[ai];
                      if (a) a.title = e.target.value;
                    }),
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
                      edit((d) => {
                        const c = d.ambitions[ai]?.targets[ti];
                        if (c) c.title = e.target.value;
                      }),
                  }}
                />
                {target.operationalFields.map((field, fi) => (
                  <div key={field.id} className={fr.cx("fr-pl-4w")}>
                    <Input
                      label={`Titre du champ opérationnel ${ai + 1}.${ti + 1}.${fi + 1}`}
                      nativeInputProps={{
                        id: `${field.id}-titre`,
                        value: field.title,
                        onChange: (e) =>
                          edit((d) => {
                            const f = d.ambitions[ai]?.targets[ti]?.operationalFields[fi];
                            if (f) f.title = e.target.value;
                          }),
                      }}
                    />
                    {field.indicatorRefs.flatMap((ref) =>
                      ref.objectives.map((o) => (
                        <ObjectiveFields
                          key={o.id}
                          objective={o}
                          label={objectiveLabel(ref.label, o)}
                          draft={drafts[o.id]}
                          onChange={(key, value) => setDraft(o.id, key, value)}
                          errors={errors}
                        />
                      )),
                    )}
                  </div>
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

function ObjectiveFields({
  objective,
  label,
  draft,
  onChange,
  errors,
}: {
  objective: Objective;
  label: string;
  draft: ObjectiveDraft | undefined;
  onChange: (key: keyof ObjectiveDraft, value: string) => void;
  errors: readonly FieldError[];
}) {
  if (!draft) return null;
  const field = (key: keyof ObjectiveDraft, suffix: string, text: string, hint?: string) => {
    const id = `${objective.id}-${suffix}`;
    const error = errors.find((e) => e.fieldId === id);
    return (
      <Input
        label={text}
        {...(hint ? { hintText: hint } : {})}
        nativeInputProps={{
          id,
          value: draft[key],
          onChange: (e) => onChange(key, e.target.value),
          inputMode: key === "baseline" || key === "target" ? "decimal" : "text",
        }}
        state={error ? "error" : "default"}
        stateRelatedMessage={error?.message ?? ""}
      />
    );
  };
  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-pl-4w")}>
      <legend className={fr.cx("fr-fieldset__legend", "fr-text--regular")}>
        Objectif : {label}, {territoryText(objective.territory)} ({objective.unit})
      </legend>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {field("baseline", "base", "Base", "Vide : la plus ancienne valeur connue")}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {field("baselinePeriod", "annee-base", "Année de la base", "2024 ou 2024-2025")}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {field(
          "target",
          "cible",
          objective.mode === "increase_percent" ? "Hausse visée (%)" : "Cible",
          objective.mode === "increase_percent" ? "Par rapport à la base" : "Valeur à atteindre",
        )}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {field("period", "echeance", "Échéance", "2026 ou 2026-2027")}
      </div>
    </fieldset>
  );
}
