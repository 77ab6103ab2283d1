import { useEffect } from "react";

export const SITE_NAME = "Vigie";

/** Sets `document.title` to « <title> - Vigie » (RGAA 8.6: one relevant title per page). */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} - ${SITE_NAME}` : SITE_NAME;
  }, [title]);
}
