import { describe, expect, it } from "vitest";
import type { IpsPeers } from "../../contracts/indicators.ts";
import { ipsPeersDescription, ipsPeersMissing } from "./ips-peers-model.ts";

const base: IpsPeers = {
  label: "Par rapport aux établissements du même type de l'académie d'IPS voisin",
  ips: 100,
  ipsPeriod: "2021-2022",
  band: { min: 95, max: 105 },
  peers: 5,
  schools: 5,
  reference: 25,
  difference: 25,
  verdict: "better",
  status: "published",
  statusLabel: "publiée",
};

describe("similar-IPS peers, words", () => {
  it("says who the peers are, with the band when the viewer may see the school's IPS", () => {
    expect(ipsPeersDescription(base, "school")).toBe(
      "5 établissements du même type de l'académie, d'IPS compris entre 95 et 105 (IPS de l'établissement : 100 en 2021-2022).",
    );
    expect(ipsPeersDescription({ ...base, ips: null, band: null }, "school")).toBe(
      "5 établissements du même type de l'académie, d'IPS voisin de celui de l'établissement (± 5 points, 2021-2022).",
    );
    expect(
      ipsPeersDescription(
        { ...base, ips: 100, band: { min: 97.5, max: 102.5 }, peers: 2, schools: 80 },
        "department",
      ),
    ).toBe(
      "2 territoires du même niveau (80 établissements), d'IPS moyen compris entre 97,5 et 102,5 (IPS moyen du territoire : 100 en 2021-2022).",
    );
  });

  it("explains a missing peers' value", () => {
    expect(ipsPeersMissing(base)).toBeNull();
    expect(ipsPeersMissing({ ...base, reference: null, peers: 1, status: "suppressed-frequency" })).toContain(
      "trop peu d'établissements",
    );
    expect(ipsPeersMissing({ ...base, reference: null, status: "suppressed-dominance" })).toContain("pèse");
    expect(ipsPeersMissing({ ...base, reference: null, peers: 0 })).toContain("Aucun pair");
  });
});
