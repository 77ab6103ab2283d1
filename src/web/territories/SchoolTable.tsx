import { Table } from "@codegouvfr/react-dsfr/Table";
import { Link } from "react-router";
import { SCHOOL_SECTOR_LABELS, SCHOOL_TYPE_LABELS } from "../../contracts/labels.ts";
import type { SchoolSummary } from "../../contracts/territories.ts";
import { formatInteger } from "../format.ts";
import { PriorityEducationBadge, SchoolStatusBadge } from "../ui/StatusBadge.tsx";
import { schoolPath } from "./paths.ts";

const HEADERS = ["UAI", "Nom", "Type", "Secteur", "Éducation prioritaire", "Commune", "Élèves", "État"];

export function SchoolTable({ schools, caption }: { schools: SchoolSummary[]; caption: string }) {
  return (
    <Table
      caption={caption}
      headers={HEADERS}
      data={schools.map((school) => [
        <span key="uai">{school.uai}</span>,
        <Link key="name" to={schoolPath(school.uai)}>
          {school.name}
        </Link>,
        SCHOOL_TYPE_LABELS[school.type],
        SCHOOL_SECTOR_LABELS[school.sector],
        <PriorityEducationBadge key="ep" value={school.priorityEducation} />,
        school.communeName ?? "Non renseignée",
        school.pupils === null ? "Non renseigné" : formatInteger(school.pupils),
        <SchoolStatusBadge key="status" status={school.status} />,
      ])}
    />
  );
}
