import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { Comparator, Objective, RoadmapDocument } from "../../contracts/roadmaps.ts";
import type { RoadmapDetail } from "../../contracts/roadmaps-api.ts";
import type { TerritoryRef } from "../../contracts/territories.ts";
import { ApiError, isNotFound } from "../api.ts";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { type FieldError, FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { objectiveLabel, objectivePeriod, territoryText } from "./labels.ts";
import { roadmapQueryKey } from "./RoadmapPage.tsx";
import { ROADMAPS_QUERY_KEY, roadmapsApi } from "./roadmaps-api.ts";

/**
 * `/feuilles-de-route/:id/modifier`: titles, each objective's baseline, target and deadline, and the
 * structure under an operational field: add an indicator of the catalogue, add or remove objectives.
 */
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

/** Every `id` of the document, to keep a new objective's id unique. */
function idsOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) idsOf(v, into);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k === "id" && typeof v === "string") into.add(v);
      else idsOf(v, into);
    }
  return into;
}

/** `obj-<n>`, the first one not used in the document. */
export function newObjectiveId(document: RoadmapDocument): string {
  const ids = idsOf(document);
  let n = 1;
  for (const id of ids) {
    const m = /^obj-(\d+)$/.exec(id);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  while (ids.has(`obj-${n}`)) n++;
  return `obj-${n}`;
}

const territoryKey = (t: TerritoryRef) => `${t.level}:${t.code}`;

/** The roadmap's territory first, then the other territories its objectives already use. */
function territoriesOf(document: RoadmapDocument): TerritoryRef[] {
  const found = new Map<string, TerritoryRef>([[territoryKey(document.territory), document.territory]]);
  for (const { objective } of objectivesOf(document))
    if (!found.has(territoryKey(objective.territory)))
      found.set(territoryKey(objective.territory), objective.territory);
  return [...found.values()];
}

const draftOf = (o: Objective): ObjectiveDraft => ({
  baseline: o.baseline ? String(o.baseline.value) : "",
  baselinePeriod: o.baseline ? String(o.baseline.schoolYear ?? o.baseline.year ?? "") : "",
  target: String(o.target),
  period: objectivePeriod(o),
});

interface CatalogueItem {
  code: string;
  name: string;
  unit: string;
}

function EditForm({ roadmap }: { roadmap: RoadmapDetail }) {
  const title = `Modifier « ${roadmap.title} »`;
  usePageTitle(title);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [document, setDocument] = useState<RoadmapDocument>(() => structuredClone(roadmap.document));
  const [drafts, setDrafts] = useState<Record<string, ObjectiveDraft>>(() =>
    Object.fromEntries(objectivesOf(roadmap.document).map(({ objective: o }) => [o.id, draftOf(o)])),
  );
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const save = useMutation({
    mutationFn: (next: RoadmapDocument) => roadmapsApi.update(roadmap.id, roadmap.version, next),
    onSuccess: (saved) => {
      // Leave the editor first: refetching while it is mounted would show it again at the new version.
      queryClient.setQueryData(roadmapQueryKey(saved.slug), saved);
      navigate(`/feuilles-de-route/${saved.slug}`);
      void queryClient.invalidateQueries({ queryKey: ROADMAPS_QUERY_KEY });
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 409;
  const catalogue = useQuery({
    queryKey: ["indicator-catalogue", "roadmap-editor"],
    queryFn: () => roadmapsApi.indicators(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const catalogueItems: CatalogueItem[] = catalogue.data?.items ?? [];
  const [focusId, setFocusId] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  useEffect(() => {
    if (focusId === null) return;
    globalThis.document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);
  const territories = territoriesOf(document);
  /** Errors of an « Ajouter » sub-form, shown in the summary above the form. */
  const showErrors = (found: FieldError[]) => {
    setErrors(found);
    setSubmits((n) => n + 1);
  };

  type FieldPath = readonly [number, number, number];
  const fieldAt = (d: RoadmapDocument, [ai, ti, fi]: FieldPath) =>
    d.ambitions[ai]?.targets[ti]?.operationalFields[fi];

  const addObjective = (path: FieldPath, ri: number, values: Omit<Objective, "id">) => {
    const id = newObjectiveId(document);
    const objective = { id, ...values } as Objective;
    edit((d) => fieldAt(d, path)?.indicatorRefs[ri]?.objectives.push(objective));
    setDrafts((current) => ({ ...current, [id]: draftOf(objective) }));
    setErrors([]);
    setNotice(`Objectif ${id} ajouté. Il sera enregistré avec la feuille de route.`);
    setFocusId(`${id}-cible`);
  };
  const removeObjective = (path: FieldPath, ri: number, objectiveId: string, focusAfter: string) => {
    edit((d) => {
      const ref = fieldAt(d, path)?.indicatorRefs[ri];
      if (ref) ref.objectives = ref.objectives.filter((o) => o.id !== objectiveId);
    });
    setErrors((current) => current.filter((e) => !e.fieldId.startsWith(`${objectiveId}-`)));
    setNotice(`Objectif ${objectiveId} retiré. Enregistrez pour confirmer.`);
    setFocusId(focusAfter);
  };
  const addIndicator = (path: FieldPath, item: CatalogueItem, label: string) => {
    const field = fieldAt(document, path);
    const ri = field?.indicatorRefs.length ?? 0;
    edit((d) => fieldAt(d, path)?.indicatorRefs.push({ indicatorCode: item.code, label, objectives: [] }));
    setErrors([]);
    setNotice(`Indicateur « ${label} » ajouté au champ. Ajoutez-lui un objectif puis enregistrez.`);
    if (field) setFocusId(`nouveau-${field.id}-${ri}-echeance`);
  };

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
      <p aria-live="polite" className={fr.cx("fr-sr-only")}>
        {notice}
      </p>
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
                    {field.indicatorRefs.map((ref, ri) => {
                      const path = [ai, ti, fi] as const;
                      const prefix = `nouveau-${field.id}-${ri}`;
                      const unit =
                        ref.objectives[0]?.unit ??
                        catalogueItems.find((i) => i.code === ref.indicatorCode)?.unit ??
                        "";
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
                            <p className={fr.cx("fr-fieldset__element")}>
                              Aucun objectif chiffré pour cet indicateur.
                            </p>
                          ) : null}
                          {ref.objectives.map((o) => (
                            <ObjectiveFields
                              key={o.id}
                              objective={o}
                              label={objectiveLabel(ref.label, o)}
                              draft={drafts[o.id]}
                              onChange={(key, value) => setDraft(o.id, key, value)}
                              onRemove={() => removeObjective(path, ri, o.id, `${prefix}-echeance`)}
                              errors={errors}
                            />
                          ))}
                          <NewObjective
                            prefix={prefix}
                            indicatorLabel={ref.label}
                            territories={territories}
                            defaultUnit={unit}
                            errors={errors}
                            onErrors={showErrors}
                            onAdd={(values) =>
                              addObjective(path, ri, {
                                indicatorCode: ref.indicatorCode,
                                ...(ref.disaggregation ? { disaggregation: ref.disaggregation } : {}),
                                ...values,
                              })
                            }
                          />
                        </fieldset>
                      );
                    })}
                    <NewIndicator
                      prefix={`indicateur-${field.id}`}
                      fieldLabel={`${ai + 1}.${ti + 1}.${fi + 1}`}
                      catalogue={catalogueItems}
                      catalogueError={catalogue.isError}
                      existing={field.indicatorRefs
                        .filter((r) => r.disaggregation === undefined)
                        .map((r) => r.indicatorCode)}
                      errors={errors}
                      onErrors={showErrors}
                      onAdd={(item, label) => addIndicator([ai, ti, fi], item, label)}
                    />
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
  onRemove,
  errors,
}: {
  objective: Objective;
  label: string;
  draft: ObjectiveDraft | undefined;
  onChange: (key: keyof ObjectiveDraft, value: string) => void;
  onRemove: () => void;
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
      <div className={fr.cx("fr-fieldset__element")}>
        <Button
          type="button"
          priority="tertiary"
          size="small"
          iconId="fr-icon-delete-line"
          onClick={onRemove}
        >
          Retirer l'objectif
          <span className={fr.cx("fr-sr-only")}>
            {" "}
            {label}, {territoryText(objective.territory)}, {objectivePeriod(objective)}
          </span>
        </Button>
      </div>
    </fieldset>
  );
}

const COMPARATOR_LABELS: Record<Comparator, string> = {
  ">=": "≥ au moins la cible",
  "<=": "≤ au plus la cible",
  "=": "= exactement la cible",
};

/** « Ajouter un objectif » under one indicator: checked here, then added to the document in memory. */
function NewObjective({
  prefix,
  indicatorLabel,
  territories,
  defaultUnit,
  errors,
  onErrors,
  onAdd,
}: {
  prefix: string;
  indicatorLabel: string;
  territories: readonly TerritoryRef[];
  defaultUnit: string;
  errors: readonly FieldError[];
  onErrors: (errors: FieldError[]) => void;
  onAdd: (values: Omit<Objective, "id" | "indicatorCode">) => void;
}) {
  const first = territories[0];
  const [territory, setTerritory] = useState(first ? territoryKey(first) : "");
  const [period, setPeriod] = useState("");
  const [baseline, setBaseline] = useState("");
  const [baselinePeriod, setBaselinePeriod] = useState("");
  const [target, setTarget] = useState("");
  const [comparatorValue, setComparator] = useState<Comparator>(">=");
  const [unit, setUnit] = useState<string | null>(null);
  const unitValue = unit ?? defaultUnit;
  const where = `nouvel objectif, ${indicatorLabel}`;
  const errorOf = (suffix: string) => errors.find((e) => e.fieldId === `${prefix}-${suffix}`);
  const input = (
    suffix: string,
    text: string,
    value: string,
    set: (v: string) => void,
    hint?: string,
    decimal = false,
  ) => {
    const error = errorOf(suffix);
    return (
      <Input
        label={text}
        {...(hint ? { hintText: hint } : {})}
        nativeInputProps={{
          id: `${prefix}-${suffix}`,
          value,
          onChange: (e) => set(e.target.value),
          inputMode: decimal ? "decimal" : "text",
        }}
        state={error ? "error" : "default"}
        stateRelatedMessage={error?.message ?? ""}
      />
    );
  };

  const add = () => {
    const found: FieldError[] = [];
    const chosen = territories.find((t) => territoryKey(t) === territory);
    if (!chosen)
      found.push({
        fieldId: `${prefix}-territoire`,
        label: `Territoire, ${where}`,
        message: "choisissez un territoire.",
      });
    const p = parsePeriod(period);
    if (!p)
      found.push({
        fieldId: `${prefix}-echeance`,
        label: `Échéance, ${where}`,
        message: "saisissez une année (2026) ou une année scolaire (2026-2027).",
      });
    const t = parseNumber(target);
    if (t === null)
      found.push({ fieldId: `${prefix}-cible`, label: `Cible, ${where}`, message: "saisissez un nombre." });
    const b = parseNumber(baseline);
    if (baseline.trim() !== "" && b === null)
      found.push({
        fieldId: `${prefix}-base`,
        label: `Base, ${where}`,
        message: "saisissez un nombre ou laissez vide.",
      });
    const bp = baselinePeriod.trim() === "" ? {} : parsePeriod(baselinePeriod);
    if (bp === null)
      found.push({
        fieldId: `${prefix}-annee-base`,
        label: `Année de la base, ${where}`,
        message: "saisissez une année (2024) ou une année scolaire (2024-2025), ou laissez vide.",
      });
    if (unitValue.trim() === "")
      found.push({
        fieldId: `${prefix}-unite`,
        label: `Unité, ${where}`,
        message: "indiquez l'unité de l'indicateur.",
      });
    if (found.length > 0 || !chosen || !p || t === null || bp === null) {
      onErrors(found);
      return;
    }
    onAdd({
      territory: chosen,
      ...p,
      mode: "level",
      ...(b !== null ? { baseline: { value: b, ...bp } } : {}),
      target: t,
      unit: unitValue.trim(),
      comparator: comparatorValue,
      perYear: false,
    });
    setPeriod("");
    setBaseline("");
    setBaselinePeriod("");
    setTarget("");
  };

  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-pl-4w")}>
      <legend className={fr.cx("fr-fieldset__legend", "fr-text--regular")}>
        Ajouter un objectif à « {indicatorLabel} »
      </legend>
      <div className={fr.cx("fr-fieldset__element")}>
        <Select
          label="Territoire"
          nativeSelectProps={{
            id: `${prefix}-territoire`,
            value: territory,
            onChange: (e) => setTerritory(e.target.value),
          }}
        >
          {territories.map((t) => (
            <option key={territoryKey(t)} value={territoryKey(t)}>
              {territoryText(t)}
            </option>
          ))}
        </Select>
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input("echeance", "Échéance", period, setPeriod, "2026 ou 2026-2027")}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input(
          "base",
          "Base (facultatif)",
          baseline,
          setBaseline,
          "Vide : la plus ancienne valeur connue",
          true,
        )}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input(
          "annee-base",
          "Année de la base (facultatif)",
          baselinePeriod,
          setBaselinePeriod,
          "2024 ou 2024-2025",
        )}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input("cible", "Cible", target, setTarget, "Valeur à atteindre", true)}
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        <Select
          label="Comparateur"
          nativeSelectProps={{
            id: `${prefix}-comparateur`,
            value: comparatorValue,
            onChange: (e) => setComparator(e.target.value as Comparator),
          }}
        >
          {(Object.keys(COMPARATOR_LABELS) as Comparator[]).map((c) => (
            <option key={c} value={c}>
              {COMPARATOR_LABELS[c]}
            </option>
          ))}
        </Select>
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        {input("unite", "Unité", unitValue, (v) => setUnit(v), "Celle de l'indicateur")}
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <Button type="button" priority="secondary" size="small" iconId="fr-icon-add-line" onClick={add}>
          Ajouter l'objectif
          <span className={fr.cx("fr-sr-only")}> à « {indicatorLabel} »</span>
        </Button>
      </div>
    </fieldset>
  );
}

