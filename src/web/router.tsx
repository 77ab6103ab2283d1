import { createBrowserRouter } from "react-router";
import { CampaignApprovalPage } from "./collection/CampaignApprovalPage.tsx";
import { CampaignStatusPage } from "./collection/CampaignStatusPage.tsx";
import { CampaignsPage } from "./collection/CampaignsPage.tsx";
import { CollectionResponsePage } from "./collection/CollectionResponsePage.tsx";
import { FormEditorPage } from "./collection/FormEditorPage.tsx";
import { FormsPage } from "./collection/FormsPage.tsx";
import { NewCampaignPage } from "./collection/NewCampaignPage.tsx";
import { CompetencesPage } from "./competences/CompetencesPage.tsx";
import { HomePage } from "./home/HomePage.tsx";
import { AccountPage } from "./identity/AccountPage.tsx";
import { AuditLogPage } from "./identity/AuditLogPage.tsx";
import { ForgotPasswordPage } from "./identity/ForgotPasswordPage.tsx";
import { LoginPage } from "./identity/LoginPage.tsx";
import { MyDataPage } from "./identity/MyDataPage.tsx";
import { PersonalDataRequestsPage } from "./identity/PersonalDataRequestsPage.tsx";
import { RetentionPage } from "./identity/RetentionPage.tsx";
import { SetPasswordPage } from "./identity/SetPasswordPage.tsx";
import { UsersAdminPage } from "./identity/UsersAdminPage.tsx";
import { AnnuaireImportPage } from "./imports/AnnuaireImportPage.tsx";
import { DataImportPage } from "./imports/DataImportPage.tsx";
import { CataloguePage } from "./indicators/CataloguePage.tsx";
import { ConfidentialityPage } from "./indicators/ConfidentialityPage.tsx";
import { HeldValuesPage } from "./indicators/HeldValuesPage.tsx";
import { IndicatorPage } from "./indicators/IndicatorPage.tsx";
import { Layout } from "./layout/Layout.tsx";
import { NotFoundPage } from "./layout/NotFoundPage.tsx";
import { AccessibilityPage } from "./legal/AccessibilityPage.tsx";
import { LegalNoticePage } from "./legal/LegalNoticePage.tsx";
import { PersonalDataPage } from "./legal/PersonalDataPage.tsx";
import { ProcessingRegisterPage } from "./legal/ProcessingRegisterPage.tsx";
import { SitemapPage } from "./legal/SitemapPage.tsx";
import { EditRoadmapPage } from "./roadmaps/EditRoadmapPage.tsx";
import { RoadmapPage } from "./roadmaps/RoadmapPage.tsx";
import { RoadmapsPage } from "./roadmaps/RoadmapsPage.tsx";
import { TemplatePage } from "./roadmaps/TemplatePage.tsx";
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
      { path: "feuilles-de-route", element: <RoadmapsPage /> },
      { path: "feuilles-de-route/modeles/:templateId", element: <TemplatePage /> },
      { path: "feuilles-de-route/:id", element: <RoadmapPage /> },
      { path: "feuilles-de-route/:id/modifier", element: <EditRoadmapPage /> },
      { path: "indicateurs", element: <CataloguePage /> },
      { path: "competences", element: <CompetencesPage /> },
      { path: "collecte", element: <CampaignsPage /> },
      { path: "collecte/nouvelle", element: <NewCampaignPage /> },
      { path: "collecte/formulaires", element: <FormsPage /> },
      { path: "collecte/formulaires/nouveau", element: <FormEditorPage /> },
      { path: "collecte/formulaires/:code/edition", element: <FormEditorPage /> },
      { path: "collecte/:id/suivi", element: <CampaignStatusPage /> },
      { path: "collecte/:id/validation", element: <CampaignApprovalPage /> },
      { path: "collecte/:campaignId/:uai", element: <CollectionResponsePage /> },
      { path: "indicateurs/valeurs-a-verifier", element: <HeldValuesPage /> },
      { path: "indicateurs/:code", element: <IndicatorPage /> },
      { path: "administration/import-annuaire", element: <AnnuaireImportPage /> },
      { path: "donnees/import", element: <DataImportPage /> },
      { path: "administration/utilisateurs", element: <UsersAdminPage /> },
      { path: "administration/journal", element: <AuditLogPage /> },
      { path: "administration/conservation", element: <RetentionPage /> },
      { path: "administration/secret-statistique", element: <ConfidentialityPage /> },
      { path: "administration/demandes-donnees", element: <PersonalDataRequestsPage /> },
      { path: "connexion", element: <LoginPage /> },
      { path: "activation", element: <SetPasswordPage key="activation" mode="activation" /> },
      { path: "reinitialisation", element: <SetPasswordPage key="reset" mode="reset" /> },
      { path: "mot-de-passe-oublie", element: <ForgotPasswordPage /> },
      { path: "mon-compte", element: <AccountPage /> },
      { path: "mes-donnees", element: <MyDataPage /> },
      { path: "accessibilite", element: <AccessibilityPage /> },
      { path: "mentions-legales", element: <LegalNoticePage /> },
      { path: "donnees-personnelles", element: <PersonalDataPage /> },
      { path: "registre-des-traitements", element: <ProcessingRegisterPage /> },
      { path: "plan-du-site", element: <SitemapPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
