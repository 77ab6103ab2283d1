import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { ANNUAIRE_2026_COLUMNS } from "./columns.ts";
import { AnnuaireFormatError } from "./errors.ts";
import { parseAnnuaire } from "./parse.ts";

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../tests/fixtures/annuaire",
);
const fixture = (name: string) => path.join(fixtures, name);
const byUai = <T extends { uai: string }>(records: T[]) => new Map(records.map((r) => [r.uai, r]));

describe("parseAnnuaire on the 2023 layout (UTF-8 with BOM, CRLF)", async () => {
  const parsed = await parseAnnuaire(fixture("annuaire-2023-bom-crlf.csv"));
  const schools = byUai(parsed.records);

  it("recognises layout, encoding and separator, and reads every row", () => {
    expect(parsed).toMatchObject({ layout: "2023", encoding: "utf-8-bom", separator: ";", read: 12 });
    expect(parsed.records).toHaveLength(12);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.fileSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("maps a row to a complete SchoolRecord", () => {
    expect(schools.get("0350001L")).toEqual({
      uai: "0350001L",
      name: "Ecole primaire publique les Lucioles",
      type: "ecole_primaire",
      natureCode: "151",
      natureLabel: "ECOLE DE NIVEAU ELEMENTAIRE",
      sector: "public",
      priorityEducation: null,
      communeCode: "35016",
      communeName: "Baulon",
      postalCode: "35580",
      latitude: 47.98614492070133,
      longitude: -1.9294895003671315,
      departmentCode: "35",
      academyCode: "14",
      academicRegionCode: "53",
      bassin: null,
      circonscription: { code: "C-035-bruz", name: "Circonscription d'inspection du 1er degré de Bruz" },
      status: "open",
      openedOn: "1965-10-01",
      pupils: 143,
      sourceUpdatedOn: "2023-06-08",
    });
  });

  it("keeps a quoted ; inside a name and reads decimal commas and spaced counts", () => {
    expect(schools.get("0350004P")?.name).toBe("Collège Les Gayeulles; site Nord");
    expect(schools.get("0350002M")).toMatchObject({ latitude: 48.1113, longitude: -1.68 });
    expect(schools.get("0350005R")?.pupils).toBe(1204);
    expect(schools.get("0350006S")?.pupils).toBeNull();
  });

  it("normalises département codes (035 → 35, 620 → 2A, 720 → 2B, 971) and derives the académie", () => {
    expect(schools.get("0350001L")).toMatchObject({
      departmentCode: "35",
      academyCode: "14",
      academicRegionCode: "53",
    });
    expect(schools.get("6200001G")).toMatchObject({
      departmentCode: "2A",
      academyCode: "27",
      academicRegionCode: "94",
    });
    expect(schools.get("7200001N")).toMatchObject({ departmentCode: "2B", academyCode: "27" });
    expect(schools.get("9710001Z")).toMatchObject({
      departmentCode: "971",
      academyCode: "32",
      academicRegionCode: "01",
    });
  });

  it("reads sectors, éducation prioritaire, types and closures", () => {
    expect(schools.get("0350005R")?.sector).toBe("private_contract");
    expect(schools.get("0350006S")?.sector).toBe("private_no_contract");
    expect(schools.get("0350009V")?.sector).toBe("private_contract");
    expect(schools.get("0350007T")).toMatchObject({ sector: "public", type: "administration" });
    expect(schools.get("0350002M")).toMatchObject({ priorityEducation: "REP", type: "ecole_maternelle" });
    expect(schools.get("0350003N")).toMatchObject({ priorityEducation: "REP+", type: "ecole_elementaire" });
    expect(schools.get("0350008U")?.status).toBe("closed");
    expect(schools.get("0350009V")?.status).toBe("open"); // A FERMER is still open
    expect(schools.get("7200001N")?.type).toBe("lycee_polyvalent");
  });
});

describe("parseAnnuaire on the 2026 layout (UTF-8 without BOM, LF)", async () => {
  const parsed = await parseAnnuaire(fs.readFileSync(fixture("annuaire-2026-lf.csv")));
  const schools = byUai(parsed.records);

  it("recognises the layout and leaves pupils empty (the column is gone)", () => {
    expect(parsed).toMatchObject({ layout: "2026", encoding: "utf-8", read: 6 });
    expect(parsed.records.every((r) => r.pupils === null)).toBe(true);
    expect(schools.get("0350001L")?.postalCode).toBe("35580");
  });

  it("uses the circonscription and bassin codes of the file", () => {
    expect(schools.get("0350001L")?.circonscription).toEqual({
      code: "C-0351916T",
      name: "Circonscription d'inspection du 1er degré de Bruz",
    });
    expect(schools.get("0350004P")?.bassin).toEqual({ code: "B-14035001", name: "Bassin de Rennes" });
  });
});

describe("parseAnnuaire on other encodings and separators", () => {
  it("reads Windows-1252 with its accents", async () => {
    const parsed = await parseAnnuaire(fixture("annuaire-2023-windows-1252.csv"));
    expect(parsed.encoding).toBe("windows-1252");
    expect(parsed.records.map((r) => r.name)).toEqual([
      "Ecole élémentaire publique Jean Moulin",
      "Collège Les Gayeulles; site Nord",
      "Collège Fesch d'Ajaccio",
    ]);
    expect(parsed.records[0]?.circonscription?.name).toBe(
      "Circonscription d'inspection du 1er degré de Rennes Est",
    );
  });

  it("reads a file re-saved with , as separator and columns in another order", async () => {
    const csv = 'Nom_etablissement,Code_departement,UAI\r\n"Collège Anne, de Bretagne",035,0350004P\r\n';
    const parsed = await parseAnnuaire(iconv.encode(csv, "win1252"));
    expect(parsed.separator).toBe(",");
    expect(parsed.layout).toBe("inconnue");
    expect(parsed.records[0]).toMatchObject({
      uai: "0350004P",
      name: "Collège Anne, de Bretagne",
      departmentCode: "35",
    });
    expect(parsed.warnings.some((w) => w.includes("Version d'export non reconnue"))).toBe(true);
  });
});

describe("parseAnnuaire rejections and duplicates", async () => {
  const parsed = await parseAnnuaire(fixture("annuaire-2023-rejects.csv"));

  it("rejects each bad row with its physical line, the column and a French reason", () => {
    expect(parsed.rejected).toEqual([
      { line: 3, uai: "", column: "Identifiant_de_l_etablissement", reason: "UAI manquant" },
      {
        line: 4,
        uai: "0350002A",
        column: "Identifiant_de_l_etablissement",
        reason: "UAI « 0350002A » invalide : la lettre de contrôle devrait être M",
      },
      {
        line: 5,
        uai: "35-0003",
        column: "Identifiant_de_l_etablissement",
        reason: "UAI « 35-0003 » mal formé (attendu : 7 chiffres et une lettre)",
      },
      { line: 6, uai: "0350004P", reason: "La ligne compte 40 colonnes au lieu de 69" },
      { line: 7, uai: "0350005R", column: "Code_departement", reason: "Département « 099 » inconnu" },
      { line: 13, uai: "0350008U", reason: "La ligne compte 70 colonnes au lieu de 69" },
    ]);
  });

  it("reports a repeated UAI and imports only its first occurrence", () => {
    expect(parsed.duplicates).toEqual([{ line: 8, uai: "0350001L", firstLine: 2 }]);
    expect(parsed.records.find((r) => r.uai === "0350001L")?.name).toBe(
      "Ecole primaire publique les Lucioles",
    );
  });

  it("imports every other row: a quoted line break, a département taken from the UAI", () => {
    expect(parsed.read).toBe(10); // the blank line 9 is not a row
    expect(parsed.records.map((r) => r.uai)).toEqual(["0350001L", "0350006S", "0350007T"]);
    expect(parsed.records[1]?.name).toBe('Ecole "des Lices"\r\nannexe');
    expect(parsed.records[2]?.departmentCode).toBe("35");
    expect(parsed.warnings).toContain(
      "Code département vide : déduit des trois premiers chiffres de l'UAI (ligne 12)",
    );
  });

  it("rejects an unknown département even when the cell is empty and the UAI gives none", async () => {
    const header = "UAI;Nom_etablissement;Code_departement\n";
    const parsed = await parseAnnuaire(Buffer.from(`${header}0990001N;Ecole;\n0200001T;Ecole;020\n`));
    expect(parsed.rejected).toEqual([
      { line: 2, uai: "0990001N", column: "Code_departement", reason: "Département manquant" },
      { line: 3, uai: "0200001T", column: "Code_departement", reason: "Département « 020 » inconnu" },
    ]);
  });

  it("rejects a row whose quote is never closed instead of swallowing the file silently", async () => {
    const parsed = await parseAnnuaire(
      Buffer.from('UAI;Nom_etablissement\n0350001L;Ecole\n0350002M;"Ecole\n0350003N;x\n'),
    );
    expect(parsed.records.map((r) => r.uai)).toEqual(["0350001L"]);
    expect(parsed.rejected).toMatchObject([{ line: 3, reason: expect.stringContaining("Guillemet") }]);
  });
});

describe("parseAnnuaire on files that are not Annuaire exports", () => {
  it("throws a typed French error on an empty file", async () => {
    await expect(parseAnnuaire(Buffer.alloc(0))).rejects.toThrow(AnnuaireFormatError);
    await expect(parseAnnuaire(Buffer.from("\uFEFF\r\n\r\n"))).rejects.toMatchObject({ code: "empty_file" });
  });

  it("throws a typed French error naming the missing UAI column", async () => {
    const error = await parseAnnuaire(Buffer.from("Numéro de l'école;Effectif\n0350001L;143\n")).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AnnuaireFormatError);
    expect(error.code).toBe("missing_columns");
    expect(error.message).toContain("Identifiant_de_l_etablissement");
    expect(error.message).toContain("« Numéro de l'école »");
  });

  it("accepts a header without rows, with a warning", async () => {
    const parsed = await parseAnnuaire(Buffer.from(`${ANNUAIRE_2026_COLUMNS.join(";")}\r\n`));
    expect(parsed.read).toBe(0);
    expect(parsed.warnings).toContain(
      "Le fichier ne contient que la ligne d'en-tête : aucun établissement à importer",
    );
  });

  it("tolerates a trailing ; on every line", async () => {
    // Header and rows alike end with `;`: the same count of cells (issue 9, point 2: a row with
    // one `;` more than its header is refused, even when the extra cell is empty — next test).
    const parsed = await parseAnnuaire(
      Buffer.from("UAI;Nom_etablissement;Code_departement;\n0350001L;Ecole;035;\n"),
    );
    expect(parsed.rejected).toEqual([]);
    expect(parsed.records).toHaveLength(1);
  });

  it("refuses a row with one ; more than its header even when the extra cells are empty", async () => {
    const parsed = await parseAnnuaire(
      Buffer.from("UAI;Nom_etablissement;Code_departement;\n0350001L;Ecole;035;;\n0350002M;Ecole;035;\n"),
    );
    expect(parsed.rejected).toEqual([
      { line: 2, uai: "0350001L", reason: "La ligne compte 5 colonnes au lieu de 4" },
    ]);
    expect(parsed.records.map((r) => r.uai)).toEqual(["0350002M"]);
  });
});
