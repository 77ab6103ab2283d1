import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { auditActionLabel } from "../../contracts/audit-labels.ts";
import type { RoleId } from "../../contracts/identity.ts";
import type { MyData, PersonalDataRequestDto } from "../../contracts/personal-data.ts";
import { plural } from "../format.ts";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { formatDateTime, formatShortDateTime, summaryEntries } from "./format-time.ts";
import { identityApi, identityKeys } from "./identity-api.ts";
import { ROLE_LABELS } from "./permissions.ts";
import { RequireUser } from "./RequireUser.tsx";

const TITLE = "Mes données";
const SEGMENTS = [{ label: "Mon compte", linkProps: { to: "/mon-compte" } }];
/** The audit events shown on the page; the downloads hold them all. */
const EVENTS_SHOWN = 50;

export const REQUEST_STATUS_LABELS: Record<PersonalDataRequestDto["status"], string> = {
  open: "En cours",
  done: "Traitée",
  refused: "Refusée",
};

/** `/mes-donnees`: everything Vigie holds about me, its download, and the deletion request. */
export function MyDataPage() {
  return (
    <RequireUser title={TITLE} segments={SEGMENTS}>
      {() => <MyDataContent />}
    </RequireUser>
  );
}

function MyDataContent() {
  usePageTitle(TITLE);
  const data = useQuery({ queryKey: identityKeys.myData, queryFn: identityApi.myData, staleTime: 0 });
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={SEGMENTS} currentPageLabel={TITLE} />
      <h1>{TITLE}</h1>
      <p>
        Voici tout ce que Vigie conserve sur vous : votre compte, vos rôles, vos sessions et les événements du
        journal d'audit que vous avez faits ou qui concernent votre compte. Ni votre mot de passe ni les
        jetons de vos sessions n'y figurent : Vigie ne garde de votre mot de passe qu'une empreinte qui ne
        permet pas de le retrouver. Le <Link to="/registre-des-traitements">registre des traitements</Link>{" "}
        décrit pourquoi et combien de temps ces données sont conservées.
      </p>
      <ul className={fr.cx("fr-raw-list", "fr-mb-6w")}>
        <li className={fr.cx("fr-mb-1w")}>
          <a
            className={fr.cx("fr-link", "fr-link--download")}
            href="/api/v1/me/data"
            download="mes-donnees-vigie.json"
          >
            Télécharger mes données<span className={fr.cx("fr-link__detail")}>JSON, tout le contenu</span>
          </a>
        </li>
        <li>
          <a className={fr.cx("fr-link", "fr-link--download")} href="/api/v1/me/data.csv">
            Télécharger mes données<span className={fr.cx("fr-link__detail")}>CSV, pour un tableur</span>
          </a>
        </li>
      </ul>
      {data.isPending ? (
        <Loading />
      ) : data.isError ? (
        <ErrorAlert error={data.error} />
      ) : (
        <DataSections data={data.data} />
      )}
      <DeletionRequest
        openRequest={data.data?.requests.find((r) => r.status === "open" && r.kind === "deletion")}
      />
    </>
  );
}

