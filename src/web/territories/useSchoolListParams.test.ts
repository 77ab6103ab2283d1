import { describe, expect, it } from "vitest";
import { parseSchoolListParams, schoolListSearch } from "./useSchoolListParams.ts";

describe("school list state in the URL", () => {
  it("reads defaults from an empty query string", () => {
    expect(parseSchoolListParams(new URLSearchParams())).toEqual({
      type: undefined,
      sector: undefined,
      priorityEducation: undefined,
      status: "open",
      q: "",
      page: 1,
    });
  });

  it("ignores unknown values instead of sending them to the API", () => {
    const params = parseSchoolListParams(
      new URLSearchParams("type=castle&sector=x&priorityEducation=REP%2B%2B&status=maybe&page=-3"),
    );
    expect(params).toMatchObject({ type: undefined, sector: undefined, priorityEducation: undefined });
    expect(params.status).toBe("open");
    expect(params.page).toBe(1);
  });

  it("round-trips, leaving defaults out of the URL", () => {
    const search =
      "?q=Montaigne&type=college&sector=private_contract&priorityEducation=REP%2B&status=all&page=3";
    const params = parseSchoolListParams(new URLSearchParams(search));
    expect(params).toEqual({
      q: "Montaigne",
      type: "college",
      sector: "private_contract",
      priorityEducation: "REP+",
      status: "all",
      page: 3,
    });
    expect(schoolListSearch(params)).toBe(search);
    expect(schoolListSearch({ ...params, q: "", type: undefined, status: "open", page: 1 })).toBe(
      "?sector=private_contract&priorityEducation=REP%2B",
    );
  });
});
