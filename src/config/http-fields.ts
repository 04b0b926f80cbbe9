// Field validators for the keys of the HTTP server (`http.listen`, `http.token`): a listen address,
// and a bearer token that is never shown in a message.
import { parseListen } from '../http/listen.js';
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
