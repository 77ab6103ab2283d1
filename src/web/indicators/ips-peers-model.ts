import type { IpsPeers, NodeLevel } from "../../contracts/indicators.ts";
import { formatNumber } from "./model.ts";

/*
 * The words of the similar-IPS peers comparison (docs/observatory.md): who the peers are, and
 * why a peers' value may be missing. Pure, unit-tested.
 */

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);

/** « 5 établissements du même type de l'académie, d'IPS compris entre 95 et 105 (IPS de l'établissement : 100 en 2021-2022). » */
export function ipsPeersDescription(peers: IpsPeers, level: NodeLevel): string {
  const isSchool = level === "school";
  const who = isSchool
    ? `${peers.peers} ${plural(peers.peers, "établissement", "établissements")} du même type de l'académie`
    : `${peers.peers} ${plural(peers.peers, "territoire", "territoires")} du même niveau (${peers.schools} ${plural(peers.schools, "établissement", "établissements")})`;
  const own = isSchool ? "IPS de l'établissement" : "IPS moyen du territoire";
  if (peers.band === null || peers.ips === null)
    return `${who}, d'IPS voisin de celui de l'établissement (± 5 points, ${peers.ipsPeriod}).`;
  return `${who}, d'IPS ${isSchool ? "" : "moyen "}compris entre ${formatNumber(peers.band.min)} et ${formatNumber(peers.band.max)} (${own} : ${formatNumber(peers.ips)} en ${peers.ipsPeriod}).`;
}

/** Why the peers show no value; null when they do. */
export function ipsPeersMissing(peers: IpsPeers): string | null {
  if (peers.reference !== null) return null;
  if (peers.peers === 0) return "Aucun pair d'IPS voisin n'a de valeur pour cette période.";
  if (peers.status === "suppressed-frequency")
    return "Secret statistique : trop peu d'établissements pairs pour publier leur valeur.";
  if (peers.status === "suppressed-dominance")
    return "Secret statistique : un établissement pair pèse presque toute la valeur du groupe.";
  return "Valeur des pairs indisponible.";
}
