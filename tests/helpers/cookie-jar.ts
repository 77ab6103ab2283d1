/**
 * A small cookie jar for driving browser flows over real HTTP with `fetch` (redirects followed by
 * hand): cookies are kept per origin, with their path and expiry honoured, as a browser would.
 */
interface StoredCookie {
  name: string;
  value: string;
  origin: string;
  path: string;
  expires: number | null;
  httpOnly: boolean;
  sameSite: string | null;
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Reads the `Set-Cookie` headers of a response to a request for `url`. */
  store(url: string | URL, response: Response): void {
    const target = new URL(url);
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = target.pathname.replace(/\/[^/]*$/, "") || "/";
      let expires: number | null = null;
      let httpOnly = false;
      let sameSite: string | null = null;
      for (const attribute of attributes) {
        const [key = "", val = ""] = attribute.split("=");
        switch (key.toLowerCase()) {
          case "path":
            path = val || "/";
            break;
          case "max-age":
            expires = Date.now() + Number(val) * 1000;
            break;
          case "expires":
            if (expires === null) expires = Date.parse(attribute.slice(attribute.indexOf("=") + 1));
            break;
          case "httponly":
            httpOnly = true;
            break;
          case "samesite":
            sameSite = val.toLowerCase();
            break;
        }
      }
      this.cookies = this.cookies.filter(
        (cookie) => !(cookie.origin === target.origin && cookie.name === name && cookie.path === path),
      );
      if (expires === null || expires > Date.now()) {
        this.cookies.push({ name, value, origin: target.origin, path, expires, httpOnly, sameSite });
      }
    }
  }

  /** The `Cookie` header a browser would send to `url`. */
  header(url: string | URL): string {
    const target = new URL(url);
    const now = Date.now();
    return this.cookies
      .filter(
        (cookie) =>
          cookie.origin === target.origin &&
          (cookie.expires === null || cookie.expires > now) &&
          (target.pathname === cookie.path ||
            target.pathname.startsWith(cookie.path.endsWith("/") ? cookie.path : `${cookie.path}/`)),
      )
      .sort((a, b) => b.path.length - a.path.length)
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join("; ");
  }

  get(origin: string, name: string): StoredCookie | undefined {
    return this.cookies.find((cookie) => cookie.origin === new URL(origin).origin && cookie.name === name);
  }

  /** `fetch` without following redirects, sending and storing cookies. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(url, response);
    return response;
  }

  /**
   * Follows redirects like a browser (GET after each), stopping at the first response that is not
   * a redirect or whose target `stopAt` accepts. Returns the last response and its URL.
   */
  async follow(
    url: string | URL,
    options: { init?: RequestInit; stopAt?: (next: URL) => boolean; maxHops?: number } = {},
  ): Promise<{ response: Response; url: URL; location?: URL }> {
    let current = new URL(url);
    let response = await this.fetch(current, options.init);
    for (let hop = 0; hop < (options.maxHops ?? 15); hop++) {
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
      const next = new URL(location, current);
      await response.body?.cancel();
      if (options.stopAt?.(next)) return { response, url: current, location: next };
      current = next;
      response = await this.fetch(current);
    }
    throw new Error(`Trop de redirections depuis ${url}`);
  }
}
