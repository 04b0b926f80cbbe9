// Field validators for the keys of the HTTP server (`http.listen`, `http.token`, `http.allowed_hosts`): a
// listen address, a bearer token that is never shown in a message, and a list of host names.
import { parseListen } from './listen.js';
import { field, show } from './fields.js';

/** A listen address (host:port) or "" for off; stays a string here, parsed again by normalise. */
export function listenAddress() {
  return field<string>((value) => {
    if (value === '') return { ok: true, value: '' };
    if (typeof value !== 'string') return { ok: false, problems: [{ message: `${show(value)} is not a string; use host:port, e.g. "127.0.0.1:9102", or "" for off` }] };
    const parsed = parseListen(value);
    return typeof parsed === 'string' ? { ok: false, problems: [{ message: parsed }] } : { ok: true, value: value.trim() };
  });
}

/** A bearer token: visible ASCII without spaces, or "" for none. Its value is never echoed. */
export function bearerToken() {
  return field<string>((value) => {
    if (value === '') return { ok: true, value: '' };
    const secret = 'not shown: it is a secret';
    if (typeof value !== 'string') return { ok: false, problems: [{ message: `is not a string (${secret}); quote it, e.g. token: "..."` }] };
    if (!/^[\x21-\x7e]+$/.test(value)) {
      return { ok: false, problems: [{ message: `contains a space, a line break or a non-ASCII character (${secret}); use letters, digits and punctuation, e.g. the output of \`openssl rand -hex 32\`` }] };
    }
    return { ok: true, value };
  });
}

const HOST_HINT = 'give a host name without scheme or port, e.g. guard.example.com, .example.com for it and its subdomains, or * for any name';

/** A list of host names the server answers under ("*" = any, ".example.com" = it and its subdomains). */
export function hostNames() {
  return field<string[]>((value) => {
    if (!Array.isArray(value)) return { ok: false, problems: [{ message: `${show(value)} is not a list; ${HOST_HINT}, in a list: [guard.example.com]` }] };
    const bad = value.findIndex((h) => typeof h !== 'string' || !(h === '*' || /^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/.test(h)));
    if (bad < 0) return { ok: true, value: value as string[] };
    return { ok: false, problems: [{ message: `item ${bad} (${show(value[bad])}) is not a host name; ${HOST_HINT}` }] };
  });
}
