import { createBrowserRouter } from "react-router";
import { HomePage } from "./home/HomePage.tsx";
import { AnnuaireImportPage } from "./imports/AnnuaireImportPage.tsx";
import { Layout } from "./layout/Layout.tsx";
import { NotFoundPage } from "./layout/NotFoundPage.tsx";
import { AccessibilityPage } from "./legal/AccessibilityPage.tsx";
import { LegalNoticePage } from "./legal/LegalNoticePage.tsx";
import { PersonalDataPage } from "./legal/PersonalDataPage.tsx";
import { SitemapPage } from "./legal/SitemapPage.tsx";
import { SchoolPage } from "./territories/SchoolPage.tsx";
import { SchoolsPage } from "./territories/SchoolsPage.tsx";
import { TerritoryPage } from "./territories/TerritoryPage.tsx";

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "territoires", element: <TerritoryPage /> },
      { path: "territoires/:level/:code", element: <TerritoryPage /> },
      { path: "etablissements", element: <SchoolsPage /> },
      { path: "etablissements/:uai", element: <SchoolPage /> },
      { path: "administration/import-annuaire", element: <AnnuaireImportPage /> },
      { path: "accessibilite", element: <AccessibilityPage /> },
      { path: "mentions-legales", element: <LegalNoticePage /> },
      { path: "donnees-personnelles", element: <PersonalDataPage /> },
      { path: "plan-du-site", element: <SitemapPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
