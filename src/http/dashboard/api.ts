// The page's API client: relative URLs (so the page also works behind a path prefix), the bearer token as a
// header, a 401 answered by asking for the token, and failures returned as values. Requests omit browser
// credentials, so a 401's Basic challenge never pops up the browser's own login box: the page asks itself.
import type { TokenStore } from './auth.js';

/** What a request gave: the parsed body, or why there is none. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** The calls the dashboard makes. */
export interface Api {
  /** GET a JSON resource such as `api/status`. */
  get<T>(path: string, signal?: AbortSignal): Promise<ApiResult<T>>;
  /** The headers every call sends (the token, when there is one). */
  headers(): Record<string, string>;
}

/** An API client that sends the stored token and asks for one (via `askToken`) on a 401. */
export function createApi(tokens: TokenStore, askToken: (refused: boolean) => Promise<string>): Api {
  const headers = (): Record<string, string> => {
    const token = tokens.get();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const get = async <T>(path: string, signal?: AbortSignal): Promise<ApiResult<T>> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      let res: Response;
      try {
        res = await fetch(path, { headers: { accept: 'application/json', ...headers() }, cache: 'no-store', credentials: 'omit', signal });
      } catch (err) {
        return { ok: false, error: `cannot reach the guard (${(err as Error).message})` };
      }
      if (res.status === 401) {
        tokens.set(await askToken(tokens.get() !== null));
        continue;
      }
      if (!res.ok) return { ok: false, error: `${path} answered HTTP ${res.status}` };
      try {
        return { ok: true, value: (await res.json()) as T };
      } catch {
        return { ok: false, error: `${path} did not answer JSON` };
      }
    }
    return { ok: false, error: 'the token was refused' };
  };
  return { get, headers };
}
