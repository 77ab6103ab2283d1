import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import type { CampaignInput, TemplateSummary } from "../../contracts/collection.ts";
import type { FormsList } from "../../contracts/collection-forms.ts";
import type { SessionUser } from "../../contracts/identity.ts";
import { SCHOOL_TYPE_LABELS } from "../../contracts/labels.ts";
import { ROLE_LABELS } from "../../contracts/permissions.ts";
import { SCHOOL_TYPES, type SchoolType } from "../../contracts/schools.ts";
import { plural } from "../format.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { type FieldError, FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import {
  addDays,
  type CampaignForm,
  defaultPeriod,
  FEED_LABELS,
  FIELD_IDS,
  manageScopes,
  OTHER_TERRITORY,
  PERIOD_KIND_TEXT,
  readCampaignForm,
  todayInFrance,
} from "./campaigns-model.ts";
import { collectionApi, collectionKeys } from "./collection-api.ts";
import { formKeys, formsApi } from "./forms-api.ts";

const TITLE = "Lancer une campagne de collecte";
const SEGMENTS = [{ label: "Campagnes de collecte", linkProps: { to: "/collecte" } }];

/** `/collecte/nouvelle`: a campaign from a shipped template or a saved form, for one of the manager's territories. */
export function NewCampaignPage() {
  return (
    <RequireUser
      title={TITLE}
      segments={SEGMENTS}
      permission="collection.manage"
      audience="Le lancement d'une campagne est réservé aux DANE, DRANE et à l'administration nationale."
    >
      {(user) => <NewCampaign user={user} />}
    </RequireUser>
  );
}

function NewCampaign({ user }: { user: SessionUser }) {
  usePageTitle(TITLE);
  const templates = useQuery({ queryKey: collectionKeys.templates, queryFn: collectionApi.templates });
  const forms = useQuery({ queryKey: formKeys.list, queryFn: formsApi.list });
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={SEGMENTS} currentPageLabel={TITLE} />
      <h1>{TITLE}</h1>
      <p>
        Les établissements ouverts du territoire qui passent les filtres reçoivent le formulaire du modèle
        choisi. La cible est arrêtée au lancement ; le formulaire garde sa version pendant toute la campagne.
      </p>
      {templates.isPending ? (
        <Loading label="Chargement des modèles…" />
      ) : templates.isError ? (
        <ErrorAlert error={templates.error} />
      ) : (
        <CampaignFormView
          templates={[...templates.data.items, ...savedFormChoices(forms.data)]}
          user={user}
        />
      )}
    </>
  );
}

// A form a DANE saved is chosen like a template (`form:<code>`), then sent as `form`: the server
// takes its latest version. It has no period kind of its own; a school year is proposed.
const SAVED_FORM = "form:";

function savedFormChoices(forms: FormsList | undefined): TemplateSummary[] {
  return (forms?.items ?? []).map((f) => ({
    code: `${SAVED_FORM}${f.code}`,
    title: `Formulaire enregistré « ${f.title} » (version ${f.version})`,
    description: null,
    periodKind: "school_year",
    fields: f.fields,
    rules: f.rules,
  }));
}

function withSavedForm(input: CampaignInput): CampaignInput {
  if (!input.template?.startsWith(SAVED_FORM)) return input;
  const { template, ...rest } = input;
  return { ...rest, form: template.slice(SAVED_FORM.length) };
}

function initialForm(user: SessionUser): CampaignForm {
  const today = todayInFrance();
  const scopes = manageScopes(user);
  return {
    template: "",
    periodKind: null,
    territoryChoice: scopes[0]?.key ?? OTHER_TERRITORY,
    territoryText: "",
    title: "",
    period: "",
    opensOn: today,
    closesOn: addDays(today, 28),
    expiryDays: "",
    schoolTypes: [],
    sector: "",
    priorityEducation: false,
    uais: "",
    respondents: "",
    feed: "",
  };
}

type Setter = <K extends keyof CampaignForm>(key: K, value: CampaignForm[K]) => void;

