import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Stepper } from "@codegouvfr/react-dsfr/Stepper";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import type { ImportFileReport } from "../../contracts/imports.ts";
import type { JobDto } from "../../contracts/jobs.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, errorMessage } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { JobProgress } from "../ui/JobProgress.tsx";
import { useJob } from "../ui/useJob.ts";
import { FileReport } from "./FileReport.tsx";
import { ImportBatches } from "./ImportBatches.tsx";
import { importKeys, importsApi } from "./imports-api.ts";
import { MappingForm } from "./MappingForm.tsx";

const STEPS: readonly string[] = ["Déposer le fichier", "Vérifier le rapport", "Import confirmé"];

const AUDIENCE =
  "L'import de données est ouvert aux personnes qui peuvent saisir des valeurs d'indicateurs : l'équipe d'un établissement pour son établissement, les équipes de pilotage pour leur territoire.";

/** `/donnees/import`: Pix, ENT, open-data or any file → dry-run report → confirmation, with progress. */
export function DataImportPage() {
  return (
    <RequireUser title="Importer des données" permission="indicators.write" audience={AUDIENCE}>
      {() => <DataImport />}
    </RequireUser>
  );
}

/** The upload's progress, shown with the same bar as a job's (bytes sent of the file's size). */
function uploadProgress(loaded: number, total: number): JobDto {
  return {
    id: "envoi",
    type: "upload",
    state: "running",
    progress: {
      done: Math.round(loaded / 1024),
      total: Math.max(1, Math.round(total / 1024)),
      message: null,
    },
    result: null,
    error: null,
    attempts: 1,
    maxAttempts: 1,
    createdAt: "",
    startedAt: null,
    finishedAt: null,
  };
}

