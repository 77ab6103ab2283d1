import fastifyHelmet from "@fastify/helmet";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { jsonSchemaTransform, serializerCompiler } from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import { runInForeground } from "./connection-turns.ts";
import { AppError, type ErrorDetails } from "./errors.ts";
import { frenchValidatorCompiler, validationField } from "./validation.ts";

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

/**
 * The error body of every answer: a stable machine code, a French sentence for people, and when
 * there are some, the details (the problems of a file) and the request id (unexpected errors).
 */
export interface ApiErrorBody {
  error: string;
  message: string;
  details?: ErrorDetails;
  requestId?: string;
}

export function apiError(error: string, message: string, details?: ErrorDetails): ApiErrorBody {
  return hasDetails(details) ? { error, message, details } : { error, message };
}

function hasDetails(details: ErrorDetails | undefined): details is ErrorDetails {
  if (details === undefined) return false;
  return Array.isArray(details) ? details.length > 0 : Object.keys(details).length > 0;
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
  /**
   * Run first, before any route (the OpenAPI viewer's included) is declared: identity's check that
   * every route has an access rule. Given by the caller, so that platform depends on no module.
   */
  beforeRoutes?: readonly ((app: FastifyInstance) => void)[];
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
  app.setValidatorCompiler(frenchValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  // A request's statements go before background work on the embedded base (connection-turns.ts);
  // entered again after the body is read, whose stream events run outside the request's context.
  app.addHook("onRequest", (_req, _reply, done) => runInForeground(done));
  app.addHook("preHandler", (_req, _reply, done) => runInForeground(done));
  // First, so that every route after them, the OpenAPI viewer's included, is checked and listed.
  for (const setup of options.beforeRoutes ?? []) setup(app);

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

  return app;
}

/**
 * Fastify's and its plugins' refusals (English messages): the stable code and the French sentence
 * answered instead. A refusal not listed here is answered `bad_request`, « Requête refusée ».
 */
const FASTIFY_REFUSALS: Record<string, { error: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    error: "invalid_json",
    message: "Le corps de la requête n'est pas du JSON valide.",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    error: "empty_body",
    message:
      "Le corps de la requête est vide alors qu'il est annoncé en JSON (Content-Type: application/json).",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    error: "invalid_content_length",
    message: "La taille du corps de la requête ne correspond pas à son en-tête Content-Length.",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { error: "too_large", message: "Le fichier envoyé est trop volumineux." },
  FST_REQ_FILE_TOO_LARGE: { error: "too_large", message: "Le fichier envoyé est trop volumineux." },
  FST_PARTS_LIMIT: {
    error: "invalid_form",
    message: "Le formulaire contient trop de parties : envoyez un seul fichier.",
  },
  FST_FILES_LIMIT: {
    error: "invalid_form",
    message: "Le formulaire contient trop de fichiers : envoyez-en un seul.",
  },
  FST_FIELDS_LIMIT: { error: "invalid_form", message: "Le formulaire contient trop de champs." },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    error: "unsupported_media_type",
    message: "Envoyez le fichier dans un formulaire (Content-Type: multipart/form-data).",
  },
  FST_INVALID_JSON_FIELD_ERROR: {
    error: "invalid_json",
    message: "Un champ du formulaire annoncé en JSON n'est pas du JSON valide.",
  },
  FST_PROTO_VIOLATION: { error: "invalid_form", message: "Nom de champ refusé dans le formulaire." },
  FST_MP_PREMATURE_CLOSE: {
    error: "upload_aborted",
    message: "L'envoi du formulaire a été interrompu avant la fin.",
  },
  FST_ERR_BAD_URL: { error: "invalid_url", message: "Adresse invalide : un de ses éléments est mal encodé." },
  FST_ERR_INVALID_URL: { error: "invalid_url", message: "Adresse invalide." },
  FST_ERR_MAX_PARAM_LENGTH: { error: "invalid_url", message: "Adresse trop longue." },
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: {
    error: "unsupported_media_type",
    message: "En-tête Content-Type manquant.",
  },
  FST_ERR_ROUTE_MISSING_CONTENT: { error: "empty_body", message: "Corps de la requête manquant." },
};

function fastifyRefusal(code: string, req: FastifyRequest): { error: string; message: string } | undefined {
  if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    const type = req.headers["content-type"];
    return {
      error: "unsupported_media_type",
      message: type
        ? `Type de contenu non pris en charge : « ${type.slice(0, 80)} ».`
        : "Type de contenu manquant : précisez l'en-tête Content-Type.",
    };
  }
  return FASTIFY_REFUSALS[code];
}

/** « Paramètres invalides — pageSize : doit être inférieur ou égal à 100 ; territory : … ». */
function validationMessage(validation: NonNullable<FastifyError["validation"]>): string {
  return `Paramètres invalides — ${validationProblems(validation).join(" ; ")}`;
}

/** One « champ : problème » per invalid field, also given as the answer's details. */
function validationProblems(validation: NonNullable<FastifyError["validation"]>): string[] {
  return validation.map((v) => `${validationField(v.instancePath)} : ${v.message ?? "valeur invalide"}`);
}

/**
 * The one error handler: an AppError is answered with its status and code, a refused request
 * (validation, Fastify, a plugin) with a French 4xx, anything else with a 500 that gives the
 * request id and nothing of the fault, which goes to the log.
 */
export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = errorAnswer(err, req);
  if (answer.status >= 500) req.log.error({ err }, "request failed");
  // An export that fails once its headers are set: the error is shown, not saved as the file.
  reply.removeHeader("content-disposition");
  return reply.code(answer.status).send(answer.body);
}

/** The status and body answered for an error thrown while handling `req`. */
export function errorAnswer(err: unknown, req: FastifyRequest): { status: number; body: ApiErrorBody } {
  if (err instanceof AppError) {
    const body = apiError(err.code, err.message, err.details);
    return { status: err.status, body: err.status >= 500 ? { ...body, requestId: req.id } : body };
  }
  const refused = err as Partial<FastifyError>;
  if (Array.isArray(refused.validation) && refused.validation.length > 0) {
    const body = apiError(
      "invalid_parameters",
      validationMessage(refused.validation),
      validationProblems(refused.validation),
    );
    return { status: 400, body };
  }
  const status = refused.statusCode ?? 500;
  if (status >= 400 && status < 500) return { status, body: refusalBody(refused, status, req) };
  const message = `Erreur interne du serveur. Réessayez plus tard ; si elle persiste, donnez cette référence à l'assistance : ${req.id}.`;
  return { status: 500, body: { ...apiError("internal_error", message), requestId: req.id } };
}

/** A 4xx thrown by Fastify, a plugin, or our code as a plain error with a `statusCode`. */
function refusalBody(err: Partial<FastifyError>, status: number, req: FastifyRequest): ApiErrorBody {
  const code = typeof err.code === "string" ? err.code : "";
  // Fastify's and its plugins' messages are English: a French sentence instead. Ours are French.
  const known = code.startsWith("FST_") ? fastifyRefusal(code, req) : undefined;
  const message = known?.message ?? (code.startsWith("FST_") ? undefined : err.message) ?? "";
  const text = message || `Requête refusée (code ${status}).`;
  if (known) return apiError(known.error, text);
  if (status === 413) return apiError("too_large", text);
  if (status === 415) return apiError("unsupported_media_type", text);
  if (status === 429) return apiError("too_many_requests", text);
  return apiError("bad_request", text);
}
