import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import type { CampaignSummary } from "../../contracts/collection.ts";
import type { SessionUser } from "../../contracts/identity.ts";
import { formatDate, formatInteger } from "../format.ts";
import { holds } from "../identity/permissions.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { approvalPath } from "./approval-model.ts";
import { PHASE_LABELS, PHASE_SEVERITY, respondingSchools, statusPath } from "./campaigns-model.ts";
import { collectionApi, collectionKeys } from "./collection-api.ts";

const TITLE = "Campagnes de collecte";

/** `/collecte`: the campaigns the user takes part in, with what they can do in each. */
export function CampaignsPage() {
  return (
    <RequireUser
      title={TITLE}
      audience="Les campagnes de collecte sont réservées aux comptes de l'Éducation nationale."
    >
      {(user) => <Campaigns user={user} />}
    </RequireUser>
  );
}

function Campaigns({ user }: { user: SessionUser }) {
  usePageTitle(TITLE);
  const query = useQuery({ queryKey: collectionKeys.campaigns, queryFn: collectionApi.campaigns });
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel={TITLE} />
      <h1>{TITLE}</h1>
      <p>
        Une campagne interroge les établissements d'un territoire avec un formulaire : chaque établissement
        répond en ligne, les réponses sont contrôlées à la saisie puis validées, et les valeurs alimentent les
        indicateurs de l'observatoire.
      </p>
      {holds(user, "collection.manage") ? (
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-mb-2w")}>
          <li>
            <Link className={fr.cx("fr-btn")} to="/collecte/nouvelle">
              Lancer une campagne
            </Link>
          </li>
          <li>
            <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to="/collecte/formulaires">
              Formulaires
            </Link>
          </li>
        </ul>
      ) : null}
      {query.isPending ? (
        <Loading label="Chargement des campagnes…" />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : query.data.items.length === 0 ? (
        <p>Aucune campagne ne vous concerne pour l'instant.</p>
      ) : (
        <CampaignTable campaigns={query.data.items} user={user} />
      )}
    </>
  );
}

function PhaseBadge({ phase }: { phase: CampaignSummary["phase"] }) {
  const severity = PHASE_SEVERITY[phase];
  return (
    <Badge as="span" small {...(severity ? { severity } : { noIcon: true })}>
      {PHASE_LABELS[phase]}
    </Badge>
  );
}

function Actions({ campaign, user }: { campaign: CampaignSummary; user: SessionUser }) {
  const schools = respondingSchools(user, campaign);
  const status = statusPath(user, campaign);
  const approval = approvalPath(user, campaign);
  if (schools.length === 0 && !status) return <span className="fr-sr-only">Aucune action</span>;
  return (
    <ul className={fr.cx("fr-raw-list")}>
      {schools.map((s) => (
        <li key={s.uai}>
          <Link to={`/collecte/${encodeURIComponent(campaign.id)}/${encodeURIComponent(s.uai)}`}>
            Répondre<span className="fr-sr-only"> pour {s.label}</span>
          </Link>
          {schools.length > 1 ? <span aria-hidden="true"> ({s.label})</span> : null}
        </li>
      ))}
      {status ? (
        <li>
          <Link to={status}>
            Complétude<span className="fr-sr-only"> de « {campaign.title} »</span>
          </Link>
        </li>
      ) : null}
      {approval ? (
        <li>
          <Link to={approval}>
            Validation<span className="fr-sr-only"> de « {campaign.title} »</span>
          </Link>
        </li>
      ) : null}
    </ul>
  );
}

function CampaignTable({ campaigns, user }: { campaigns: CampaignSummary[]; user: SessionUser }) {
  return (
    <DataTable
      caption={`Campagnes (${campaigns.length})`}
      head={
        <tr>
          <th scope="col">Campagne</th>
          <th scope="col">Territoire</th>
          <th scope="col">Période</th>
          <th scope="col">Dates</th>
          <th scope="col">État</th>
          <th scope="col">Transmis / attendus</th>
          <th scope="col">Actions</th>
        </tr>
      }
    >
      {campaigns.map((c) => (
        <tr key={c.id}>
          <th scope="row">{c.title}</th>
          <td>{c.territoryLabel}</td>
          <td>{c.period}</td>
          <td>
            du {formatDate(c.opensOn)} au {formatDate(c.closesOn)}
          </td>
          <td>
            <PhaseBadge phase={c.phase} />
          </td>
          <td>
            {formatInteger(c.submitted)} / {formatInteger(c.expected)}
          </td>
          <td>
            <Actions campaign={c} user={user} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
