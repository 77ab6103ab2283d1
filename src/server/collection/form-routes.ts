import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { formDefinition } from "../../contracts/collection-form.ts";
import {
  formDataElement,
  formSaveInput,
  formSaveResult,
  formsList,
  localDataElementInput,
  savedForm,
} from "../../contracts/collection-forms.ts";
import { apiError as apiErrorSchema } from "../../contracts/territories.ts";
import { requestActor } from "../identity/index.ts";
import { defineLocalDataElement, formDataElements } from "../indicators/index.ts";
import { notFound } from "../platform/index.ts";
import { getForm, listForms, saveForm } from "./form-library.ts";
import type { CollectionDeps } from "./routes.ts";

/**
 * The form editor's API (docs/collection.md, « Formulaires »): the saved forms and the templates
 * to start from, a form by version, saving a version, and the data elements a field may feed,
 * with the new ones a DANE defines. All `collection.manage`; saving is scoped to the form's
 * territory (form-library.ts).
 */

const codeParam = z.object({ code: z.string().min(1).max(80) });
const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };
const manage = { access: { permission: "collection.manage" } } as const;

export function registerFormRoutes(app: FastifyInstance, deps: CollectionDeps): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/collection/forms",
    {
      config: manage,
      schema: {
        tags: ["collecte"],
        summary: "Formulaires enregistrés (dernière version de chacun) et modèles pour en commencer un",
        response: { 200: formsList, 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    async (req) => listForms(db, req.principal, await deps.templates()),
  );
  r.get(
    "/api/v1/collection/forms/:code",
    {
      config: manage,
      schema: {
        tags: ["collecte"],
        summary: "Un formulaire enregistré : sa dernière version, ou la version demandée (?version=N)",
        params: codeParam,
        querystring: versionQuery,
        response: { 200: savedForm, ...errors },
      },
    },
    async (req) => getForm(db, req.principal, req.params.code, req.query.version),
  );
  r.put(
    "/api/v1/collection/forms/:code",
    {
      config: manage,
      schema: {
        tags: ["collecte"],
        summary:
          "Enregistre un formulaire : une définition modifiée devient une nouvelle version, les campagnes ouvertes gardent la leur",
        params: codeParam,
        body: formSaveInput,
        response: { 200: formSaveResult, ...errors },
      },
    },
    async (req) =>
      saveForm(
        db,
        await deps.templates(),
        req.principal,
        requestActor(req, "form"),
        req.params.code,
        req.body,
      ),
  );
  r.get(
    "/api/v1/collection/templates/:code/form",
    {
      config: manage,
      schema: {
        tags: ["collecte"],
        summary: "Le formulaire d'un modèle livré, pour commencer un formulaire à partir de lui",
        params: codeParam,
        response: { 200: formDefinition, ...errors },
      },
    },
    async (req) => {
      const template = (await deps.templates()).find((t) => t.code === req.params.code);
      if (!template) throw notFound(`Modèle de campagne « ${req.params.code} » introuvable.`);
      return template.form;
    },
  );
  r.get(
    "/api/v1/collection/data-elements",
    {
      config: manage,
      schema: {
        tags: ["collecte"],
        summary:
          "Éléments de donnée qu'un champ peut alimenter : ceux du catalogue saisis par établissement, et ceux définis par les DANE",
        response: {
          200: z.object({ items: z.array(formDataElement) }),
          401: apiErrorSchema,
          403: apiErrorSchema,
        },
      },
    },
    async () => ({ items: await formDataElements(db) }),
  );
  r.post(
    "/api/v1/collection/data-elements",
    {
      config: manage,
      schema: {
        tags: ["collecte"],
        summary: "Définit un nouvel élément de donnée (par établissement) pour les champs des formulaires",
        body: localDataElementInput,
        response: { 201: formDataElement, ...errors, 409: apiErrorSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await defineLocalDataElement(db, req.body, requestActor(req, "form"))),
  );
}
