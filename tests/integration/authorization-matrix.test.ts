import { randomUUID } from "node:crypto";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessRule } from "../../src/server/identity/access.ts";
import type { Permission, Role } from "../../src/server/identity/permissions.ts";
import { hashToken, newSecret } from "../../src/server/identity/tokens.ts";
import { writeAnnuaireCsv } from "../../src/server/territories/annuaire/index.ts";
import { makeUai } from "../../src/server/territories/codes.ts";
import { generateDemoSchools } from "../../src/server/territories/demo/generate.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import type { SchoolRecord } from "../../src/server/territories/school-record.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  nextAddress,
  openIdentityTestApp,
  PASSWORD,
} from "../helpers/identity.ts";

/**
 * The authorization matrix of docs/identity.md, generated from the routes the real app registers:
 * every route × every role (in scope and out of scope) × anonymous gets the documented outcome —
 * 401, 403, or allowed (any other status). A route missing from ROUTES below fails the test, so a
 * new route cannot ship without its documented rule; a rule changed in code without the table
 * fails too.
 */

// --- The documented table (written here by hand, not read from the code it checks) ----------------

const HOLDERS: Record<Permission, readonly Role[]> = {
  "import.annuaire": ["national-admin", "region-steering", "academy-steering"],
  "users.manage": ["national-admin", "region-steering", "academy-steering", "department"],
  "audit.read": ["national-admin", "region-steering", "academy-steering"],
  "settings.manage": ["national-admin"],
  "roadmaps.manage": ["national-admin", "region-steering", "academy-steering"],
  "indicators.restricted": [
    "national-admin",
    "region-steering",
    "academy-steering",
    "department",
    "district",
    "school-head",
    "school-referent",
  ],
  "indicators.write": [
    "national-admin",
    "region-steering",
    "academy-steering",
    "school-head",
    "school-referent",
  ],
  "indicators.review": ["national-admin", "region-steering", "academy-steering", "department", "district"],
  "collection.manage": ["national-admin", "region-steering", "academy-steering"],
  "collection.respond": ["school-head", "school-referent"],
  "collection.approve": ["national-admin", "region-steering", "academy-steering", "department", "district"],
};

const ROLES: readonly Role[] = [
  "national-admin",
  "region-steering",
  "academy-steering",
  "department",
  "district",
  "school-head",
  "school-referent",
  "local-authority",
  "reader",
];

type Who = Role | "anonymous";
type Variant = "in" | "out";
type Outcome = 401 | 403 | "allowed";

/** Each role's scope in the "tiny" demo (académies 04, 13, 22 of the région académique 75). */
interface Place {
  /** The role's territory, as `vigie user create --territory` takes it. */
  territory: string;
  /** A node inside the scope, and one outside (null: none exists, the nation's). */
  inside: string;
  outside: string | null;
}

interface Fixtures {
  places: Record<Role, Place>;
  /** A school of Gironde (33, académie 04) and one of Paris (out of every scope but the nation's). */
  schoolInside: SchoolRecord;
  schoolOutside: SchoolRecord;
  /** An account whose roles the users routes change. */
  targetUserId: string;
  /** A stored school of the district role's district (inside every holder's scope but the schools'). */
  schoolOfDistrict: string;
}

interface Ctx {
  who: Who;
  variant: Variant;
  /** The node the request is about: inside the role's scope or outside (anonymous: inside FR). */
  node: string;
  fx: Fixtures;
}

interface RouteSpec {
  /** The documented rule ("token": a machine's route, refused with 401 to every session without its bearer token). */
  rule: "public" | "authenticated" | "token" | Permission;
  /** The outcome depends on where the request's target lies (in scope / out of scope). */
  scoped?: boolean;
  request(ctx: Ctx): InjectOptions;
  /** Further checks on allowed requests (an importer's out-of-scope rows are rejected). */
  check?(res: LightMyRequestResponse, ctx: Ctx): void;
}

const json = (method: "POST" | "PUT" | "DELETE", url: string, payload: object): InjectOptions => ({
  method,
  url,
  payload: payload as InjectOptions["payload"],
});

function multipartCsv(csv: string): Pick<InjectOptions, "headers" | "payload"> {
  const boundary = "matrixboundary";
  return {
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="annuaire.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
  };
}

let counter = 0;
const unique = () => ++counter;

