import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { Footer } from "@codegouvfr/react-dsfr/Footer";

export function SiteFooter() {
  return (
    <Footer
      id="pied-de-page"
      accessibility="non compliant"
      contentDescription="Vigie est la plateforme libre qui aide les autorités académiques à piloter la stratégie du numérique éducatif par les données : territoires, établissements, indicateurs et objectifs."
      accessibilityLinkProps={{ to: "/accessibilite" }}
      termsLinkProps={{ to: "/mentions-legales" }}
      websiteMapLinkProps={{ to: "/plan-du-site" }}
      bottomItems={[
        { text: "Données personnelles", linkProps: { to: "/donnees-personnelles" } },
        { text: "Registre des traitements", linkProps: { to: "/registre-des-traitements" } },
        headerFooterDisplayItem,
      ]}
      license={
        <>
          Sauf mention contraire, le code source de Vigie est publié sous{" "}
          <a
            href="https://eupl.eu/1.2/fr/"
            target="_blank"
            rel="noopener noreferrer"
            title="licence EUPL 1.2 - nouvelle fenêtre"
          >
            licence EUPL 1.2
          </a>
          .
        </>
      }
    />
  );
}
