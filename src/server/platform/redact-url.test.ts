import { describe, expect, it } from "vitest";
import { redactUrl } from "./http.ts";

describe("redactUrl (request log)", () => {
  it("masks one-time tokens, authorization codes, states and ID tokens", () => {
    expect(redactUrl("/activation?jeton=abc")).toBe("/activation?jeton=%5Bmasqu%C3%A9%5D");
    expect(redactUrl("/api/v1/auth/proconnect/callback?code=c0de&state=st4te&iss=http%3A%2F%2Fop")).toBe(
      "/api/v1/auth/proconnect/callback?code=%5Bmasqu%C3%A9%5D&state=%5Bmasqu%C3%A9%5D&iss=http%3A%2F%2Fop",
    );
    expect(redactUrl("/x?id_token_hint=eyJ.a.b&y=1")).not.toContain("eyJ");
  });

  it("leaves other URLs untouched", () => {
    expect(redactUrl("/api/v1/schools?q=lyc%C3%A9e&page=2")).toBe("/api/v1/schools?q=lyc%C3%A9e&page=2");
    expect(redactUrl("/api/health")).toBe("/api/health");
  });
});
