import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { PersonalDataRequestList } from "../../contracts/personal-data.ts";
import { plural } from "../format.ts";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { formatDateTime } from "./format-time.ts";
import { identityApi, identityKeys } from "./identity-api.ts";
import { REQUEST_STATUS_LABELS } from "./MyDataPage.tsx";
import { RequireUser } from "./RequireUser.tsx";

const TITLE = "Demandes sur les données personnelles";
type Request = PersonalDataRequestList["items"][number];

/** `/administration/demandes-donnees`: deletion requests to handle (national administrators). */
export function PersonalDataRequestsPage() {
  return (
    <RequireUser
      title={TITLE}
      permission="settings.manage"
      audience="Cette page est réservée aux administrateurs nationaux."
    >
      {() => <Requests />}
    </RequireUser>
  );
}

function Requests() {
  usePageTitle(TITLE);
  const [showClosed, setShowClosed] = useState(false);
  const status = showClosed ? "all" : "open";
  const query = useQuery({
    queryKey: identityKeys.personalDataRequestsWith(status),
    queryFn: () => identityApi.personalDataRequests(status),
  });
  const [selected, setSelected] = useState<Request | null>(null);
  const [done, setDone] = useState<string | null>(null);

  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel={TITLE} />
      <h1>{TITLE}</h1>
      <p>
        Les personnes demandent la suppression de leur compte depuis la page « Mes données ». Répondez dans le
        mois (article 12 du RGPD). Supprimer le compte efface ses rôles, ses sessions et ses liens, et
        remplace son adresse par « compte supprimé n° … » dans le journal d'audit ; la demande reste comme
        preuve de son traitement, le temps fixé dans les durées de conservation.
      </p>
      {done ? <Alert className={fr.cx("fr-mb-4w")} severity="success" small description={done} /> : null}
      <Button priority="tertiary" className={fr.cx("fr-mb-2w")} onClick={() => setShowClosed((v) => !v)}>
        {showClosed ? "N'afficher que les demandes en cours" : "Afficher aussi les demandes traitées"}
      </Button>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : query.data.items.length === 0 ? (
        <p role="status">{showClosed ? "Aucune demande." : "Aucune demande en cours."}</p>
      ) : (
        <Table
          caption={`${showClosed ? "Toutes les demandes" : "Demandes en cours"} : ${plural(query.data.items.length, "demande")}`}
          headers={["Adresse", "Demande", "Faite le", "Message", "État", "Action"]}
          data={query.data.items.map((r) => [
            r.email,
            "Suppression du compte",
            formatDateTime(r.createdAt),
            r.message ?? "—",
            `${REQUEST_STATUS_LABELS[r.status]}${r.handledAt ? ` le ${formatDateTime(r.handledAt)}` : ""}`,
            r.status === "open" ? (
              <Button
                key="handle"
                size="small"
                priority="secondary"
                onClick={() => {
                  setDone(null);
                  setSelected(r);
                }}
              >
                Traiter<span className={fr.cx("fr-sr-only")}> la demande de {r.email}</span>
              </Button>
            ) : (
              "—"
            ),
          ])}
        />
      )}
      {selected ? (
        <HandleRequest
          key={selected.id}
          request={selected}
          onClose={(message) => {
            setSelected(null);
            setDone(message);
          }}
        />
      ) : null}
    </>
  );
}

function HandleRequest({
  request,
  onClose,
}: {
  request: Request;
  onClose: (message: string | null) => void;
}) {
  const queryClient = useQueryClient();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [reason, setReason] = useState("");
  useEffect(() => headingRef.current?.focus(), []);
  const close = useMutation({
    mutationFn: (decision: "done" | "refused") =>
      identityApi.closePersonalDataRequest(request.id, decision, reason.trim() || undefined),
    onSuccess: async (_answer, decision) => {
      await queryClient.invalidateQueries({ queryKey: identityKeys.personalDataRequests });
      await queryClient.invalidateQueries({ queryKey: identityKeys.users });
      onClose(
        decision === "done"
          ? `Le compte de ${request.email} est supprimé et la demande est close.`
          : `La demande de ${request.email} est refusée et close.`,
      );
    },
  });
  return (
    <section
      aria-labelledby="traiter-titre"
      className={fr.cx("fr-mt-4w", "fr-p-3w")}
      style={{ border: "1px solid var(--border-default-grey)" }}
    >
      <h2 id="traiter-titre" ref={headingRef} tabIndex={-1} className={fr.cx("fr-h5")}>
        Traiter la demande de {request.email}
      </h2>
      {!request.userExists ? <p>Le compte n'existe plus : il n'y a plus qu'à clore la demande.</p> : null}
      <Input
        label="Motif (facultatif, gardé dans le journal d'audit)"
        textArea
        nativeTextAreaProps={{
          id: "traiter-motif",
          value: reason,
          maxLength: 2000,
          onChange: (e) => setReason(e.target.value),
        }}
      />
      {close.isError ? (
        <Alert
          className={fr.cx("fr-mb-2w")}
          severity="error"
          title="La demande n'a pas pu être traitée"
          description={errorMessage(close.error)}
        />
      ) : null}
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <li>
          <Button
            iconId="fr-icon-delete-line"
            disabled={close.isPending}
            onClick={() => close.mutate("done")}
          >
            {request.userExists ? "Supprimer le compte et clore la demande" : "Clore la demande"}
          </Button>
        </li>
        <li>
          <Button priority="secondary" disabled={close.isPending} onClick={() => close.mutate("refused")}>
            Refuser la demande
          </Button>
        </li>
        <li>
          <Button priority="tertiary" disabled={close.isPending} onClick={() => onClose(null)}>
            Annuler
          </Button>
        </li>
      </ul>
    </section>
  );
}