function CampaignFormView({ templates, user }: { templates: TemplateSummary[]; user: SessionUser }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => initialForm(user));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const set: Setter = (key, value) => setForm((f) => ({ ...f, [key]: value }));
  const create = useMutation({
    mutationFn: collectionApi.createCampaign,
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: collectionKeys.campaigns });
      navigate(`/collecte/${encodeURIComponent(created.id)}/suivi`);
    },
  });
  const chooseTemplate = (t: TemplateSummary) =>
    setForm((f) => ({
      ...f,
      template: t.code,
      periodKind: t.periodKind,
      // A period already typed for the same kind is kept; otherwise the current one.
      period:
        f.periodKind === t.periodKind && f.period ? f.period : defaultPeriod(t.periodKind, todayInFrance()),
    }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = readCampaignForm(form);
    setErrors(read.ok ? [] : read.errors);
    setSubmits((n) => n + 1);
    create.reset();
    if (read.ok) create.mutate(withSavedForm(read.input));
  };
  const errorOf = (id: string) => errors.find((e) => e.fieldId === id)?.message;
  return (
    <>
      <FormErrorSummary
        title={create.isError ? "La campagne n'a pas été lancée" : undefined}
        errors={errors}
        general={create.isError ? errorMessage(create.error) : null}
        focusKey={submits}
      />
      <form onSubmit={submit} noValidate>
        <TemplateChoice
          templates={templates}
          form={form}
          choose={chooseTemplate}
          error={errorOf(FIELD_IDS.template)}
        />
        <TerritoryChoice user={user} form={form} set={set} errorOf={errorOf} />
        <PeriodAndDates form={form} set={set} errorOf={errorOf} />
        <TargetFilters form={form} set={set} errorOf={errorOf} />
        <Options form={form} set={set} errorOf={errorOf} />
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? "Lancement en cours…" : "Lancer la campagne"}
        </Button>
      </form>
    </>
  );
}

function TemplateChoice({
  templates,
  form,
  choose,
  error,
}: {
  templates: TemplateSummary[];
  form: CampaignForm;
  choose: (t: TemplateSummary) => void;
  error: string | undefined;
}) {
  return (
    <RadioButtons
      // The DSFR numbers the radios after the fieldset's id: the first is FIELD_IDS.template.
      id="campagne-modele"
      legend="Modèle"
      name="modele"
      state={error ? "error" : "default"}
      stateRelatedMessage={error ? `Modèle : ${error}` : undefined}
      options={templates.map((t) => ({
        label: t.title,
        hintText: `${t.description ? `${t.description} ` : ""}${plural(t.fields, "champ")}, ${plural(t.rules, "règle")} de contrôle ; période : ${PERIOD_KIND_TEXT[t.periodKind].label.toLowerCase()}.`,
        nativeInputProps: {
          value: t.code,
          checked: form.template === t.code,
          onChange: () => choose(t),
        },
      }))}
    />
  );
}

interface Part {
  form: CampaignForm;
  set: Setter;
  errorOf: (id: string) => string | undefined;
}

function state(message: string | undefined) {
  return message ? { state: "error" as const, stateRelatedMessage: message } : {};
}

function TerritoryChoice({ user, form, set, errorOf }: Part & { user: SessionUser }) {
  const scopes = manageScopes(user);
  return (
    <>
      <Select
        label="Territoire"
        hint="Vos territoires, ou une de leurs parties (un département, un district…)."
        nativeSelectProps={{
          id: FIELD_IDS.territoryChoice,
          value: form.territoryChoice,
          onChange: (e) => set("territoryChoice", e.target.value),
        }}
        {...state(errorOf(FIELD_IDS.territoryChoice))}
      >
        {scopes.map((s) => (
          <option key={s.key} value={s.key}>
            {s.label} ({s.key})
          </option>
        ))}
        <option value={OTHER_TERRITORY}>Autre territoire de votre périmètre…</option>
      </Select>
      {form.territoryChoice === OTHER_TERRITORY ? (
        <Input
          label="Clé du territoire"
          hintText="Par exemple department:33, academy:04 ou un code seul quand il ne désigne qu'un territoire (2A)."
          nativeInputProps={{
            id: FIELD_IDS.territoryText,
            value: form.territoryText,
            onChange: (e) => set("territoryText", e.target.value),
          }}
          {...state(errorOf(FIELD_IDS.territoryText))}
        />
      ) : null}
    </>
  );
}

