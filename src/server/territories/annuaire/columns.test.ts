import { describe, expect, it } from "vitest";
import {
  ANNUAIRE_2023_COLUMNS,
  ANNUAIRE_2026_COLUMNS,
  normalizeColumnName,
  resolveColumns,
} from "./columns.ts";

describe("normalizeColumnName", () => {
  it("ignores case, accents, spaces, apostrophes and a BOM", () => {
    expect(normalizeColumnName("Code postal")).toBe("code_postal");
    expect(normalizeColumnName("Code_Postal")).toBe("code_postal");
    expect(normalizeColumnName("\uFEFFIdentifiant de l'établissement")).toBe(
      "identifiant_de_l_etablissement",
    );
    expect(normalizeColumnName(" Libellé  nature ")).toBe("libelle_nature");
  });
});

describe("resolveColumns", () => {
  it("recognises the 2023 layout (69 columns, pupils, circonscription by name only)", () => {
    expect(ANNUAIRE_2023_COLUMNS).toHaveLength(69);
    const columns = resolveColumns(ANNUAIRE_2023_COLUMNS);
    expect(columns.layout).toBe("2023");
    expect(columns.index.uai).toBe(0);
    expect(columns.index.postalCode).toBe(ANNUAIRE_2023_COLUMNS.indexOf("Code postal"));
    expect(columns.index.pupils).toBe(ANNUAIRE_2023_COLUMNS.indexOf("Nombre_d_eleves"));
    expect(columns.index.circonscriptionName).toBe(ANNUAIRE_2023_COLUMNS.indexOf("nom_circonscription"));
    expect(columns.index.circonscriptionCode).toBeUndefined();
  });

  it("recognises the 2026 layout (other names and count, codes for circonscriptions, no pupils)", () => {
    expect(ANNUAIRE_2026_COLUMNS).toHaveLength(71);
    const columns = resolveColumns(ANNUAIRE_2026_COLUMNS);
    expect(columns.layout).toBe("2026");
    expect(columns.index.postalCode).toBe(ANNUAIRE_2026_COLUMNS.indexOf("Code_postal"));
    expect(columns.index.circonscriptionCode).toBe(ANNUAIRE_2026_COLUMNS.indexOf("code_circonscription"));
    expect(columns.index.bassinCode).toBe(ANNUAIRE_2026_COLUMNS.indexOf("code_bassin_formation"));
    expect(columns.index.pupils).toBeUndefined();
  });

  it("finds columns by name whatever their order and spelling", () => {
    const columns = resolveColumns([
      "Nom de l'établissement",
      "ETAT",
      "uai",
      "Code département",
      "Nom commune",
    ]);
    expect(columns.index).toMatchObject({ name: 0, state: 1, uai: 2, departmentCode: 3, communeName: 4 });
    expect(columns.layout).toBe("inconnue");
  });

  it("uses the first of two columns with the same normalised name and reports the repeat", () => {
    const columns = resolveColumns(["UAI", "Nom_etablissement", "uai"]);
    expect(columns.index.uai).toBe(0);
    expect(columns.repeated).toEqual(["uai"]);
  });
});