/** Every route of the app, keyed `METHOD url` as registered. */
const ROUTES: Record<string, RouteSpec> = {
  "GET /api/health": { rule: "public", request: () => ({ method: "GET", url: "/api/health" }) },
  // A job is shown to the user who started it only (404 for the others, tested in jobs-http).
  "GET /api/v1/jobs/:id": {
    rule: "authenticated",
    request: () => ({ method: "GET", url: "/api/v1/jobs/999999" }),
  },
  "GET /api/v1/territories/academies": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/territories/academies" }),
  },
  "GET /api/v1/territories/:level/:code": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/territories/academy/04" }),
  },
  "GET /api/v1/territories/:level/:code/children": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/territories/department/33/children" }),
  },
  "GET /api/v1/schools": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/schools?pageSize=5" }),
  },
  "GET /api/v1/schools/:uai": {
    rule: "public",
    request: ({ fx }) => ({ method: "GET", url: `/api/v1/schools/${fx.schoolInside.uai}` }),
  },
  "GET /api/v1/indicators": { rule: "public", request: () => ({ method: "GET", url: "/api/v1/indicators" }) },
  "GET /api/v1/indicators/:code/values": {
    rule: "public",
    request: () => ({
      method: "GET",
      url: "/api/v1/indicators/computers_per_100_pupils/values?territory=academy:04",
    }),
  },
  "GET /api/v1/indicators/:code/values.csv": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/indicators/computers_per_100_pupils/values.csv" }),
  },
  "GET /api/v1/indicators/:code/values.xlsx": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/indicators/computers_per_100_pupils/values.xlsx" }),
  },
  "GET /api/v1/indicators/:code/values.schema.json": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/indicators/computers_per_100_pupils/values.schema.json" }),
  },
  "GET /api/v1/indicators/:code/dashboard": {
    rule: "public",
    request: () => ({
      method: "GET",
      url: "/api/v1/indicators/computers_per_100_pupils/dashboard?territory=department:33",
    }),
  },
  "GET /api/v1/territories/:level/:code/indicators": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/territories/academy/04/indicators" }),
  },
  "GET /api/v1/schools/:uai/indicators": {
    rule: "public",
    request: ({ fx }) => ({ method: "GET", url: `/api/v1/schools/${fx.schoolInside.uai}/indicators` }),
  },
  "GET /api/v1/settings/confidentiality": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/settings/confidentiality" }),
  },
  "PUT /api/v1/settings/confidentiality": {
    rule: "settings.manage",
    request: () =>
      json("PUT", "/api/v1/settings/confidentiality", { minUnits: 5, minPeople: 10, dominanceShare: 0.85 }),
  },
  // The route admits every holder; each line's school must be inside the writer's scope
  // (out-of-scope lines: tests/integration/observatory-api.test.ts).
  "POST /api/v1/data-values": {
    rule: "indicators.write",
    scoped: true,
    request: ({ fx, node, variant }) => {
      const uai = node.startsWith("school:")
        ? node.slice("school:".length)
        : variant === "in"
          ? fx.schoolInside.uai
          : makeUai(7_512_346);
      return json("POST", "/api/v1/data-values", {
        values: [{ uai, dataElement: "computers", period: "2030-2031", value: 12 }],
      });
    },
  },
  // The list keeps the schools of the reader's scope (tests/integration/observatory-bounds.test.ts).
  "GET /api/v1/data-values/held": {
    rule: "indicators.review",
    request: () => ({ method: "GET", url: "/api/v1/data-values/held" }),
  },
  // The value's school must be inside the reviewer's scope; nothing is held here (404 = allowed).
  "POST /api/v1/data-values/held/decisions": {
    rule: "indicators.review",
    scoped: true,
    request: ({ fx, variant }) =>
      json("POST", "/api/v1/data-values/held/decisions", {
        uai: variant === "in" ? fx.schoolOfDistrict : makeUai(7_512_346),
        dataElement: "computers",
        period: "2030-2031",
        decision: "reject",
      }),
  },

  "GET /api/v1/auth/session": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/auth/session" }),
  },
  "POST /api/v1/auth/login": {
    rule: "public",
    request: () => ({
      ...json("POST", "/api/v1/auth/login", { email: "matrice@vigie.test", password: PASSWORD }),
      remoteAddress: nextAddress(),
    }),
    check: (res) => expect(res.statusCode).toBe(200),
  },
  "POST /api/v1/auth/logout": {
    rule: "public",
    request: () => ({ method: "POST", url: "/api/v1/auth/logout" }),
  },
  "POST /api/v1/auth/password": {
    rule: "public",
    request: () =>
      json("POST", "/api/v1/auth/password", { token: "x".repeat(43), password: "Phare-de-Cordouan-1611" }),
  },
  "POST /api/v1/auth/password/reset-request": {
    rule: "public",
    request: () => json("POST", "/api/v1/auth/password/reset-request", { email: "personne@vigie.test" }),
  },
  "GET /api/v1/auth/providers": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/auth/providers" }),
  },
  "GET /api/v1/auth/proconnect/login": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/auth/proconnect/login" }),
  },
  "GET /api/v1/auth/proconnect/callback": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/auth/proconnect/callback?code=c&state=s" }),
  },
  "GET /api/v1/privacy/contacts": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/privacy/contacts" }),
  },

  "GET /api/v1/me/data": {
    rule: "authenticated",
    request: () => ({ method: "GET", url: "/api/v1/me/data" }),
  },
  "GET /api/v1/me/data.csv": {
    rule: "authenticated",
    request: () => ({ method: "GET", url: "/api/v1/me/data.csv" }),
  },
  "POST /api/v1/me/deletion-request": {
    rule: "authenticated",
    request: () => json("POST", "/api/v1/me/deletion-request", {}),
  },

  "GET /api/v1/users": { rule: "users.manage", request: () => ({ method: "GET", url: "/api/v1/users" }) },
  "POST /api/v1/users/:userId/roles": {
    rule: "users.manage",
    scoped: true,
    request: ({ fx, node }) =>
      json("POST", `/api/v1/users/${fx.targetUserId}/roles`, { role: "reader", territory: node }),
  },
  "DELETE /api/v1/users/:userId/roles": {
    rule: "users.manage",
    scoped: true,
    request: ({ fx, node }) => ({
      method: "DELETE",
      url: `/api/v1/users/${fx.targetUserId}/roles?role=reader&territory=${encodeURIComponent(node)}`,
    }),
  },
  "POST /api/v1/users/invitations": {
    rule: "users.manage",
    scoped: true,
    request: ({ node }) =>
      json("POST", "/api/v1/users/invitations", {
        email: `invite-${unique()}@vigie.test`,
        role: "reader",
        territory: node,
      }),
  },

  "GET /api/v1/audit-events": {
    rule: "audit.read",
    request: () => ({ method: "GET", url: "/api/v1/audit-events" }),
  },
  "GET /api/v1/audit-events.csv": {
    rule: "audit.read",
    request: () => ({ method: "GET", url: "/api/v1/audit-events.csv" }),
  },

  // The usage API (docs/imports.md): providers send batches with their token; tokens are the
  // national administrator's.
  "POST /api/v1/usage/batches": {
    rule: "token",
    request: () => json("POST", "/api/v1/usage/batches", { batchId: "matrice", rows: [] }),
  },
  "GET /api/v1/usage/tokens": {
    rule: "settings.manage",
    request: () => ({ method: "GET", url: "/api/v1/usage/tokens" }),
  },
  "POST /api/v1/usage/tokens": {
    rule: "settings.manage",
    request: () =>
      json("POST", "/api/v1/usage/tokens", { provider: `Fournisseur ${unique()}`, territories: ["FR"] }),
  },
  "DELETE /api/v1/usage/tokens/:id": {
    rule: "settings.manage",
    request: () => ({ method: "DELETE", url: "/api/v1/usage/tokens/999999" }),
  },
  "GET /api/v1/personal-data-requests": {
    rule: "settings.manage",
    request: () => ({ method: "GET", url: "/api/v1/personal-data-requests" }),
  },
  "POST /api/v1/personal-data-requests/:requestId/close": {
    rule: "settings.manage",
    request: () => json("POST", "/api/v1/personal-data-requests/999999/close", { decision: "refused" }),
  },
  "GET /api/v1/settings/retention": {
    rule: "settings.manage",
    request: () => ({ method: "GET", url: "/api/v1/settings/retention" }),
  },
  "PUT /api/v1/settings/retention": {
    rule: "settings.manage",
    request: () =>
      json("PUT", "/api/v1/settings/retention", {
        auditEventsDays: 365,
        expiredSessionsDays: 30,
        usedTokensDays: 30,
        closedRequestsDays: 365,
      }),
  },

  // The route admits every importer; the scope applies row by row: rows outside it are rejected.
  "POST /api/v1/imports/annuaire": {
    rule: "import.annuaire",
    request: ({ fx, variant }) => ({
      method: "POST",
      url: "/api/v1/imports/annuaire",
      ...multipartCsv(writeAnnuaireCsv([variant === "in" ? fx.schoolInside : fx.schoolOutside], "2026")),
    }),
    check: (res, { who, variant }) => {
      expect(res.statusCode).toBe(200);
      const rejected = (res.json() as { report: { rejected: { reason: string }[] } }).report.rejected;
      if (variant === "out" && who !== "national-admin") {
        expect(rejected.map((r) => r.reason)).toEqual([expect.stringContaining("hors de votre périmètre")]);
      } else {
        expect(rejected).toEqual([]);
      }
    },
  },
  "POST /api/v1/imports/annuaire/:importId/commit": {
    rule: "import.annuaire",
    request: () => ({ method: "POST", url: `/api/v1/imports/annuaire/${randomUUID()}/commit` }),
  },
  // An upload is its sender's: anybody else, holder of the permission or not, gets a 404.
  "GET /api/v1/imports/annuaire/:importId/rapport.csv": {
    rule: "import.annuaire",
    request: () => ({ method: "GET", url: `/api/v1/imports/annuaire/${randomUUID()}/rapport.csv` }),
  },

  // The import profiles (docs/imports.md): importers of data values, on their scope (a school
  // outside it is refused by the route, a value of one by the commit). Unknown ids: 404.
  "GET /api/v1/imports/profiles": {
    rule: "indicators.write",
    request: () => ({ method: "GET", url: "/api/v1/imports/profiles" }),
  },
  "POST /api/v1/imports/files": {
    rule: "indicators.write",
    request: () => ({
      method: "POST",
      url: "/api/v1/imports/files?profile=matrice",
      ...multipartCsv("UAI;Valeur\n"),
    }),
  },
  "GET /api/v1/imports/files/:id": {
    rule: "indicators.write",
    request: () => ({ method: "GET", url: "/api/v1/imports/files/999999" }),
  },
  "POST /api/v1/imports/files/:id/commit": {
    rule: "indicators.write",
    request: () => ({ method: "POST", url: "/api/v1/imports/files/999999/commit" }),
  },
  "GET /api/v1/imports/batches": {
    rule: "indicators.write",
    request: () => ({ method: "GET", url: "/api/v1/imports/batches" }),
  },
  "POST /api/v1/imports/batches/:id/rollback": {
    rule: "indicators.write",
    request: () => ({ method: "POST", url: "/api/v1/imports/batches/999999/rollback" }),
  },

  // Saved mappings of the generic import: the same importers.
  "GET /api/v1/imports/mappings": {
    rule: "indicators.write",
    request: () => ({ method: "GET", url: "/api/v1/imports/mappings" }),
  },
  "GET /api/v1/imports/mappings/elements": {
    rule: "indicators.write",
    request: () => ({ method: "GET", url: "/api/v1/imports/mappings/elements" }),
  },
  "PUT /api/v1/imports/mappings/:name": {
    rule: "indicators.write",
    // An invalid mapping: the holders get 400, nothing is stored.
    request: () => json("PUT", "/api/v1/imports/mappings/matrice", { uaiColumn: "UAI" }),
  },
  "DELETE /api/v1/imports/mappings/:name": {
    rule: "indicators.write",
    request: () => ({ method: "DELETE", url: "/api/v1/imports/mappings/inconnue" }),
  },

  // The competences dashboards (docs/competences.md): public and confidentiality-safe; the
  // per-class figures of a school are checked against the school by the route itself.
  "GET /api/v1/competences/dashboard": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/competences/dashboard" }),
  },
  "GET /api/v1/competences/dashboard.csv": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/competences/dashboard.csv" }),
  },
  "GET /api/v1/competences/dashboard.xlsx": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/competences/dashboard.xlsx" }),
  },
  "GET /api/v1/competences/schools/:uai/classes": {
    rule: "authenticated",
    request: () => ({ method: "GET", url: "/api/v1/competences/schools/0000000A/classes" }),
  },

  // Collection campaigns (docs/collection.md): managers create them on their territory; the
  // responses are checked against the school by the routes (respondents, and those who follow
  // it). Unknown campaigns: 404 for the holders.
  "GET /api/v1/collection/templates": {
    rule: "collection.manage",
    request: () => ({ method: "GET", url: "/api/v1/collection/templates" }),
  },
  "GET /api/v1/collection/campaigns": {
    rule: "authenticated",
    request: () => ({ method: "GET", url: "/api/v1/collection/campaigns" }),
  },
  "POST /api/v1/collection/campaigns": {
    rule: "collection.manage",
    scoped: true,
    request: ({ node }) =>
      json("POST", "/api/v1/collection/campaigns", {
        template: "digital-actions",
        period: "2025-2026",
        target: { territory: node },
      }),
    check: (res) => expect(res.statusCode).toBe(201),
  },
  // Forms a DANE saves (docs/collection.md, « Formulaires »): read by every manager, saved on a
  // territory the manager holds (a new code per request: each case makes its own form).
  "GET /api/v1/collection/forms": {
    rule: "collection.manage",
    request: () => ({ method: "GET", url: "/api/v1/collection/forms" }),
  },
  "GET /api/v1/collection/forms/:code": {
    rule: "collection.manage",
    request: () => ({ method: "GET", url: "/api/v1/collection/forms/inconnu" }),
  },
  "PUT /api/v1/collection/forms/:code": {
    rule: "collection.manage",
    scoped: true,
    request: ({ node }) => {
      const code = `matrice_${randomUUID().replaceAll("-", "")}`;
      return json("PUT", `/api/v1/collection/forms/${code}`, {
        territory: node,
        definition: {
          code,
          title: "Formulaire de la matrice",
          sections: [{ code: "s", title: "Section", fields: [{ code: "f", label: "Champ", type: "text" }] }],
        },
      });
    },
    check: (res) => expect(res.json().created).toBe(true),
  },
  "GET /api/v1/collection/templates/:code/form": {
    rule: "collection.manage",
    request: () => ({ method: "GET", url: "/api/v1/collection/templates/equipment/form" }),
  },
  "GET /api/v1/collection/data-elements": {
    rule: "collection.manage",
    request: () => ({ method: "GET", url: "/api/v1/collection/data-elements" }),
  },
  "POST /api/v1/collection/data-elements": {
    rule: "collection.manage",
    request: () =>
      json("POST", "/api/v1/collection/data-elements", {
        code: `matrice_${randomUUID().replaceAll("-", "")}`,
        name: "Élément de la matrice",
        valueType: "integer",
      }),
    check: (res) => expect(res.statusCode).toBe(201),
  },
  "GET /api/v1/collection/campaigns/:id/status": {
    rule: "collection.approve",
    request: () => ({ method: "GET", url: "/api/v1/collection/campaigns/999999/status" }),
  },
  "GET /api/v1/collection/campaigns/:id/status.csv": {
    rule: "collection.approve",
    request: () => ({ method: "GET", url: "/api/v1/collection/campaigns/999999/status.csv" }),
  },
  "GET /api/v1/collection/campaigns/:id/responses/:uai": {
    rule: "authenticated",
    request: () => ({ method: "GET", url: "/api/v1/collection/campaigns/999999/responses/0000000A" }),
  },
  "PUT /api/v1/collection/campaigns/:id/responses/:uai": {
    rule: "collection.respond",
    request: () =>
      json("PUT", "/api/v1/collection/campaigns/999999/responses/0000000A", { answers: {}, revision: 0 }),
  },
  "POST /api/v1/collection/campaigns/:id/responses/:uai/submit": {
    rule: "collection.respond",
    request: () =>
      json("POST", "/api/v1/collection/campaigns/999999/responses/0000000A/submit", {
        answers: {},
        revision: 0,
      }),
  },
  // Reminders (a DANE sends them and reads their history, on the campaign's territory) and the
  // approvers' list of outliers (scope checked by the route against the territory asked).
  "POST /api/v1/collection/campaigns/:id/reminders": {
    rule: "collection.manage",
    request: () => ({ method: "POST", url: "/api/v1/collection/campaigns/999999/reminders" }),
  },
  "GET /api/v1/collection/campaigns/:id/reminders": {
    rule: "collection.manage",
    request: () => ({ method: "GET", url: "/api/v1/collection/campaigns/999999/reminders" }),
  },
  "GET /api/v1/collection/campaigns/:id/outliers": {
    rule: "collection.approve",
    request: () => ({ method: "GET", url: "/api/v1/collection/campaigns/999999/outliers" }),
  },
  // Approval (docs/collection.md, « Validation »): collection.approve on the route, then the
  // school's or territory's place checked against the scope. Unknown campaigns: 404 for the holders.
  "POST /api/v1/collection/campaigns/:id/responses/:uai/approve": {
    rule: "collection.approve",
    request: () => json("POST", "/api/v1/collection/campaigns/999999/responses/0000000A/approve", {}),
  },
  "POST /api/v1/collection/campaigns/:id/responses/:uai/unapprove": {
    rule: "collection.approve",
    request: () => json("POST", "/api/v1/collection/campaigns/999999/responses/0000000A/unapprove", {}),
  },
  "POST /api/v1/collection/campaigns/:id/responses/:uai/return": {
    rule: "collection.approve",
    request: () =>
      json("POST", "/api/v1/collection/campaigns/999999/responses/0000000A/return", {
        comment: "À corriger",
      }),
  },
  "POST /api/v1/collection/campaigns/:id/responses/:uai/lock-exception": {
    rule: "collection.approve",
    request: () =>
      json("POST", "/api/v1/collection/campaigns/999999/responses/0000000A/lock-exception", { until: null }),
  },
  "POST /api/v1/collection/campaigns/:id/approvals": {
    rule: "collection.approve",
    request: () =>
      json("POST", "/api/v1/collection/campaigns/999999/approvals", {
        level: "district",
        territory: "0000000A",
        action: "approve",
      }),
  },
  "GET /api/v1/collection/campaigns/:id/approvals": {
    rule: "collection.approve",
    request: () => ({ method: "GET", url: "/api/v1/collection/campaigns/999999/approvals" }),
  },

  // Roadmaps (docs/roadmaps.md): reading is public (drafts only inside the territory); writing
  // needs roadmaps.manage on the roadmap's territory. Unknown roadmaps: 404 for the holders.
  "GET /api/v1/roadmaps": { rule: "public", request: () => ({ method: "GET", url: "/api/v1/roadmaps" }) },
  "GET /api/v1/roadmaps/templates/:templateId": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/roadmaps/templates/poitiers-2020-2021" }),
    check: (res) => expect(res.statusCode).toBe(200),
  },
  "POST /api/v1/roadmaps": {
    rule: "roadmaps.manage",
    scoped: true,
    request: ({ node }) =>
      json("POST", "/api/v1/roadmaps", { territory: node, title: `Matrice ${unique()}` }),
    check: (res) => expect(res.statusCode).toBe(201),
  },
  "POST /api/v1/roadmaps/import": {
    rule: "roadmaps.manage",
    request: () => ({
      method: "POST",
      url: "/api/v1/roadmaps/import",
      headers: { "content-type": "text/yaml" },
      payload: "id: [",
    }),
  },
  "GET /api/v1/roadmaps/:id": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/roadmaps/999999" }),
  },
  "PUT /api/v1/roadmaps/:id": {
    rule: "roadmaps.manage",
    request: () => json("PUT", "/api/v1/roadmaps/999999", { version: 1, document: {} }),
  },
  "DELETE /api/v1/roadmaps/:id": {
    rule: "roadmaps.manage",
    request: () => ({ method: "DELETE", url: "/api/v1/roadmaps/999999" }),
  },
  "POST /api/v1/roadmaps/:id/publish": {
    rule: "roadmaps.manage",
    request: () => ({ method: "POST", url: "/api/v1/roadmaps/999999/publish" }),
  },
  "POST /api/v1/roadmaps/:id/unpublish": {
    rule: "roadmaps.manage",
    request: () => ({ method: "POST", url: "/api/v1/roadmaps/999999/unpublish" }),
  },
  "GET /api/v1/roadmaps/:id/export.yaml": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/roadmaps/999999/export.yaml" }),
  },
  "GET /api/v1/roadmaps/:id/checkpoints": {
    rule: "public",
    request: () => ({ method: "GET", url: "/api/v1/roadmaps/999999/checkpoints" }),
  },
  "POST /api/v1/roadmaps/:id/checkpoints": {
    rule: "roadmaps.manage",
    request: () => json("POST", "/api/v1/roadmaps/999999/checkpoints", { title: "Point d'étape" }),
  },
};

