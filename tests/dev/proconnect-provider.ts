/**
 * A local stand-in for ProConnect, to try the ProConnect button by hand (never in production):
 * the OpenID provider of the tests (tests/helpers/oidc-provider.ts) on a fixed port, with a few
 * made-up agents. Run it, then start Vigie with the three variables it prints:
 *
 *   npx tsx tests/dev/proconnect-provider.ts [--port 4455] [--vigie http://localhost:3000]
 *
 * In its login form, type one of the logins listed (any password). The agent's e-mail must be
 * the one of a Vigie account (`vigie user create --email … --role … --territory …`).
 */
import { parseArgs } from "node:util";
import { startOidcProvider, type TestIdentity } from "../helpers/oidc-provider.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4455" },
    vigie: { type: "string", default: "http://localhost:3000" },
  },
});

const agents: TestIdentity[] = [
  ["admin", "admin@vigie.localhost", "Ada", "Admin"],
  ["dane", "dane@ac-bordeaux.fr", "Denis", "Dane"],
  ["ien", "ien@ac-bordeaux.fr", "Inès", "Inspectrice"],
  ["inconnu", "personne@interieur.gouv.fr", "Paul", "Personne"],
].map(([login, email, given, usual]) => ({
  login: login as string,
  email: email as string,
  given_name: given as string,
  usual_name: usual as string,
  uid: `uid-${login}`,
  siret: "13002526500013",
  idp_id: "fournisseur-local",
}));

const vigieUrl = (values.vigie ?? "http://localhost:3000").replace(/\/+$/, "");
const provider = await startOidcProvider(agents, {
  port: Number(values.port),
  clientId: "vigie-local",
  clientSecret: "secret-local-de-developpement-uniquement",
});
provider.configure({ vigiePublicUrl: vigieUrl });

process.stdout.write(`Fournisseur OpenID local (ProConnect simulé) : ${provider.issuer}

Démarrez Vigie avec :
  VIGIE_PUBLIC_URL=${vigieUrl} PROCONNECT_ISSUER=${provider.issuer} PROCONNECT_CLIENT_ID=${provider.clientId} PROCONNECT_CLIENT_SECRET=${provider.clientSecret} npm run dev

Identifiants du formulaire du fournisseur (mot de passe quelconque) :
${agents.map((a) => `  ${a.login.padEnd(8)} → ${a.email}`).join("\n")}

Ctrl+C pour arrêter.
`);

process.on("SIGINT", () => {
  void provider.close().then(() => process.exit(0));
});
