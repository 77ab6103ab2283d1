import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import { type RunningServer, startServer } from "../../../src/server/app.ts";
import { e2eConfig } from "./config.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = path.join(ROOT, "tests/fixtures/e2e");

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export interface Vigie {
  url: string;
  /** The server in this process: its database handle creates accounts for the tests. */
  server: RunningServer;
  browser: Browser;
  /** Uncaught errors and failed API calls seen in the pages (each test file expects none). */
  pageErrors: string[];
  /** A fresh browser context (own storage) and page, closed by `stop()`. */
  newPage(options?: { width?: number; height?: number; colorScheme?: "light" | "dark" }): Promise<Page>;
  stop(): Promise<void>;
}

/**
 * Starts the real server in-process (PGlite on a copy of the suite's base, the "tiny" demo: académies
 * 04 Bordeaux, 22 Limoges, 13 Poitiers) serving `dist/web`, and Debian's Chromium.
 */
export async function startVigie(): Promise<Vigie> {
  if (!fs.existsSync(path.join(ROOT, "dist/web/index.html"))) {
    throw new Error(
      "dist/web n'est pas construit : lancez « npm run build:web » avant les tests de bout en bout.",
    );
  }
  // A copy of the suite's base (global-setup.ts: migrated, "tiny" demo loaded, no roadmap), so that
  // each file starts from the same state without loading the demo again. The first administrator's
  // one-time link is not needed: tests create their own accounts.
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-e2e-"));
  const dataDir = path.join(copy, "data");
  fs.cpSync(inject("e2eTemplateDataDir"), dataDir, { recursive: true });
  const server = await startServer({
    config: e2eConfig(dataDir),
    demo: "tiny",
    demoRoadmap: false,
    onNotice: () => undefined,
  });
  const close = async () => {
    await server.close();
    fs.rmSync(copy, { recursive: true, force: true });
  };
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    });
  } catch (err) {
    await close();
    throw err;
  }
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    url: server.url,
    server,
    browser,
    pageErrors,
    async newPage({ width = 1280, height = 900, colorScheme = "light" } = {}) {
      const context = await browser.newContext({
        baseURL: server.url,
        viewport: { width, height },
        colorScheme,
        locale: "fr-FR",
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(`${page.url()} : ${error.message}`));
      return page;
    },
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await close();
    },
  };
}

/** Runs axe (WCAG 2.1 A and AA) on the page and fails with a readable list of violations. */
export async function expectNoAxeViolations(page: Page, label = page.url()): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}) : ${violation.help}\n${violation.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(" ")} — ${node.failureSummary?.replace(/\s+/g, " ")}`)
        .join("\n")}`,
  );
  expect(summary, `Violations axe sur ${label}`).toEqual([]);
}

/** Waits for the SPA to have rendered a page: its main heading is visible. */
export async function waitForHeading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole("heading", { level: 1, name }).waitFor({ state: "visible" });
}
