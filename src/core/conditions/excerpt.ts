// A short, safe excerpt of what an error response says about itself: a JSON body's `reason`, `message` or
// `error` field (RabbitMQ, Elasticsearch, most APIs; nothing when it has none), an HTML page's title, else
// the first line of the text.
import { printable } from './text.js';

/** The longest excerpt kept in a reason. */
export const MAX_EXCERPT_CHARS = 100;

const FIELDS = ['reason', 'message', 'error'] as const;

/** The body's explanation, one line, unprintables replaced, cut to MAX_EXCERPT_CHARS; null when it says nothing. */
export function bodyExcerpt(body: Buffer): string | null {
  const text = body.toString('utf8').replace(/^\uFEFF/, '').trim();
  if (text === '') return null;
  const json = parseObject(text);
  const said = json.ok ? explanation(json.value) ?? explanation(json.value.error) : fromHtml(text) ?? firstLine(text);
  if (said === null) return null;
  const line = printable(said.slice(0, MAX_EXCERPT_CHARS * 4).replace(/\s+/g, ' ').trim(), MAX_EXCERPT_CHARS);
  return line === '' ? null : line;
}

// A JSON object body (its explanation is in its fields, or nowhere: its raw text is no explanation).
function parseObject(text: string): { ok: true; value: Record<string, unknown> } | { ok: false } {
  if (!text.startsWith('{')) return { ok: false };
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? { ok: true, value: value as Record<string, unknown> } : { ok: false };
  } catch {
    return { ok: false };
  }
}

// The first of reason / message / error that is a non-empty string, in a JSON object.
function explanation(doc: unknown): string | null {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  for (const field of FIELDS) {
    const value = (doc as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

function fromHtml(text: string): string | null {
  if (!text.startsWith('<')) return null;
  return /<title[^>]*>([^<]{1,400})<\/title>/i.exec(text.slice(0, 8192))?.[1] ?? null;
}

function firstLine(text: string): string {
  return text.slice(0, MAX_EXCERPT_CHARS * 4).split(/\r?\n/)[0] ?? '';
}
