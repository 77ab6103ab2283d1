import type { Page } from "playwright-core";

/** The headline value of an indicator page (« 71,9 % », « secret statistique »…). */
export const HEADLINE_TEST_ID = "valeur-principale";

/**
 * Loads an indicator page (`/indicateurs/:code?territoire=…`) in a fresh navigation and returns the
 * milliseconds from the navigation's start until its headline value is visible: the « dashboard
 * page ready » figure. Reusable by the benchmarks (`npm run bench`); the caller owns the page and
 * the server.
 */
export async function indicatorPageReadyMs(page: Page, path: string): Promise<number> {
  await page.goto(path, { waitUntil: "commit" });
  await page.getByTestId(HEADLINE_TEST_ID).waitFor({ state: "visible" });
  // performance.now() counts from the document's navigation start (timeOrigin).
  return page.evaluate(() => Math.round(performance.now()));
}
