import { describe, expect, it } from "vitest";
import { districtCodeFromName, districtOf, slugify, sourceDistrictCode } from "./districts.ts";
import { StringPool } from "./string-pool.ts";

describe("district codes", () => {
  it("prefixes source codes with their kind so bassins and circonscriptions never collide", () => {
    const bassin = districtOf("bassin", "35", "0351916T", "Bassin de Rennes");
    const circonscription = districtOf("circonscription", "35", "0351916T", "Circonscription de Rennes");
    expect(bassin?.code).toBe("B-0351916T");
    expect(circonscription?.code).toBe("C-0351916T");
  });

  it("derives a stable, short code from the name when the file has no code", () => {
    const name = "Circonscription d'inspection du 1er degré de Saint-Malo Ville";
    expect(districtOf("circonscription", "35", null, name)).toEqual({ code: "C-035-saint-malo-ville", name });
    expect(districtCodeFromName("circonscription", "2A", "Circonscription d'Ajaccio 1")).toBe(
      "C-02A-ajaccio-1",
    );
    expect(districtCodeFromName("circonscription", "35", "Circonscription")).toBe("C-035-circonscription");
  });

  it("names a district the file gives only a code for, and gives nothing without code or name", () => {
    expect(districtOf("bassin", "33", "04033", null)).toEqual({
      code: "B-04033",
      name: "Bassin de formation 04033",
    });
    expect(districtOf("bassin", "33", null, null)).toBeNull();
  });

  it("keeps codes usable in URLs and writes back the source code", () => {
    expect(districtOf("bassin", "33", "04 033/2", "x")?.code).toBe("B-04-033-2");
    expect(sourceDistrictCode("circonscription", "C-0351916T")).toBe("0351916T");
    expect(sourceDistrictCode("bassin", "0433301")).toBe("0433301");
  });

  it("slugifies names without letters to a hash rather than to nothing", () => {
    expect(slugify("Écoles : ÎLE-DE-FRANCE")).toBe("ecoles-ile-de-france");
    expect(slugify("???")).toMatch(/^x[0-9a-f]{8}$/);
  });

  it("shares one object per district through the pool", () => {
    const pool = new StringPool();
    const a = districtOf("circonscription", "35", null, "Circonscription de Bruz", pool);
    const b = districtOf("circonscription", "35", null, "Circonscription de Bruz", pool);
    expect(a).toBe(b);
  });
});
