import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./LoginPage.tsx";
import { auditSearchString, parseAuditSearch } from "./useAuditSearch.ts";

describe("audit log search in the URL", () => {
  it("reads the filters, ignores what is malformed, and writes back only what differs from the defaults", () => {
    const state = parseAuditSearch(
      new URLSearchParams("actor= dane &action=auth.&from=2026-01-15&to=demain&sort=ip&order=asc&page=3"),
    );
    expect(state).toEqual({
      actor: "dane",
      action: "auth.",
      entityType: "",
      from: "2026-01-15",
      to: "",
      territory: "",
      sort: "date",
      order: "asc",
      page: 3,
    });
    expect(auditSearchString(state)).toBe("?actor=dane&action=auth.&from=2026-01-15&order=asc&page=3");
    expect(auditSearchString(parseAuditSearch(new URLSearchParams("")))).toBe("");
  });
});

describe("return path after the login", () => {
  it("accepts only paths of this site", () => {
    expect(safeReturnPath("/administration/journal?action=auth.")).toBe(
      "/administration/journal?action=auth.",
    );
    for (const bad of [
      null,
      "",
      "https://ailleurs.example",
      "//ailleurs.example",
      "/\\ailleurs.example",
      "javascript:alert(1)",
    ]) {
      expect(safeReturnPath(bad)).toBe("/mon-compte");
    }
  });
});
