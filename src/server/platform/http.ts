import fastifyHelmet from "@fastify/helmet";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";

export const API_VERSION = "0.1.0";

/** A French error body: a stable machine code and a sentence for people. */
export function apiError(error: string, message: string) {
  return { error, message };
}

/**
 * Query parameters that carry a secret: one-time links (`jeton`), the OpenID Connect callback
 * (`code`, `state`) and logout (`id_token_hint`). Their values never reach the request log.
 */
const SECRET_QUERY_PARAMETERS = ["jeton", "code", "state", "id_token_hint"];

export function redactUrl(url: string): string {
  const query = url.indexOf("?");
  if (query === -1) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  let changed = false;
  for (const name of SECRET_QUERY_PARAMETERS) {
    if (params.has(name)) {
      params.set(name, "[masqué]");
      changed = true;
    }
  }
  return changed ? `${url.slice(0, query)}?${params.toString()}` : url;
}

/**
 * The Fastify instance with what every module relies on: Zod validation, OpenAPI at /api/docs,
 * security headers, request ids in the logs, and French error bodies.
 */
export async function createHttp(options: { logLevel: string }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      redact: ["req.headers.cookie", "req.headers.authorization"],
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: redactUrl(req.url),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
    },
    bodyLimit: 200 * 1024 * 1024,
    requestIdHeader: "x-request-id",
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // The content security policy is tightened with the identity module; until then only the
  // other headers are set (the DSFR and the OpenAPI viewer need their own allowances).
  await app.register(fastifyHelmet, { contentSecurityPolicy: false });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "API Vigie",
        description: "Pilotage du numérique éducatif : territoires, établissements, imports.",
        version: API_VERSION,
      },
      servers: [],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs" });

  app.setErrorHandler((err, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation
        .map((v) => `${v.instancePath.replace(/^\//, "") || "requête"} : ${v.message ?? "valeur invalide"}`)
        .join(" ; ");
      return reply.code(400).send(apiError("bad_request", `Paramètres invalides — ${details}`));
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status === 413)
      return reply.code(413).send(apiError("too_large", "Le fichier envoyé est trop volumineux."));
    if (status < 500) return reply.code(status).send(apiError("bad_request", (err as Error).message));
    req.log.error({ err }, "request failed");
    return reply
      .code(500)
      .send(apiError("internal_error", "Erreur interne du serveur. Réessayez plus tard."));
  });
  return app;
}
