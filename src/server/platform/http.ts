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
import type { DestinationStream } from "pino";
import { installRouteGuard } from "../identity/access.ts";

export const API_VERSION = "0.1.0";

/** sha256 of `:root { color-scheme: dark; }` and `… light; }`, the style react-dsfr injects. */
const DSFR_INLINE_STYLE_HASHES = [
  "'sha256-xVQ4mcypV0CvOtZpQgVcKpcoNvdUkR9BrwZBrtBbU+w='",
  "'sha256-HzhUjVBe6Oi2wcxUM7bmy2Rp9VdLMHYDdYr9MalNmOY='",
];

/**
 * The one <style> element Swagger UI's bundle injects at run time (seen by a Chromium check of
 * /api/docs; to be updated if a new @fastify/swagger-ui version changes it — the page works
 * without it, slightly less styled).
 */
const SWAGGER_UI_INLINE_STYLE_HASH = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

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
export async function createHttp(options: {
  logLevel: string;
  /** Public address: HTTPS turns on `upgrade-insecure-requests`. */
  publicUrl?: string;
  /** Origins the login pages may post forms to (the ProConnect provider). */
  formActionOrigins?: readonly string[];
  trustProxy?: boolean | string[];
  /** Where the log goes (tests capture it); standard output by default. */
  logStream?: DestinationStream;
}): Promise<FastifyInstance> {
  const app = Fastify({
    trustProxy: options.trustProxy ?? false,
    logger: {
      level: options.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Nothing secret is logged by the serializers below; these paths also cover a
      // `req.log.info({ req })` or `{ headers }` written by mistake.
      redact: {
        paths: [
          "req.headers.cookie",
          "req.headers.authorization",
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          "headers.cookie",
          "headers.authorization",
          'headers["x-csrf-token"]',
          "body.password",
          "body.token",
          "password",
          "token",
        ],
        censor: "[masqué]",
      },
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
  // First, so that every route after it, the OpenAPI viewer's included, is checked and listed.
  installRouteGuard(app);

  const https = options.publicUrl?.startsWith("https:") ?? false;
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // The built web app has no inline script.
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // react-dsfr writes one inline <style> with the colour scheme: its two possible contents.
        styleSrc: ["'self'", ...DSFR_INLINE_STYLE_HASHES],
        // The DSFR's CSS embeds icons and backgrounds as data: URLs.
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'", ...(options.formActionOrigins ?? [])],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: "deny" },
    // Not "no-referrer": with it, browsers send `Origin: null` on same-origin POSTs, which the
    // CSRF check refuses. "same-origin" still sends nothing to other sites (one-time links).
    referrerPolicy: { policy: "same-origin" },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });

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
  await app.register(fastifySwaggerUi, {
    routePrefix: "/api/docs",
    // Its own policy (hashes of its inline scripts), framed by nobody, upgraded only behind HTTPS.
    staticCSP: true,
    transformStaticCSP: (header) => {
      const policy = header
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
        .replace("style-src 'self'", `style-src 'self' ${SWAGGER_UI_INLINE_STYLE_HASH}`);
      return https ? policy : policy.replace(/\s*upgrade-insecure-requests;?/, "");
    },
  });

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
    if (status === 429) return reply.code(429).send(apiError("too_many_requests", (err as Error).message));
    if (status < 500) return reply.code(status).send(apiError("bad_request", (err as Error).message));
    req.log.error({ err }, "request failed");
    return reply
      .code(500)
      .send(apiError("internal_error", "Erreur interne du serveur. Réessayez plus tard."));
  });
  return app;
}
