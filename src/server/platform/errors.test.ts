import { describe, expect, it } from "vitest";
import { AppError, conflict, forbidden, invalid, isAppError, notFound, unauthenticated } from "./errors.ts";
import { isPermanent } from "./jobs/types.ts";

describe("AppError", () => {
  it("has a status, a stable code, a French message and optional details", () => {
    const error = invalid("Fichier illisible.", "invalid_file", ["ligne 2 : UAI manquant"]);
    expect(error).toBeInstanceOf(Error);
    expect(isAppError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_file",
      message: "Fichier illisible.",
      details: ["ligne 2 : UAI manquant"],
    });
    expect("details" in notFound("Introuvable.")).toBe(false);
  });

  it("has a factory per common refusal, each with a default code", () => {
    expect([unauthenticated("a"), forbidden("b"), notFound("c"), conflict("d"), invalid("e")]).toEqual([
      expect.objectContaining({ status: 401, code: "unauthenticated" }),
      expect.objectContaining({ status: 403, code: "forbidden" }),
      expect.objectContaining({ status: 404, code: "not_found" }),
      expect.objectContaining({ status: 409, code: "conflict" }),
      expect.objectContaining({ status: 400, code: "bad_request" }),
    ]);
  });

  it("makes a job fail at once when it is a refusal, and retried when a service is unavailable", () => {
    expect(isPermanent(invalid("Fichier vide."))).toBe(true);
    expect(isPermanent(new AppError(503, "mail_unavailable", "Messagerie injoignable."))).toBe(false);
    expect(isAppError(new Error("x"))).toBe(false);
  });
});
