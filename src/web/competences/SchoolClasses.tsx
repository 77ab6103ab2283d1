import { useQuery } from "@tanstack/react-query";
import type { CompetenceClasses } from "../../contracts/competences.ts";
import { CRCN_COMPETENCES } from "../../contracts/crcn.ts";
import { ApiError, request } from "../api.ts";
import { formatInteger } from "../format.ts";
import { formatNumber } from "../indicators/model.ts";
import { ErrorAlert } from "../layout/QueryState.tsx";
import { DataTable } from "../ui/DataTable.tsx";

/** Steps of the heat-map scale for a mean level (0–8), as on the territory heat maps. */
const levelStep = (level: number) => Math.max(0, Math.min(4, Math.floor((level / 8) * 5)));

/**
 * A school's Pix collection class by class, for its own staff and the people whose role covers
 * it: hidden (no request answer) for everyone else, since classes are below the publication
 * thresholds.
 */
export function SchoolClasses({ uai, period }: { uai: string; period: string }) {
  const query = useQuery({
    queryKey: ["competences", "classes", uai, period],
    queryFn: () =>
      request<CompetenceClasses>(
        `/api/v1/competences/schools/${encodeURIComponent(uai)}/classes?${new URLSearchParams({ period })}`,
      ),
    retry: false,
  });
  if (query.error instanceof ApiError && (query.error.status === 401 || query.error.status === 403))
    return null;
  if (query.isError)
    return <ErrorAlert error={query.error} title="Les chiffres par classe n'ont pas pu être chargés" />;
  if (!query.data) return null;
  const classes = query.data.classes;
  return (
    <section aria-labelledby="par-classe">
      <h2 id="par-classe">Par classe (réservé à l'équipe de l'établissement)</h2>
      {classes.length === 0 ? (
        <p>Aucune collecte de profils Pix importée pour cette année scolaire.</p>
      ) : (
        <>
          <p>
            Chiffres de la dernière collecte de chaque classe. Ils ne sont pas publiés : une classe compte
            souvent moins de 10 élèves.
          </p>
          <DataTable
            caption="Profils Pix par classe"
            head={
              <tr>
                <th scope="col">Classe</th>
                <th scope="col">Participants</th>
                <th scope="col">Profils envoyés</th>
                <th scope="col">Certifiables</th>
                <th scope="col">Score moyen</th>
                <th scope="col">Au niveau visé partout</th>
              </tr>
            }
          >
            {classes.map((c) => (
              <tr key={`${c.class ?? c.campaignId}`}>
                <th scope="row">{c.class ?? `campagne ${c.campaignId}`}</th>
                <td>{formatInteger(c.participants)}</td>
                <td>{formatInteger(c.shared)}</td>
                <td>{formatInteger(c.certifiable)}</td>
                <td>{c.meanPix === null ? "pas de profil envoyé" : `${formatNumber(c.meanPix)} pix`}</td>
                <td>{c.targetReached === null ? "pas de niveau visé" : formatInteger(c.targetReached)}</td>
              </tr>
            ))}
          </DataTable>
          <DataTable
            caption="Niveau moyen par compétence et par classe"
            head={
              <tr>
                <th scope="col">Compétence</th>
                {classes.map((c) => (
                  <th key={`${c.class ?? c.campaignId}`} scope="col">
                    {c.class ?? `campagne ${c.campaignId}`}
                  </th>
                ))}
              </tr>
            }
          >
            {CRCN_COMPETENCES.map((k) => (
              <tr key={k.code}>
                <th scope="row">
                  {k.code} {k.name}
                </th>
                {classes.map((c) => {
                  const level = c.competences.find((x) => x.competence === k.code)?.meanLevel ?? null;
                  return (
                    <td
                      key={`${c.class ?? c.campaignId}`}
                      className={level === null ? undefined : `vigie-heat vigie-heat--${levelStep(level)}`}
                    >
                      {level === null ? "pas de donnée" : formatNumber(level)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}