/** The outcome docs/identity.md promises. */
function expected(spec: RouteSpec, ctx: Ctx): Outcome {
  if (spec.rule === "public") return "allowed";
  // The matrix sends no bearer token: a session, whatever its roles, does not open a token route.
  if (spec.rule === "token") return 401;
  if (ctx.who === "anonymous") return 401;
  if (spec.rule === "authenticated") return "allowed";
  if (!HOLDERS[spec.rule].includes(ctx.who)) return 403;
  if (spec.scoped && ctx.variant === "out") return 403;
  return "allowed";
}

function outcomeOf(status: number): Outcome {
  return status === 401 || status === 403 ? status : "allowed";
}

function ruleName(access: AccessRule | undefined): string {
  if (access === undefined) return "aucune";
  return typeof access === "string" ? access : access.permission;
}

// --- The test ------------------------------------------------------------------------------------

describe(`authorization matrix on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let fx: Fixtures;
  const userIds = new Map<Role, string>();

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    const district = async (dep: string) =>
      (
        await t.db
          .selectFrom("district")
          .select("code")
          .where("department_code", "=", dep)
          .orderBy("code")
          .executeTakeFirstOrThrow()
      ).code;
    const school = async (dep: string, offset = 0) =>
      (
        await t.db
          .selectFrom("school")
          .select("uai")
          .where("department_code", "=", dep)
          .orderBy("uai")
          .offset(offset)
          .limit(1)
          .executeTakeFirstOrThrow()
      ).uai;
    const [d33, d24, s33, s33b, s24] = await Promise.all([
      district("33"),
      district("24"),
      school("33"),
      school("33", 1),
      school("24"),
    ]);
    const places: Record<Role, Place> = {
      "national-admin": { territory: "FR", inside: "FR", outside: null },
      "region-steering": { territory: "75", inside: "academicRegion:75", outside: "academicRegion:11" },
      "academy-steering": { territory: "04", inside: "academy:04", outside: "academy:13" },
      department: { territory: "33", inside: "department:33", outside: "department:24" },
      district: { territory: d33, inside: `district:${d33}`, outside: `district:${d24}` },
      "school-head": { territory: s33, inside: `school:${s33}`, outside: `school:${s24}` },
      "school-referent": { territory: s33b, inside: `school:${s33b}`, outside: `school:${s24}` },
      "local-authority": { territory: "department:33", inside: "department:33", outside: "department:24" },
      reader: { territory: "academy:04", inside: "academy:04", outside: "academy:13" },
    };
    for (const role of ROLES) {
      const user = await makeUser(t.db, `${role}@vigie.test`, [[role, places[role].territory]]);
      userIds.set(role, user.id);
    }
    await makeUser(t.db, "matrice@vigie.test");
    const target = await makeUser(t.db, "cible@vigie.test");
    const demo = generateDemoSchools("tiny");
    const inside = demo.find((s) => s.departmentCode === "33") as SchoolRecord;
    const outside: SchoolRecord = {
      ...inside,
      uai: makeUai(7_512_345),
      name: "ÉCOLE DE PARIS (matrice)",
      departmentCode: "75",
      academyCode: "01",
      academicRegionCode: "11",
      communeCode: "75056",
      communeName: "Paris",
      postalCode: "75001",
      bassin: null,
      circonscription: null,
    };
    const ofDistrict = await t.db
      .selectFrom("school")
      .select("uai")
      .where((eb) => eb.or([eb("circonscription_code", "=", d33), eb("bassin_code", "=", d33)]))
      .orderBy("uai")
      .executeTakeFirstOrThrow();
    fx = {
      places,
      schoolInside: inside,
      schoolOutside: outside,
      targetUserId: target.id,
      schoolOfDistrict: ofDistrict.uai,
    };
    // A stored school outside every scope but the nation's, for routes that write about a school.
    await t.db
      .insertInto("school")
      .values({
        uai: makeUai(7_512_346),
        name: "COLLÈGE DE PARIS (matrice)",
        type: "college",
        sector: "public",
        department_code: "75",
        academy_code: "01",
        academic_region_code: "11",
        status: "open",
        content_hash: "matrice",
      })
      .execute();
  });
  afterAll(async () => t?.close());

  /** A session opened straight in the database (a login per request would hash thousands of times). */
  async function sessionFor(role: Role): Promise<{ cookie: string; csrf: string }> {
    const cookie = newSecret();
    const csrf = newSecret();
    await t.db
      .insertInto("user_session")
      .values({
        id_hash: hashToken(cookie),
        user_id: userIds.get(role) as string,
        csrf_token: csrf,
        auth_method: "password",
        expires_at: new Date(Date.now() + 3_600_000),
      })
      .execute();
    return { cookie, csrf };
  }

  async function send(spec: RouteSpec, ctx: Ctx): Promise<LightMyRequestResponse> {
    const options = spec.request(ctx);
    if (ctx.who === "anonymous") return t.app.inject(options);
    const { cookie, csrf } = await sessionFor(ctx.who);
    return t.app.inject({
      ...options,
      headers: { ...options.headers, cookie: `vigie_session=${cookie}`, "x-csrf-token": csrf },
    });
  }

  it("covers every route the app registers, with the documented rule", async () => {
    await t.app.ready();
    const registered = t.app.registeredRoutes;
    const api = registered.filter((r) => r.url.startsWith("/api/") && !r.url.startsWith("/api/docs"));
    const keys = new Set(api.filter((r) => r.method !== "HEAD").map((r) => `${r.method} ${r.url}`));
    const uncovered = [...keys].filter((k) => !(k in ROUTES));
    expect(uncovered, "routes sans ligne dans la matrice d'autorisation (docs/identity.md)").toEqual([]);
    const stale = Object.keys(ROUTES).filter((k) => !keys.has(k));
    expect(stale, "lignes de la matrice sans route").toEqual([]);
    const mismatched = api
      .filter((r) => r.method !== "HEAD")
      .filter((r) => ruleName(r.access) !== ROUTES[`${r.method} ${r.url}`]?.rule)
      .map(
        (r) =>
          `${r.method} ${r.url} : code ${ruleName(r.access)}, documenté ${ROUTES[`${r.method} ${r.url}`]?.rule}`,
      );
    expect(mismatched).toEqual([]);
    // Every HEAD route is the twin of a GET route, with the same rule.
    for (const head of api.filter((r) => r.method === "HEAD")) {
      expect(keys.has(`GET ${head.url}`), head.url).toBe(true);
    }
    // Outside /api and the OpenAPI viewer, only static files: read-only and public.
    const others = registered.filter((r) => !(r.url.startsWith("/api/") && !r.url.startsWith("/api/docs")));
    expect(
      others.filter((r) => r.method !== "GET" && r.method !== "HEAD").map((r) => `${r.method} ${r.url}`),
    ).toEqual([]);
    expect((await t.app.inject({ url: "/api/docs/json" })).statusCode).toBe(200);
  });

  for (const [key, spec] of Object.entries(ROUTES)) {
    it(`${key} : ${spec.rule}${spec.scoped ? ", selon le périmètre" : ""}`, async () => {
      const mismatches: string[] = [];
      const cases: Ctx[] = [{ who: "anonymous", variant: "in", node: "FR", fx }];
      for (const role of ROLES) {
        const place = fx.places[role];
        cases.push({ who: role, variant: "in", node: place.inside, fx });
        if (place.outside) cases.push({ who: role, variant: "out", node: place.outside, fx });
      }
      for (const ctx of cases) {
        const res = await send(spec, ctx);
        const want = expected(spec, ctx);
        const got = outcomeOf(res.statusCode);
        const label = `${ctx.who} (${ctx.variant === "in" ? "dans" : "hors"} périmètre)`;
        if (got !== want) {
          mismatches.push(`${label} : attendu ${want}, obtenu ${res.statusCode} ${res.body.slice(0, 160)}`);
          continue;
        }
        if (got !== "allowed") {
          const body = res.json() as { error: string; message: string };
          if (typeof body.error !== "string" || !/^[A-ZÀ-Ÿ]/.test(body.message)) {
            mismatches.push(
              `${label} : réponse ${res.statusCode} sans { error, message } en français : ${res.body}`,
            );
          }
        } else if (spec.check) {
          try {
            spec.check(res, ctx);
          } catch (err) {
            mismatches.push(`${label} : ${(err as Error).message}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
