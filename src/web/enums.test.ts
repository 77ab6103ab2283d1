import { describe, expect, it } from "vitest";
import * as contracts from "../contracts/territories.ts";
import { SCHOOL_SECTORS, SCHOOL_TYPES, TERRITORY_LEVELS } from "./enums.ts";

describe("web enumerations", () => {
  it("match the contracts exactly, in the same order", () => {
    expect(SCHOOL_TYPES).toEqual([...contracts.SCHOOL_TYPES]);
    expect(SCHOOL_SECTORS).toEqual([...contracts.SCHOOL_SECTORS]);
    expect(TERRITORY_LEVELS).toEqual([...contracts.TERRITORY_LEVELS]);
  });
});
