import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Account, type Configuration, type KoaContextWithOIDC } from "oidc-provider";

/** One person known to the test provider, with the claims ProConnect releases. */
export interface TestIdentity {
  /** What the person types in the provider's login form ("login" field). */
  login: string;
  email: string;
  given_name: string;
  usual_name: string;
  uid: string;
  siret: string;
  idp_id: string;
}

export interface TestOidcProvider {
  /** Issuer identifier (`http://localhost:<port>`), to give as `PROCONNECT_ISSUER`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The pairwise subject the provider gives this login for the Vigie client. */
  subjectFor(login: string): string;
  /**
   * Registers the Vigie client (its public URL decides the redirect URIs) and starts answering.
   * Split from the start because Vigie needs the issuer before it starts, the provider needs
   * Vigie's address to know its client.
   */
  configure(options: { vigiePublicUrl: string }): void;
  close(): Promise<void>;
}

/** The scopes ProConnect offers, each releasing the claim of the same name. */
const PROCONNECT_CLAIMS = ["given_name", "usual_name", "email", "uid", "siret", "idp_id"] as const;

/**
 * A real OpenID Connect provider (`oidc-provider` v9) on a free localhost port, configured like
 * ProConnect as Vigie sees it: authorization code flow, confidential client (client_secret_basic),
 * pairwise subjects, RS256 ID tokens, userinfo returned as an RS256-signed JWT, RP-initiated logout.
 * People log in through the library's development login form (any password; the login names the
 * account); consent is implied, as at ProConnect.
 */
export async function startOidcProvider(
  directory: TestIdentity[],
  options: { port?: number; clientId?: string; clientSecret?: string } = {},
): Promise<TestOidcProvider> {
  let handler: http.RequestListener | undefined;
  const server = http.createServer((req, res) => {
    if (handler) return handler(req, res);
    res
      .writeHead(503, { "content-type": "text/plain; charset=utf-8" })
      .end("fournisseur pas encore configuré");
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://localhost:${port}`;
  const clientId = options.clientId ?? `vigie-test-${randomBytes(4).toString("hex")}`;
  const clientSecret = options.clientSecret ?? randomBytes(32).toString("base64url");
  const sectorSalt = randomBytes(16).toString("hex");
  // Pairwise subject: opaque, stable for the account and this client, unlinkable elsewhere.
  const subjectFor = (login: string) =>
    createHash("sha256").update(`${sectorSalt}|${clientId}|${login}`).digest("hex");

  return {
    issuer,
    clientId,
    clientSecret,
    subjectFor,
    configure({ vigiePublicUrl }) {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const signingKey = {
        ...privateKey.export({ format: "jwk" }),
        kid: "test-rs256",
        alg: "RS256",
        use: "sig",
      };
      const configuration: Configuration = {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [`${vigiePublicUrl}/api/v1/auth/proconnect/callback`],
            post_logout_redirect_uris: [`${vigiePublicUrl}/`],
            response_types: ["code"],
            grant_types: ["authorization_code"],
            token_endpoint_auth_method: "client_secret_basic",
            id_token_signed_response_alg: "RS256",
            userinfo_signed_response_alg: "RS256",
            subject_type: "pairwise",
          },
        ],
        jwks: { keys: [signingKey] },
        cookies: { keys: [randomBytes(32).toString("hex")] },
        scopes: ["openid", ...PROCONNECT_CLAIMS],
        claims: {
          openid: ["sub"],
          ...Object.fromEntries(PROCONNECT_CLAIMS.map((claim) => [claim, [claim]])),
        },
        subjectTypes: ["public", "pairwise"],
        pairwiseIdentifier: (_ctx: KoaContextWithOIDC, accountId: string) => subjectFor(accountId),
        features: {
          devInteractions: { enabled: true },
          jwtUserinfo: { enabled: true },
          rpInitiatedLogout: { enabled: true },
        },
        // ProConnect asks no consent: grant the requested scopes on the first login.
        async loadExistingGrant(ctx: KoaContextWithOIDC) {
          const oidc = ctx.oidc;
          const client = oidc.client;
          const session = oidc.session;
          if (!client || !session?.accountId) return undefined;
          const grantId = oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
          if (grantId) return oidc.provider.Grant.find(grantId);
          const grant = new oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
          grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(" "));
          await grant.save();
          return grant;
        },
        async findAccount(_ctx: KoaContextWithOIDC, accountId: string): Promise<Account | undefined> {
          const identity = directory.find((person) => person.login === accountId);
          if (!identity) return undefined;
          return {
            accountId,
            async claims() {
              const { login: _login, ...claims } = identity;
              return { sub: accountId, ...claims };
            },
          };
        },
        ttl: {
          Session: 600,
          Interaction: 600,
          Grant: 600,
          IdToken: 600,
          AccessToken: 600,
          AuthorizationCode: 60,
        },
        renderError(ctx, out) {
          ctx.type = "text/plain; charset=utf-8";
          ctx.body = `erreur du fournisseur : ${out.error} — ${out.error_description ?? ""}`;
        },
      };
      const provider = new Provider(issuer, configuration);
      // The library's own warnings (development interactions, in-memory adapter) are expected here.
      provider.on("server_error", (_ctx, error) => console.error("oidc-provider:", error));
      handler = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
