import { describe, expect, it } from "vitest";
import type { SessionUser } from "../../contracts/identity.ts";
import { ApiError } from "../api.ts";
import {
  approvalPath,
  approvalPathOf,
  formatScore,
  formatValue,
  nodeConfirmation,
  nodeName,
  nodeStateLabel,
  pendingOf,
  responseConfirmation,
} from "./approval-model.ts";

function user(roles: [string, string][]): SessionUser {
  return {
    id: "1",
    email: "x@ac-bordeaux.fr",
    givenName: null,
    familyName: null,
    roles: roles.map(([role, territory]) => ({
      role: role as SessionUser["roles"][number]["role"],
      territory,
      territoryLabel: territory,
    })),
  } as SessionUser;
}

const campaign = { id: "7", territory: "academy:04", approvalLevels: ["district", "academy"] as const };

describe("approval page model", () => {
  it("links to the approval page of the same territory as the completeness page, only with approval levels", () => {
    expect(
      approvalPath(user([["academy-steering", "academy:04"]]), {
        ...campaign,
        approvalLevels: [...campaign.approvalLevels],
      }),
    ).toBe("/collecte/7/validation");
    expect(
      approvalPath(user([["district", "district:B-033-1"]]), {
        ...campaign,
        approvalLevels: ["district"],
      }),
    ).toBe("/collecte/7/validation?territory=district%3AB-033-1");
    expect(
      approvalPath(user([["academy-steering", "academy:04"]]), { ...campaign, approvalLevels: [] }),
    ).toBeNull();
    expect(
      approvalPath(user([["school-head", "school:0330001A"]]), { ...campaign, approvalLevels: ["academy"] }),
    ).toBeNull();
    expect(approvalPathOf("7", undefined)).toBe("/collecte/7/validation");
    expect(approvalPathOf("7", "department:033")).toBe("/collecte/7/validation?territory=department%3A033");
  });

  it("confirms each step in French, with the values written or taken back", () => {
    expect(responseConfirmation("approve", "Collège A", { valuesWritten: 12, valuesRemoved: 0 })).toBe(
      "Les réponses de Collège A sont validées. 12 valeurs versées dans l'observatoire : les indicateurs sont recalculés.",
    );
    expect(responseConfirmation("approve", "Collège A", { valuesWritten: 0, valuesRemoved: 0 })).toBe(
      "Les réponses de Collège A sont validées.",
    );
    expect(responseConfirmation("return", "Collège A", { valuesWritten: 0, valuesRemoved: 1 })).toBe(
      "Les réponses de Collège A sont renvoyées pour correction : l'établissement voit votre commentaire. 1 valeur retirée de l'observatoire.",
    );
    const district = { level: "district" as const, label: "Bassin de Bordeaux" };
    expect(nodeConfirmation("approve", district, { responsesChanged: 0 })).toBe(
      "Le district Bassin de Bordeaux est validé.",
    );
    const gironde = { level: "department" as const, label: "Gironde" };
    expect(nodeConfirmation("accept", gironde, { responsesChanged: 3 })).toBe(
      "Le département Gironde est accepté (3 réponses concernées).",
    );
    expect(nodeConfirmation("unaccept", gironde, { responsesChanged: 1 })).toBe(
      "L'acceptation du département Gironde est annulée (1 réponse concernée).",
    );
    const academy = { level: "academy" as const, label: "Académie de Bordeaux" };
    expect(nodeName(academy)).toBe("Académie de Bordeaux");
    expect(nodeName(gironde)).toBe("Département Gironde");
    expect(nodeConfirmation("approve", academy, { responsesChanged: 0 })).toBe(
      "L'académie de Bordeaux est validée.",
    );
    expect(nodeConfirmation("unapprove", academy, { responsesChanged: 0 })).toBe(
      "La validation de l'académie de Bordeaux est annulée.",
    );
    expect([nodeStateLabel(null), nodeStateLabel("approved"), nodeStateLabel("accepted")]).toEqual([
      "Non validé",
      "Validé",
      "Accepté",
    ]);
  });

  it("reads the pending schools of a refusal, and nothing from other errors", () => {
    const refusal = new ApiError(409, "schools_not_approved", "2 établissements…", {
      error: "schools_not_approved",
      message: "2 établissements…",
      details: { pending: ["0330001A", "0330002B", 3] },
    });
    expect(pendingOf(refusal)).toEqual(["0330001A", "0330002B"]);
    expect(pendingOf(new ApiError(403, "forbidden", "hors périmètre", { error: "forbidden" }))).toEqual([]);
    expect(pendingOf(new Error("x"))).toEqual([]);
  });

  it("formats values and scores the French way", () => {
    expect(formatValue(87.456)).toBe("87,46");
    expect(formatValue(1200)).toBe("1\u202f200");
    expect(formatScore(-4.26)).toBe("-4,3");
    expect(formatScore(5)).toBe("5,0");
  });
});
