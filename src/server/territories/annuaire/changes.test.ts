import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closesSchool, schoolsChanged } from "./changes.ts";

describe("closesSchool", () => {
  it("counts only the schools the import closes", () => {
    expect(closesSchool({ status: "closed" }, { closed: false })).toBe(true);
    expect(closesSchool({ status: "closed" }, undefined)).toBe(true);
    expect(closesSchool({ status: "closed" }, { closed: true })).toBe(false);
    expect(closesSchool({ status: "open" }, { closed: true })).toBe(false);
    expect(closesSchool({ status: "open" }, undefined)).toBe(false);
  });

  it("property: importing what is stored closes nothing", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("open" as const, "closed" as const)), (states) => {
        // The stored state after a first import is the file's own: the same file again closes none.
        const closed = states.filter((status) => closesSchool({ status }, { closed: status === "closed" }));
        expect(closed).toEqual([]);
      }),
    );
  });
});

describe("schoolsChanged", () => {
  it("property: true exactly when a school was created, updated or closed", () => {
    fc.assert(
      fc.property(fc.nat(5), fc.nat(5), fc.nat(5), (created, updated, closed) => {
        expect(schoolsChanged({ created, updated, closed })).toBe(created + updated + closed > 0);
      }),
    );
  });
});
