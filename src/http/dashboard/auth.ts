// The API token: read from the URL fragment (#token=…, which browsers never send to the server), kept in
// sessionStorage for this tab, and asked for once in a form when the API answers 401.

const STORAGE_KEY = 'anomaly-guard.token';

/** Where the page keeps the token it sends as `Authorization: Bearer …`. */
export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

/** A store over sessionStorage (a plain variable when storage is disabled), seeded from `#token=…`. */
export function tokenStore(win: Window): TokenStore {
  let memory: string | null = null;
  const storage = (): Storage | null => {
    try {
      return win.sessionStorage;
    } catch {
      return null; // storage disabled (privacy settings): keep the token in memory only
    }
  };
  const store: TokenStore = {
    get: () => storage()?.getItem(STORAGE_KEY) ?? memory,
    set: (token) => {
      memory = token;
      storage()?.setItem(STORAGE_KEY, token);
    },
    clear: () => {
      memory = null;
      storage()?.removeItem(STORAGE_KEY);
    },
  };
  takeTokenFromFragment(win, store);
  return store;
}

function takeTokenFromFragment(win: Window, store: TokenStore): void {
  const token = new URLSearchParams(win.location.hash.slice(1)).get('token');
  if (!token) return;
  store.set(token);
  // Drop it from the address bar, history and anything copied from it.
  win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}`);
}

/** Shows the token form and resolves with what the user enters; calls while it is open share one answer. */
export function tokenPrompt(form: HTMLFormElement, input: HTMLInputElement, note: HTMLElement): (refused: boolean) => Promise<string> {
  let pending: Promise<string> | null = null;
  return (refused) => {
    pending ??= new Promise<string>((resolve) => {
      note.textContent = refused ? 'That token was refused. Enter the value of http.token from the guard\'s config.' : 'This dashboard needs the access token: the value of http.token in the guard\'s config.';
      form.hidden = false;
      input.value = '';
      input.focus();
      const onSubmit = (ev: SubmitEvent): void => {
        ev.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        form.removeEventListener('submit', onSubmit);
        form.hidden = true;
        pending = null;
        resolve(token);
      };
      form.addEventListener('submit', onSubmit);
    });
    return pending;
  };
}