function PeriodAndDates({ form, set, errorOf }: Part) {
  const kind = form.periodKind ? PERIOD_KIND_TEXT[form.periodKind] : null;
  return (
    <>
      <Input
        label="Titre (facultatif)"
        hintText="Par défaut, le titre du modèle suivi de la période."
        nativeInputProps={{
          id: FIELD_IDS.title,
          value: form.title,
          onChange: (e) => set("title", e.target.value),
        }}
      />
      <Input
        label={kind ? `Période : ${kind.label.toLowerCase()}` : "Période"}
        hintText={kind ? kind.hint : "Choisissez d'abord un modèle : il dit le type de période."}
        nativeInputProps={{
          id: FIELD_IDS.period,
          value: form.period,
          onChange: (e) => set("period", e.target.value),
          inputMode: "numeric",
        }}
        {...state(errorOf(FIELD_IDS.period))}
      />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <Input
            label="Date d'ouverture"
            hintText="Les établissements peuvent répondre à partir de ce jour."
            nativeInputProps={{
              id: FIELD_IDS.opensOn,
              type: "date",
              value: form.opensOn,
              onChange: (e) => set("opensOn", e.target.value),
            }}
            {...state(errorOf(FIELD_IDS.opensOn))}
          />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <Input
            label="Date de clôture"
            hintText="Les réponses transmises jusqu'à ce jour inclus sont à temps."
            nativeInputProps={{
              id: FIELD_IDS.closesOn,
              type: "date",
              value: form.closesOn,
              onChange: (e) => set("closesOn", e.target.value),
            }}
            {...state(errorOf(FIELD_IDS.closesOn))}
          />
        </div>
      </div>
      <Input
        label="Saisie tardive, en jours (facultatif)"
        hintText="Jours après la clôture pendant lesquels les établissements peuvent encore répondre ; ensuite les réponses sont verrouillées. Vide : la durée du modèle."
        nativeInputProps={{
          id: FIELD_IDS.expiryDays,
          value: form.expiryDays,
          inputMode: "numeric",
          onChange: (e) => set("expiryDays", e.target.value),
        }}
        {...state(errorOf(FIELD_IDS.expiryDays))}
      />
    </>
  );
}

function TargetFilters({ form, set, errorOf }: Part) {
  const toggle = (type: SchoolType, on: boolean) =>
    set("schoolTypes", on ? [...form.schoolTypes, type] : form.schoolTypes.filter((t) => t !== type));
  return (
    <fieldset className={fr.cx("fr-fieldset")} aria-labelledby="campagne-cible-legende">
      <legend id="campagne-cible-legende" className={fr.cx("fr-fieldset__legend")}>
        Établissements interrogés (facultatif)
        <span className={fr.cx("fr-hint-text")}>
          Sans filtre : tous les établissements ouverts du territoire (ou les types prévus par le modèle).
        </span>
      </legend>
      <div className={fr.cx("fr-fieldset__element")}>
        <Checkbox
          legend="Types d'établissement"
          orientation="horizontal"
          small
          options={SCHOOL_TYPES.filter((t) => t !== "administration").map((t) => ({
            label: SCHOOL_TYPE_LABELS[t],
            nativeInputProps: {
              checked: form.schoolTypes.includes(t),
              onChange: (e) => toggle(t, e.target.checked),
            },
          }))}
        />
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <Select
          label="Secteur"
          nativeSelectProps={{
            id: "campagne-secteur",
            value: form.sector,
            onChange: (e) => set("sector", e.target.value as CampaignForm["sector"]),
          }}
        >
          <option value="">Public et privé</option>
          <option value="public">Public</option>
          <option value="private">Privé</option>
        </Select>
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <Checkbox
          small
          options={[
            {
              label: "Seulement l'éducation prioritaire (REP et REP+)",
              nativeInputProps: {
                checked: form.priorityEducation,
                onChange: (e) => set("priorityEducation", e.target.checked),
              },
            },
          ]}
        />
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <Input
          label="Liste d'UAI"
          hintText="Seulement ces établissements du territoire : UAI séparés par des espaces, virgules ou retours à la ligne."
          textArea
          nativeTextAreaProps={{
            id: FIELD_IDS.uais,
            value: form.uais,
            rows: 3,
            onChange: (e) => set("uais", e.target.value),
          }}
          {...state(errorOf(FIELD_IDS.uais))}
        />
      </div>
    </fieldset>
  );
}

function Options({ form, set }: Part) {
  return (
    <>
      <Select
        label="Qui répond"
        nativeSelectProps={{
          id: "campagne-repondants",
          value: form.respondents,
          onChange: (e) => set("respondents", e.target.value as CampaignForm["respondents"]),
        }}
      >
        <option value="">Comme le prévoit le modèle</option>
        <option value="both">
          {ROLE_LABELS["school-head"]} et {ROLE_LABELS["school-referent"]}
        </option>
        <option value="school-head">{ROLE_LABELS["school-head"]}</option>
        <option value="school-referent">{ROLE_LABELS["school-referent"]}</option>
      </Select>
      <Select
        label="Les réponses alimentent l'observatoire"
        nativeSelectProps={{
          id: "campagne-alimentation",
          value: form.feed,
          onChange: (e) => set("feed", e.target.value as CampaignForm["feed"]),
        }}
      >
        <option value="">Comme le prévoit le modèle</option>
        <option value="submitted">{FEED_LABELS.submitted}</option>
        <option value="approved">{FEED_LABELS.approved}</option>
      </Select>
    </>
  );
}