/** « Ajouter un indicateur » to an operational field, chosen from the catalogue. */
function NewIndicator({
  prefix,
  fieldLabel,
  catalogue,
  catalogueError,
  existing,
  errors,
  onErrors,
  onAdd,
}: {
  prefix: string;
  fieldLabel: string;
  catalogue: readonly CatalogueItem[];
  catalogueError: boolean;
  existing: readonly string[];
  errors: readonly FieldError[];
  onErrors: (errors: FieldError[]) => void;
  onAdd: (item: CatalogueItem, label: string) => void;
}) {
  const [code, setCode] = useState("");
  const [label, setLabel] = useState<string | null>(null);
  const item = catalogue.find((i) => i.code === code);
  const labelValue = label ?? item?.name ?? "";
  const where = `nouvel indicateur du champ ${fieldLabel}`;
  const codeError = errors.find((e) => e.fieldId === `${prefix}-code`);
  const labelError = errors.find((e) => e.fieldId === `${prefix}-libelle`);
  const add = () => {
    const found: FieldError[] = [];
    if (!item)
      found.push({
        fieldId: `${prefix}-code`,
        label: `Indicateur, ${where}`,
        message: "choisissez un indicateur.",
      });
    else if (existing.includes(item.code))
      found.push({
        fieldId: `${prefix}-code`,
        label: `Indicateur, ${where}`,
        message: "cet indicateur est déjà suivi dans ce champ.",
      });
    if (labelValue.trim() === "")
      found.push({
        fieldId: `${prefix}-libelle`,
        label: `Libellé, ${where}`,
        message: "indiquez un libellé.",
      });
    if (found.length > 0 || !item) {
      onErrors(found);
      return;
    }
    onAdd(item, labelValue.trim());
    setCode("");
    setLabel(null);
  };
  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-pl-4w")}>
      <legend className={fr.cx("fr-fieldset__legend", "fr-text--regular")}>
        Ajouter un indicateur au champ opérationnel {fieldLabel}
      </legend>
      {catalogueError ? (
        <p className={fr.cx("fr-fieldset__element", "fr-error-text")}>
          Le catalogue des indicateurs n'a pas pu être chargé : rechargez la page.
        </p>
      ) : null}
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        <Select
          label="Indicateur du catalogue"
          nativeSelectProps={{ id: `${prefix}-code`, value: code, onChange: (e) => setCode(e.target.value) }}
          state={codeError ? "error" : "default"}
          stateRelatedMessage={codeError?.message ?? ""}
        >
          <option value="">Choisir un indicateur</option>
          {catalogue.map((i) => (
            <option key={i.code} value={i.code}>
              {i.name} ({i.unit})
            </option>
          ))}
        </Select>
      </div>
      <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
        <Input
          label="Libellé dans la feuille de route"
          hintText="Par défaut, le nom de l'indicateur"
          nativeInputProps={{
            id: `${prefix}-libelle`,
            value: labelValue,
            onChange: (e) => setLabel(e.target.value),
          }}
          state={labelError ? "error" : "default"}
          stateRelatedMessage={labelError?.message ?? ""}
        />
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <Button type="button" priority="secondary" size="small" iconId="fr-icon-add-line" onClick={add}>
          Ajouter l'indicateur
          <span className={fr.cx("fr-sr-only")}> au champ {fieldLabel}</span>
        </Button>
      </div>
    </fieldset>
  );
}
