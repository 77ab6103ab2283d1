import { useEffect, useRef } from "react";
import { useLocation } from "react-router";

/**
 * After a navigation to another page (not a change of the query string: filters, pagination), moves
 * the keyboard focus to the page's main heading, so that screen reader users hear where they are and
 * keyboard users continue from the top of the content. Pages that load data render their heading a
 * little later: we wait for it for up to two seconds.
 */
export function useFocusOnNavigation(): void {
  const { pathname } = useLocation();
  const previous = useRef(pathname);

  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    let attempts = 0;
    let timer: number | undefined;
    const tryFocus = () => {
      const heading = document.querySelector<HTMLElement>("main h1");
      if (heading) {
        if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
        return;
      }
      if (++attempts < 20) timer = window.setTimeout(tryFocus, 100);
    };
    tryFocus();
    return () => window.clearTimeout(timer);
  }, [pathname]);
}
