import { fr } from "@codegouvfr/react-dsfr";
import type { IpsPeers, NodeLevel } from "../../contracts/indicators.ts";
import { VerdictTag } from "./cells.tsx";
import { ipsPeersDescription, ipsPeersMissing } from "./ips-peers-model.ts";
import { formatDifference, formatValue, verdictSentence } from "./model.ts";

const AGAINST = "les pairs d'IPS voisin";

/** The card of the indicator page's comparisons: peers with a similar IPS (docs/observatory.md). */
export function IpsPeersCard({
  peers,
  level,
  unit,
}: {
  peers: IpsPeers | null;
  level: NodeLevel;
  unit: string;
}) {
  const comparable = ["school", "academy", "academicRegion", "department"].includes(level);
  if (!comparable) return null;
  return (
    <li className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
      <div className="vigie-card" data-testid="ips-peers">
        <h3 className={fr.cx("fr-text--md", "fr-mb-1w")}>
          {peers?.label ?? "Par rapport aux pairs d'IPS voisin"}
        </h3>
        {peers === null ? (
          <p className={fr.cx("fr-mb-0")}>
            Comparaison impossible : l'indice de position sociale (IPS) n'est pas connu ici (import « ips »).
          </p>
        ) : (
          <>
            {peers.reference !== null ? (
              <>
                <p className={fr.cx("fr-mb-1w")}>
                  Référence : {formatValue(peers.reference, unit)}
                  {peers.difference !== null ? ` · écart ${formatDifference(peers.difference, unit)}` : ""}
                </p>
                <p className={fr.cx("fr-mb-1w")}>
                  {peers.verdict === null ? (
                    verdictSentence(null, AGAINST)
                  ) : (
                    <VerdictTag verdict={peers.verdict} label={verdictSentence(peers.verdict, AGAINST)} />
                  )}
                </p>
              </>
            ) : (
              <p className={fr.cx("fr-mb-1w")}>{ipsPeersMissing(peers)}</p>
            )}
            <p className={fr.cx("fr-text--sm", "fr-mb-0")}>{ipsPeersDescription(peers, level)}</p>
          </>
        )}
      </div>
    </li>
  );
}

/** One line of a key-indicator card: the value of the similar-IPS peers and the gap to it. */
export function IpsPeersLine({ peers, unit }: { peers: IpsPeers | null | undefined; unit: string }) {
  if (!peers) return null;
  const missing = ipsPeersMissing(peers);
  return (
    <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
      Pairs d'IPS voisin ({peers.peers}) :{" "}
      {missing !== null ? (
        "secret statistique ou sans valeur"
      ) : (
        <>
          {formatValue(peers.reference as number, unit)}
          {peers.difference !== null ? (
            <>
              {" "}
              · écart {formatDifference(peers.difference, unit)}{" "}
              <VerdictTag verdict={peers.verdict} decorative />{" "}
              <span className="fr-sr-only">{verdictSentence(peers.verdict, AGAINST)}</span>
            </>
          ) : null}
        </>
      )}
    </p>
  );
}
