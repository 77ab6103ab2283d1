import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { DISTRICT_KIND_LABELS, SCHOOL_SECTOR_LABELS, SCHOOL_TYPE_LABELS } from "../../contracts/labels.ts";
import type { SchoolDetail } from "../../contracts/territories.ts";
import { nodeKey } from "../../contracts/territory-tree.ts";
import { api, isNotFound, territoryKeys } from "../api.ts";
import { formatCoordinate, formatDate, formatInteger } from "../format.ts";
import { KeyIndicatorsSection } from "../indicators/KeyIndicatorsSection.tsx";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { PriorityEducationBadge, SchoolStatusBadge } from "../ui/StatusBadge.tsx";
import { levelLabel, territoryPath } from "./paths.ts";

/** `/etablissements/:uai` */
export function SchoolPage() {
  const uai = useParams().uai ?? "";
  const query = useQuery({ queryKey: territoryKeys.school(uai), queryFn: () => api.school(uai) });

  if (isNotFound(query.error)) {
    return (
      <NotFoundPage
        title="Établissement introuvable"
        message={query.error instanceof Error ? query.error.message : undefined}
      />
    );
  }
  if (query.isPending) return <SchoolLoading />;
  if (query.isError) return <SchoolError error={query.error} />;
  return <SchoolView school={query.data} />;
}

function SchoolLoading() {
  usePageTitle("Chargement de l'établissement");
  return <Loading label="Chargement de l'établissement…" />;
}

function SchoolError({ error }: { error: unknown }) {
  usePageTitle("Erreur");
  return <ErrorAlert error={error} title="L'établissement n'a pas pu être chargé" />;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={fr.cx("fr-col-12", "fr-col-sm-6", "fr-col-lg-4", "fr-mb-2w")}>
      <dt className={fr.cx("fr-text--sm", "fr-mb-0")} style={{ color: "var(--text-mention-grey)" }}>
        {label}
      </dt>
      <dd className={fr.cx("fr-text--lg", "fr-mb-0", "fr-ml-0")}>{children}</dd>
    </div>
  );
}

function SchoolView({ school }: { school: SchoolDetail }) {
  usePageTitle(`${school.name} (${school.uai})`);
  const commune = [school.postalCode, school.communeName].filter(Boolean).join(" ");
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={school.ancestors.map((ancestor) => ({
          label: ancestor.name,
          linkProps: { to: territoryPath(ancestor.level, ancestor.code) },
        }))}
        currentPageLabel={school.name}
      />
      <p className={fr.cx("fr-mb-1w", "fr-text--lg")}>
        {SCHOOL_TYPE_LABELS[school.type]} · {SCHOOL_SECTOR_LABELS[school.sector].toLowerCase()}
      </p>
      <h1>{school.name}</h1>
      <p>
        <SchoolStatusBadge status={school.status} />
      </p>

      <section className={fr.cx("fr-mt-4w")} aria-labelledby="identite-titre">
        <h2 id="identite-titre">Identité</h2>
        <dl className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <Field label="UAI">{school.uai}</Field>
          <Field label="Type">{SCHOOL_TYPE_LABELS[school.type]}</Field>
          <Field label="Nature">
            {school.natureLabel
              ? `${school.natureLabel}${school.natureCode ? ` (${school.natureCode})` : ""}`
              : "Non renseignée"}
          </Field>
          <Field label="Secteur">{SCHOOL_SECTOR_LABELS[school.sector]}</Field>
          <Field label="Éducation prioritaire">
            {school.priorityEducation === null ? (
              "Hors éducation prioritaire"
            ) : (
              <PriorityEducationBadge value={school.priorityEducation} />
            )}
          </Field>
          <Field label="État">{school.status === "open" ? "Ouvert" : "Fermé"}</Field>
          <Field label="Commune">{commune || "Non renseignée"}</Field>
          <Field label="Date d'ouverture">
            {school.openedOn ? formatDate(school.openedOn) : "Non renseignée"}
          </Field>
          <Field label="Élèves">
            {school.pupils === null ? "Non renseigné" : formatInteger(school.pupils)}
          </Field>
        </dl>
      </section>

      <KeyIndicatorsSection level="school" code={school.uai} />

      <section className={fr.cx("fr-mt-4w")} aria-labelledby="territoires-titre">
        <h2 id="territoires-titre">Territoires</h2>
        <ul>
          {school.ancestors
            .filter((ancestor) => ancestor.level !== "nation")
            .map((ancestor) => (
              <li key={nodeKey(ancestor)}>
                {levelLabel(ancestor.level)} :{" "}
                <Link to={territoryPath(ancestor.level, ancestor.code)}>{ancestor.name}</Link>
              </li>
            ))}
          {school.districts.map((district) => (
            <li key={`district:${district.code}`}>
              {DISTRICT_KIND_LABELS[district.districtKind]} :{" "}
              <Link to={territoryPath("district", district.code)}>{district.name}</Link>
            </li>
          ))}
        </ul>
        {school.districts.length === 0 ? (
          <p>Cet établissement n'est rattaché à aucun bassin ni circonscription connus.</p>
        ) : null}
      </section>

      <section className={fr.cx("fr-mt-4w")} aria-labelledby="localisation-titre">
        <h2 id="localisation-titre">Localisation</h2>
        {school.latitude !== null && school.longitude !== null ? (
          <>
            <p>
              Latitude {formatCoordinate(school.latitude)}, longitude {formatCoordinate(school.longitude)}{" "}
              (WGS 84).
            </p>
            <p>
              <a
                className={fr.cx("fr-link")}
                href={`https://www.openstreetmap.org/?mlat=${school.latitude}&mlon=${school.longitude}#map=16/${school.latitude}/${school.longitude}`}
                target="_blank"
                rel="noopener noreferrer"
                title="Voir sur OpenStreetMap - nouvelle fenêtre"
              >
                Voir sur OpenStreetMap
              </a>
            </p>
          </>
        ) : (
          <p>Les coordonnées de cet établissement ne sont pas connues.</p>
        )}
      </section>

      <p className={fr.cx("fr-text--sm", "fr-mt-4w")}>
        Données mises à jour le {formatDate(school.updatedAt)}. Source : Annuaire de l'éducation.
      </p>
    </>
  );
}
