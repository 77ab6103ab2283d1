import { describe, expect, it } from "vitest";
import { placeInTerritory, type SchoolTreePlace } from "./places.ts";

const place: SchoolTreePlace = {
  uai: "0330001A",
  academicRegionCode: "75",
  academyCode: "04",
  departmentCode: "033",
  bassinCode: "B-04033",
  circonscriptionCode: null,
};

describe("placeInTerritory", () => {
  it("holds a school in each of its ancestors and in itself", () => {
    expect(placeInTerritory(place, { level: "nation", code: "FR" })).toBe(true);
    expect(placeInTerritory(place, { level: "academicRegion", code: "75" })).toBe(true);
    expect(placeInTerritory(place, { level: "academy", code: "04" })).toBe(true);
    expect(placeInTerritory(place, { level: "department", code: "033" })).toBe(true);
    expect(placeInTerritory(place, { level: "district", code: "B-04033" })).toBe(true);
    expect(placeInTerritory(place, { level: "school", code: "0330001A" })).toBe(true);
  });

  it("does not hold it in a sibling, nor in a district it lacks", () => {
    expect(placeInTerritory(place, { level: "academicRegion", code: "76" })).toBe(false);
    expect(placeInTerritory(place, { level: "academy", code: "13" })).toBe(false);
    expect(placeInTerritory(place, { level: "department", code: "024" })).toBe(false);
    expect(placeInTerritory(place, { level: "district", code: "C-0331111D" })).toBe(false);
    expect(placeInTerritory(place, { level: "school", code: "0330002B" })).toBe(false);
  });
});
