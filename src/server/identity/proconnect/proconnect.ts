import * as oidc from "openid-client";
import { AppError, type ProConnectConfig } from "../../platform/index.ts";

/** Exactly the scopes ProConnect documents for an agent's identity; nothing more is asked. */
export const PROCONNECT_SCOPES = "openid given_name usual_name email uid siret idp_id";

export const PROCONNECT_LOGIN_PATH = "/api/v1/auth/proconnect/login";
export const PROCONNECT_CALLBACK_PATH = "/api/v1/auth/proconnect/callback";

/** The secrets of one login, kept server-side from the redirect to the callback. */
export interface LoginAttempt {
  state: string;
  nonce: string;
  /** PKCE verifier, when the provider announces S256 support. */
  codeVerifier: string | null;
}

/** Who ProConnect says signed in: the claims of the signed userinfo, plus the ID token for logout. */
export interface ProConnectIdentity {
  /** Pairwise subject: stable for Vigie only, kept for information (matching is by e-mail). */
  sub: string;
  email: string;
  givenName: string | null;
  usualName: string | null;
  uid: string | null;
  siret: string | null;
  idpId: string | null;
  idToken: string;
}

/**
 * A login that cannot finish, with the code shown to the person on `/connexion?erreur=…` (the
 * callback route redirects there: this error is not answered as JSON).
 */
export class ProConnectError extends AppError {
  declare readonly code: "proconnect-indisponible" | "proconnect-annule" | "proconnect-echec";

  constructor(
    code: "proconnect-indisponible" | "proconnect-annule" | "proconnect-echec",
    message: string,
    options?: { cause?: unknown },
  ) {
    // Cancelled by the person: their request; otherwise the provider failed (bad gateway).
    super(code === "proconnect-annule" ? 400 : 502, code, message, { cause: options?.cause });
    this.name = "ProConnectError";
  }
}

export interface ProConnectClient {
  redirectUri: string;
  /** Starts a login: where to send the browser, and what to keep until the callback. */
  startLogin(): Promise<{ url: string; attempt: LoginAttempt }>;
  /** Finishes a login from the callback URL: code exchange, ID token and signed userinfo checked. */
  completeLogin(callbackUrl: URL, attempt: LoginAttempt): Promise<ProConnectIdentity>;
  /** The provider's `end_session_endpoint` URL ending the ProConnect session too. */
  logoutUrl(idToken: string): Promise<string>;
}

/** Random strings of 43 characters (256 bits, base64url), above ProConnect's 32-character minimum. */
function randomSecret(): string {
  return oidc.randomState();
}

/**
 * Plain HTTP is accepted for a provider on the loopback interface only (local tests and
 * development); anywhere else the library's HTTPS requirement stays.
 */
function isLoopback(issuer: URL): boolean {
  return issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
}

/**
 * The ProConnect relying party. Discovery happens on first use and is retried after a failure, so
 * Vigie starts (and password logins work) while ProConnect is unreachable.
 */
export function createProConnectClient(config: ProConnectConfig, publicUrl: string): ProConnectClient {
  const issuer = new URL(config.issuer);
  const redirectUri = `${publicUrl}${PROCONNECT_CALLBACK_PATH}`;
  let discovered: Promise<oidc.Configuration> | undefined;

  function configuration(): Promise<oidc.Configuration> {
    if (!discovered) {
      discovered = oidc
        .discovery(
          issuer,
          config.clientId,
          {
            client_secret: config.clientSecret,
            // ProConnect signs the ID token and returns the userinfo as a JWT, both in RS256.
            id_token_signed_response_alg: "RS256",
            userinfo_signed_response_alg: "RS256",
          },
          oidc.ClientSecretBasic(config.clientSecret),
          {
            timeout: 10,
            // Non-repudiation: check the signature of the userinfo JWT against the provider's keys,
            // not only that it came over TLS.
            execute: [
              oidc.enableNonRepudiationChecks,
              ...(isLoopback(issuer) ? [oidc.allowInsecureRequests] : []),
            ],
          },
        )
        .catch((err: unknown) => {
          discovered = undefined;
          throw new ProConnectError(
            "proconnect-indisponible",
            `ProConnect est injoignable (découverte de ${issuer.href})`,
            { cause: err },
          );
        });
    }
    return discovered;
  }

  return {
    redirectUri,
    async startLogin() {
      const server = await configuration();
      const attempt: LoginAttempt = {
        state: randomSecret(),
        nonce: randomSecret(),
        codeVerifier: server.serverMetadata().supportsPKCE() ? oidc.randomPKCECodeVerifier() : null,
      };
      const parameters: Record<string, string> = {
        redirect_uri: redirectUri,
        scope: PROCONNECT_SCOPES,
        state: attempt.state,
        nonce: attempt.nonce,
      };
      if (attempt.codeVerifier) {
        parameters.code_challenge = await oidc.calculatePKCECodeChallenge(attempt.codeVerifier);
        parameters.code_challenge_method = "S256";
      }
      return { url: oidc.buildAuthorizationUrl(server, parameters).href, attempt };
    },

    async completeLogin(callbackUrl, attempt) {
      const server = await configuration();
      const error = callbackUrl.searchParams.get("error");
      if (error === "access_denied") {
        throw new ProConnectError("proconnect-annule", "Connexion ProConnect annulée par la personne");
      }
      let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
      try {
        tokens = await oidc.authorizationCodeGrant(server, callbackUrl, {
          expectedState: attempt.state,
          expectedNonce: attempt.nonce,
          pkceCodeVerifier: attempt.codeVerifier ?? undefined,
          idTokenExpected: true,
        });
      } catch (err) {
        throw new ProConnectError("proconnect-echec", "Échange du code ProConnect refusé", { cause: err });
      }
      const idToken = tokens.id_token;
      const claims = tokens.claims();
      if (!idToken || !claims)
        throw new ProConnectError("proconnect-echec", "ProConnect n'a pas rendu de jeton d'identité");
      let userinfo: oidc.UserInfoResponse;
      try {
        // The userinfo JWT must be signed with the provider's key and be about the ID token's subject.
        userinfo = await oidc.fetchUserInfo(server, tokens.access_token, claims.sub);
      } catch (err) {
        throw new ProConnectError("proconnect-echec", "Informations d'identité ProConnect invalides", {
          cause: err,
        });
      }
      const text = (value: unknown) =>
        typeof value === "string" && value.trim() !== "" ? value.trim() : null;
      const email = text(userinfo.email)?.toLowerCase();
      if (!email)
        throw new ProConnectError("proconnect-echec", "ProConnect n'a pas transmis d'adresse électronique");
      return {
        sub: claims.sub,
        email,
        givenName: text(userinfo.given_name),
        usualName: text(userinfo.usual_name),
        uid: text(userinfo.uid),
        siret: text(userinfo.siret),
        idpId: text(userinfo.idp_id),
        idToken,
      };
    },

    async logoutUrl(idToken) {
      const server = await configuration();
      return oidc.buildEndSessionUrl(server, {
        id_token_hint: idToken,
        state: randomSecret(),
        post_logout_redirect_uri: `${publicUrl}/`,
      }).href;
    },
  };
}
