import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "./audit-redact.ts";

describe("redactSecrets", () => {
  it("masks the values of secret keys, at any depth, and keeps the rest", () => {
    expect(
      redactSecrets({
        email: "a@b.fr",
        password: "Tr0ub4dor&3xyz",
        nested: { csrfToken: "abc", idToken: "eyJ…", role: "reader" },
        list: [{ jeton: "xyz" }],
        mot_de_passe: { avant: "ancien", après: "nouveau" },
      }),
    ).toEqual({
      email: "a@b.fr",
      password: REDACTED,
      nested: { csrfToken: REDACTED, idToken: REDACTED, role: "reader" },
      list: [{ jeton: REDACTED }],
      mot_de_passe: { avant: REDACTED, après: REDACTED },
    });
  });

  it("keeps the words that only say whether a secret exists, and booleans", () => {
    expect(redactSecrets({ password: "défini", passwordSet: true, token: "aucun" })).toEqual({
      password: "défini",
      passwordSet: true,
      token: "aucun",
    });
  });

  it("does not mistake ordinary keys for secrets", () => {
    const summary = { passage: "x", status: { avant: "invited", après: "active" }, fileSha256: "ab12" };
    expect(redactSecrets(summary)).toEqual(summary);
  });
});
