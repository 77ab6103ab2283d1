import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeSchoolValues } from "../../src/server/indicators/store.ts";
import { createE2eAccount, logIn } from "./support/accounts.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

/**
 * The page of values held for review (issue 9): a school's implausible value waits there, out of
 * the figures, for a user above the school; reached from the indicators catalogue.
 */

let vigie: Vigie;
let school: { id: string; uai: string; name: string; academy_code: string };
const PERIOD = "2024-2025";

beforeAll(async () => {
  vigie = await startVigie();
  const db = vigie.server.handle.db;
  school = await db
    .selectFrom("school")
    .select(["id", "uai", "name", "academy_code"])
    .where("academy_code", "=", "04")
    .where("status", "=", "open")
    .orderBy("uai")
    .executeTakeFirstOrThrow();
  // Far beyond the demo's computers of the académie's other schools: held, not published.
  const result = await writeSchoolValues(
    db,
    [
      {
        schoolId: school.id,
        academyCode: school.academy_code,
        dataElement: "computers",
        period: PERIOD,
        value: 900_000_000,
      },
    ],
    { source: "api" },
  );
  expect(result.held).toHaveLength(1);
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

describe("values held for review", () => {
  it("shows the académie's held value to its steering team, who rejects it; axe stays clean", async () => {
    const dane = await createE2eAccount(vigie, "dane-verif@ac-bordeaux.fr", [["academy-steering", "04"]]);
    const page = await vigie.newPage();
    await logIn(page, dane, "/connexion?retour=%2Findicateurs");
    await waitForHeading(page, "Indicateurs");
    await page.getByRole("link", { name: "Valeurs à vérifier dans votre périmètre" }).click();
    await waitForHeading(page, "Valeurs à vérifier");
    expect(await page.title()).toBe("Valeurs à vérifier - Vigie");
    const table = page.getByRole("table", { name: /Valeurs retenues dans votre périmètre : 1 valeur/ });
    await table.waitFor();
    const row = table.getByRole("row").filter({ hasText: school.uai });
    expect(await row.textContent()).toContain("900 000 000".replace(/ /g, "\u202f"));
    await expectNoAxeViolations(page, "valeurs à vérifier");

    await row
      .getByRole("button", { name: `Rejeter : ${school.name}, Ordinateurs à usage pédagogique, ${PERIOD}` })
      .click();
    await page
      .getByRole("status")
      .getByText(/Valeur rejetée pour/)
      .waitFor();
    await page.getByText("Aucune valeur à vérifier dans votre périmètre.").waitFor();
    await expectNoAxeViolations(page, "valeurs à vérifier, après la décision");
    const stored = await vigie.server.handle.db
      .selectFrom("data_value")
      .select("value")
      .where("school_id", "=", school.id)
      .where("data_element_code", "=", "computers")
      .where("period", "=", PERIOD)
      .execute();
    expect(stored).toEqual([]);
  });

  it("tells a school head the page is not for them", async () => {
    const head = await createE2eAccount(vigie, "chef-verif@ac-bordeaux.fr", [["school-head", school.uai]]);
    const page = await vigie.newPage();
    await logIn(page, head, "/connexion?retour=%2Findicateurs%2Fvaleurs-a-verifier");
    await waitForHeading(page, "Valeurs à vérifier");
    await page.getByText(/réservée aux équipes de pilotage au-dessus des établissements/).waitFor();
    await expectNoAxeViolations(page, "valeurs à vérifier, accès refusé");
  });
});
