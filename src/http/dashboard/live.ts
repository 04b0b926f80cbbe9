// Live updates: api/stream read with fetch (not EventSource, which cannot send the Authorization header),
// parsed as server-sent events, reconnecting after a failure.

/** One server-sent event. */
export interface StreamEvent {
  event: string;
  data: string;
}

/** How the stream connection is doing, for the page's status line. */
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** Options of followStream. */
export interface FollowOptions {
  url: string;
  headers: () => Record<string, string>;
  onEvent: (ev: StreamEvent) => void;
  onState: (state: LiveState) => void;
  signal: AbortSignal;
  retryMs?: number;
}

/** Reads the stream until `signal` aborts, reconnecting `retryMs` (3 s) after each failure or end. */
export async function followStream(opts: FollowOptions): Promise<void> {
  while (!opts.signal.aborted) {
    try {
      const res = await fetch(opts.url, { headers: { accept: 'text/event-stream', ...opts.headers() }, cache: 'no-store', credentials: 'omit', signal: opts.signal });
      if (res.ok && res.body) {
        opts.onState('live');
        await readEvents(res.body, opts.onEvent);
      }
    } catch {
      // a dropped connection or an abort: retried below unless aborted
    }
    if (opts.signal.aborted) return;
    opts.onState('reconnecting');
    await pause(opts.retryMs ?? 3000, opts.signal);
  }
}

/** Splits an SSE body into events (the `event:` and `data:` fields; comments and ids are ignored). */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (ev: StreamEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const ev = parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (ev) onEvent(ev);
    }
  }
}

function parseBlock(block: string): StreamEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) continue; // a comment (keep-alive)
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : null;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