function DataSections({ data }: { data: MyData }) {
  const { account } = data;
  const events = data.auditEvents.slice(0, EVENTS_SHOWN);
  return (
    <>
      <section aria-labelledby="compte-titre" className={fr.cx("fr-mb-6w")}>
        <h2 id="compte-titre">Mon compte</h2>
        <Table
          caption="Les informations de mon compte"
          headers={["Information", "Valeur"]}
          noScroll
          data={[
            ["Adresse électronique", account.email],
            ["Prénom", account.givenName ?? "non renseigné"],
            ["Nom", account.familyName ?? "non renseigné"],
            ["Compte créé le", formatDateTime(account.createdAt)],
            ["Dernière connexion", formatDateTime(account.lastLoginAt)],
            ["Mot de passe Vigie", account.hasPassword ? "défini" : "aucun"],
            [
              "ProConnect",
              account.proconnect.linked
                ? `lié${account.proconnect.siret ? ` (SIRET de votre structure : ${account.proconnect.siret})` : ""}`
                : "non utilisé",
            ],
          ]}
        />
      </section>

      <section aria-labelledby="mes-roles-titre" className={fr.cx("fr-mb-6w")}>
        <h2 id="mes-roles-titre">Mes rôles</h2>
        {data.roles.length === 0 ? (
          <p>Aucun rôle.</p>
        ) : (
          <Table
            caption={`Mes rôles : ${plural(data.roles.length, "rôle")}`}
            headers={["Rôle", "Territoire", "Attribué le", "Par"]}
            data={data.roles.map((r) => [
              ROLE_LABELS[r.role as RoleId] ?? r.roleLabel,
              r.territoryLabel,
              formatDateTime(r.grantedAt),
              r.grantedBy ?? "—",
            ])}
          />
        )}
      </section>

      <section aria-labelledby="sessions-titre" className={fr.cx("fr-mb-6w")}>
        <h2 id="sessions-titre">Mes sessions</h2>
        <Table
          caption={`Mes sessions ouvertes : ${plural(data.sessions.length, "session")}`}
          headers={["Ouverte le", "Dernière activité", "Expire le", "Connexion", "Adresse IP", "Navigateur"]}
          data={data.sessions.map((s) => [
            `${formatDateTime(s.createdAt)}${s.current ? " (cette session)" : ""}`,
            formatDateTime(s.lastSeenAt),
            formatDateTime(s.expiresAt),
            s.authMethod === "proconnect" ? "ProConnect" : "mot de passe",
            s.ip ?? "—",
            s.userAgent ?? "—",
          ])}
        />
      </section>

      <section aria-labelledby="journal-titre" className={fr.cx("fr-mb-6w")}>
        <h2 id="journal-titre">Mes traces dans le journal d'audit</h2>
        <p>
          {data.auditEvents.length > EVENTS_SHOWN
            ? `Les ${EVENTS_SHOWN} plus récentes sur ${plural(data.auditEvents.length, "événement")} ; le téléchargement les contient toutes.`
            : `${plural(data.auditEvents.length, "événement")}.`}
        </p>
        {events.length > 0 ? (
          <Table
            caption="Événements du journal d'audit me concernant, du plus récent au plus ancien"
            headers={["Date", "Action", "Auteur", "Détails"]}
            data={events.map((e) => [
              formatShortDateTime(e.occurredAt),
              auditActionLabel(e.action),
              e.actorLabel,
              summaryEntries(e.summary)
                .map(([k, v]) => `${k} : ${v}`)
                .join(" ; ") || "—",
            ])}
          />
        ) : null}
      </section>

      <section aria-labelledby="demandes-titre" className={fr.cx("fr-mb-6w")}>
        <h2 id="demandes-titre">Mes demandes</h2>
        {data.requests.length === 0 ? (
          <p>Aucune demande.</p>
        ) : (
          <Table
            caption="Mes demandes sur mes données personnelles"
            headers={["Demande", "Faite le", "État", "Traitée le"]}
            data={data.requests.map((r) => [
              "Suppression du compte",
              formatDateTime(r.createdAt),
              REQUEST_STATUS_LABELS[r.status],
              formatDateTime(r.handledAt, "—"),
            ])}
          />
        )}
      </section>
    </>
  );
}

const MESSAGE_ID = "suppression-message";

/** Asking for the account's deletion: a first button, then an explicit confirmation. */
function DeletionRequest({ openRequest }: { openRequest: PersonalDataRequestDto | undefined }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState("");
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const send = useMutation({
    mutationFn: () => identityApi.requestDeletion(message.trim()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: identityKeys.myData }),
  });

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (send.isSuccess) resultRef.current?.focus();
  }, [send.isSuccess]);

  return (
    <section aria-labelledby="suppression-titre" className={fr.cx("fr-mb-6w")}>
      <h2 id="suppression-titre">Supprimer mon compte</h2>
      {send.isSuccess ? (
        <div ref={resultRef} tabIndex={-1}>
          <Alert severity="success" title="Demande enregistrée" description={send.data.message} />
        </div>
      ) : openRequest ? (
        <Alert
          severity="info"
          small
          description={`Votre demande de suppression du ${formatDateTime(openRequest.createdAt)} est en cours de traitement par un administrateur national.`}
        />
      ) : (
        <>
          <p>
            Vous pouvez demander la suppression de votre compte. Un administrateur national la traite dans un
            délai d'un mois au plus : votre compte, vos rôles et vos sessions sont alors supprimés, et votre
            adresse électronique est remplacée par « compte supprimé » dans le journal d'audit.
          </p>
          {!confirming ? (
            <Button priority="secondary" iconId="fr-icon-delete-line" onClick={() => setConfirming(true)}>
              Demander la suppression de mon compte
            </Button>
          ) : (
            <div className={fr.cx("fr-p-3w")} style={{ border: "1px solid var(--border-default-grey)" }}>
              <h3 ref={confirmRef} tabIndex={-1} className={fr.cx("fr-h6")}>
                Confirmez-vous la demande de suppression de votre compte ?
              </h3>
              <p>Une fois la demande traitée, vous ne pourrez plus vous connecter à Vigie avec ce compte.</p>
              <Input
                label="Message pour l'administrateur (facultatif)"
                textArea
                nativeTextAreaProps={{
                  id: MESSAGE_ID,
                  value: message,
                  maxLength: 2000,
                  onChange: (event) => setMessage(event.target.value),
                }}
              />
              {send.isError ? (
                <Alert
                  className={fr.cx("fr-mb-2w")}
                  severity="error"
                  title="La demande n'a pas pu être enregistrée"
                  description={errorMessage(send.error)}
                />
              ) : null}
              <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
                <li>
                  <Button iconId="fr-icon-check-line" disabled={send.isPending} onClick={() => send.mutate()}>
                    Confirmer la demande de suppression
                  </Button>
                </li>
                <li>
                  <Button priority="secondary" disabled={send.isPending} onClick={() => setConfirming(false)}>
                    Annuler
                  </Button>
                </li>
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