function DataImport() {
  const id = useId();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const reportHeadingRef = useRef<HTMLHeadingElement>(null);
  const doneHeadingRef = useRef<HTMLHeadingElement>(null);
  const profiles = useQuery({ queryKey: importKeys.profiles, queryFn: importsApi.profiles });
  const mappings = useQuery({ queryKey: importKeys.mappings, queryFn: importsApi.mappings });
  const [profileCode, setProfileCode] = useState("");
  const [school, setSchool] = useState("");
  const [period, setPeriod] = useState("");
  const [mapping, setMapping] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);
  const [buildingMapping, setBuildingMapping] = useState(false);
  const profile = profiles.data?.find((p) => p.code === profileCode);

  const dryRun = useMutation({
    mutationFn: (selected: File) =>
      importsApi.upload(selected, { profile: profileCode, school, period, mapping }, (loaded, total) =>
        setSent({ loaded, total }),
      ),
    onSettled: () => setSent(null),
  });
  const commit = useMutation({ mutationFn: (fileId: string) => importsApi.commit(fileId) });
  const job = useJob(commit.data?.jobId);
  const committed = job.data?.state === "done";
  const jobFailed = job.data?.state === "failed" || job.data?.state === "cancelled";
  const jobRunning = Boolean(commit.data) && !committed && !jobFailed && !job.isError;
  const committedReport = committed
    ? ((job.data?.result as { report?: ImportFileReport } | null)?.report ?? null)
    : null;
  useEffect(() => {
    if (committed) void queryClient.invalidateQueries();
  }, [committed, queryClient]);

  const step = committed ? 3 : dryRun.isSuccess ? 2 : 1;
  usePageTitle(`Importer des données - étape ${step} sur ${STEPS.length} : ${STEPS[step - 1]}`);
  useEffect(() => {
    if (step === 2) reportHeadingRef.current?.focus();
    if (step === 3) doneHeadingRef.current?.focus();
  }, [step]);

  const analyse = (event: FormEvent) => {
    event.preventDefault();
    if (!profileCode) return setMissing("profile");
    if (profileCode === "generic" && !mapping) return setMissing("mapping");
    if (!file) return setMissing("file");
    setMissing(null);
    commit.reset();
    dryRun.mutate(file);
  };
  const restart = () => {
    dryRun.reset();
    commit.reset();
    setFile(null);
    formRef.current?.reset();
  };
  const busy = dryRun.isPending || commit.isPending || jobRunning;

  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel="Importer des données" />
      <h1>Importer des données</h1>
      <p>
        Déposez un export tel que le service l'écrit : Pix Orga (collecte de profils, campagne d'évaluation),
        résultats de certification Pix, statistiques de l'ENT ou du GAR, fichiers de données ouvertes (IPS,
        effectifs, DNB, indicateurs de valeur ajoutée) ou tout autre fichier CSV ou XLSX avec une
        correspondance enregistrée. Vigie vérifie d'abord le fichier sans rien enregistrer ; les noms, prénoms
        et dates de naissance des élèves ne sont jamais enregistrés : seuls des comptes par établissement et
        par classe le sont.
      </p>
      <Stepper
        currentStep={step}
        stepCount={STEPS.length}
        title={STEPS[step - 1]}
        nextTitle={step < STEPS.length ? STEPS[step] : undefined}
      />
      {profiles.isError ? (
        <ErrorAlert error={profiles.error} title="Les profils d'import n'ont pas pu être chargés" />
      ) : null}
      <div aria-busy={busy}>
        {step === 1 ? (
          <form ref={formRef} onSubmit={analyse} className={fr.cx("fr-mb-4w")} noValidate>
            <Select
              label="Type de fichier"
              state={missing === "profile" ? "error" : "default"}
              stateRelatedMessage="Choisissez le type de fichier."
              disabled={busy}
              nativeSelectProps={{
                id: `${id}-profil`,
                value: profileCode,
                onChange: (event) => {
                  setProfileCode(event.target.value);
                  dryRun.reset();
                },
              }}
            >
              <option value="" disabled>
                Choisir…
              </option>
              {(profiles.data ?? []).map((p) => (
                <option key={p.code} value={p.code}>
                  {p.label}
                </option>
              ))}
            </Select>
            {profile?.needsSchool ? (
              <Input
                label="UAI de l'établissement"
                hintText="Ce fichier ne nomme pas l'établissement. Laissez vide si votre compte n'en couvre qu'un."
                disabled={busy}
                nativeInputProps={{
                  value: school,
                  onChange: (e) => setSchool(e.target.value),
                  autoComplete: "off",
                }}
              />
            ) : null}
            <Input
              label="Période (facultatif)"
              hintText="Année scolaire (2024-2025), année, mois (2025-03)… Par défaut, celle que donne le fichier."
              disabled={busy}
              nativeInputProps={{
                value: period,
                onChange: (e) => setPeriod(e.target.value),
                autoComplete: "off",
              }}
            />
            {profileCode === "generic" ? (
              <>
                <Select
                  label="Correspondance enregistrée"
                  state={missing === "mapping" ? "error" : "default"}
                  stateRelatedMessage="Choisissez une correspondance, ou créez-en une à partir du fichier."
                  disabled={busy}
                  nativeSelectProps={{ value: mapping, onChange: (e) => setMapping(e.target.value) }}
                >
                  <option value="">Choisir…</option>
                  {(mappings.data?.items ?? []).map((m) => (
                    <option key={m.mapping.name} value={m.mapping.name}>
                      {m.mapping.name}
                    </option>
                  ))}
                </Select>
                <Button
                  type="button"
                  priority="tertiary"
                  iconId="fr-icon-add-line"
                  disabled={busy}
                  onClick={() => setBuildingMapping((v) => !v)}
                >
                  {buildingMapping ? "Fermer l'écran de correspondance" : "Créer une correspondance"}
                </Button>
              </>
            ) : null}
            <Upload
              label="Fichier"
              hint="CSV (séparateur « ; », « , » ou tabulation ; UTF-8 ou Windows-1252) ou XLSX. Un seul fichier."
              state={missing === "file" ? "error" : "default"}
              stateRelatedMessage="Sélectionnez un fichier avant de lancer la vérification."
              disabled={busy}
              nativeInputProps={{
                name: "file",
                accept: ".csv,.txt,.xlsx,text/csv",
                onChange: (event) => {
                  setFile(event.target.files?.[0] ?? null);
                  dryRun.reset();
                },
              }}
            />
            {profileCode === "generic" && buildingMapping ? (
              <MappingForm
                file={file}
                onSaved={(name) => {
                  setMapping(name);
                  setBuildingMapping(false);
                  void queryClient.invalidateQueries({ queryKey: importKeys.mappings });
                }}
              />
            ) : null}
            <Button className={fr.cx("fr-mt-3w")} type="submit" iconId="fr-icon-search-line" disabled={busy}>
              Vérifier le fichier
            </Button>
          </form>
        ) : null}
        {sent ? (
          <JobProgress job={uploadProgress(sent.loaded, sent.total)} label="Envoi du fichier" unit="Ko" />
        ) : null}
        <p role="status" className={fr.cx("fr-text--bold")}>
          {dryRun.isPending && !sent ? "Vérification du fichier en cours…" : null}
          {commit.isPending || (jobRunning && !job.data) ? "Enregistrement de l'import en cours…" : null}
        </p>
        {jobRunning && job.data ? <JobProgress job={job.data} label="Enregistrement de l'import" /> : null}
        {dryRun.isError ? (
          <Alert
            className={fr.cx("fr-mb-4w")}
            severity="error"
            title="Le fichier n'a pas pu être vérifié"
            description={errorMessage(dryRun.error)}
          />
        ) : null}
        {dryRun.isSuccess && step === 2 ? (
          <section aria-labelledby={`${id}-rapport`}>
            <h2 id={`${id}-rapport`} ref={reportHeadingRef} tabIndex={-1}>
              Rapport de vérification
            </h2>
            <p>
              Ce rapport décrit ce que l'import écrirait. <strong>Rien n'a encore été enregistré.</strong>
            </p>
            <FileReport report={dryRun.data.report} />
            {commit.isError || job.isError || jobFailed ? (
              <Alert
                className={fr.cx("fr-my-4w")}
                severity="error"
                title="L'import n'a pas pu être confirmé"
                description={
                  jobFailed
                    ? (job.data?.error ?? "L'enregistrement a échoué.")
                    : errorMessage(commit.error ?? job.error)
                }
              />
            ) : null}
            <ul
              className={fr.cx(
                "fr-btns-group",
                "fr-btns-group--inline-md",
                "fr-btns-group--icon-left",
                "fr-mt-4w",
              )}
            >
              <li>
                <Button
                  iconId="fr-icon-check-line"
                  disabled={busy}
                  onClick={() => commit.mutate(dryRun.data.fileId)}
                >
                  Confirmer l'import
                </Button>
              </li>
              <li>
                <Button priority="secondary" disabled={busy} onClick={restart}>
                  Annuler et choisir un autre fichier
                </Button>
              </li>
            </ul>
          </section>
        ) : null}
        {committedReport ? (
          <section aria-labelledby={`${id}-confirme`}>
            <h2 id={`${id}-confirme`} ref={doneHeadingRef} tabIndex={-1}>
              Import confirmé
            </h2>
            <Alert
              className={fr.cx("fr-mb-4w")}
              severity="success"
              small
              description={`L'import a été enregistré${committedReport.batchId ? ` (lot ${committedReport.batchId})` : ""}. Les tableaux de bord sont mis à jour.`}
            />
            <FileReport report={committedReport} />
            <ul
              className={fr.cx(
                "fr-btns-group",
                "fr-btns-group--inline-md",
                "fr-btns-group--icon-left",
                "fr-mt-4w",
              )}
            >
              <li>
                <Button priority="secondary" onClick={restart}>
                  Importer un autre fichier
                </Button>
              </li>
              <li>
                <Link className={fr.cx("fr-btn", "fr-btn--tertiary")} to="/competences">
                  Voir les compétences numériques
                </Link>
              </li>
            </ul>
          </section>
        ) : null}
      </div>
      <ImportBatches />
    </>
  );
}
