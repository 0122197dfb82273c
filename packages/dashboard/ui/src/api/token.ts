/**
 * The API token the dashboard sends, if any. On loopback without configured tokens the server serves
 * the local user and none is needed; a team server wants one (Settings page, or `?token=` once, which
 * is moved into this browser's storage and removed from the address bar so it is not bookmarked).
 */
const KEY = 'strata.token';

export function readToken(): string | undefined {
  try {
    const fromUrl = new URL(window.location.href).searchParams.get('token');
    if (fromUrl) {
      localStorage.setItem(KEY, fromUrl);
      const url = new URL(window.location.href);
      url.searchParams.delete('token');
      window.history.replaceState(null, '', url.pathname + url.search);
    }
    return localStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveToken(token: string | undefined): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
}
