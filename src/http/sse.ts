// GET /api/stream: server-sent events to the dashboard. Every client gets an event `cycle` after each
// cycle and a comment ping every `pingMs` (so proxies keep the connection); past `maxClients` a new
// client is refused (503). close() ends every stream, so the server can stop.

/** The SSE clients of one server. */
export interface SseHub {
  /** A streaming response for a new client, or null when the hub is full. */
  connect(): Response | null;
  /** Sends an event to every client. */
  publish(event: string, data: unknown): void;
  /** How many clients are connected. */
  readonly clients: number;
  /** Ends every stream and stops the ping. */
  close(): void;
}

const encoder = new TextEncoder();

/** Creates a hub; the ping timer runs only while a client is connected and never keeps the process up. */
export function sseHub(opts: { maxClients?: number; pingMs?: number } = {}): SseHub {
  const maxClients = opts.maxClients ?? 32;
  const pingMs = opts.pingMs ?? 15_000;
  const clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let ping: NodeJS.Timeout | null = null;
  const send = (text: string): void => {
    const bytes = encoder.encode(text);
    for (const c of clients) {
      try {
        c.enqueue(bytes);
      } catch {
        clients.delete(c); // already closed by the client
      }
    }
  };
  const drop = (c: ReadableStreamDefaultController<Uint8Array>): void => {
    clients.delete(c);
    if (clients.size === 0 && ping !== null) {
      clearInterval(ping);
      ping = null;
    }
  };
  return {
    connect() {
      if (clients.size >= maxClients) return null;
      let me: ReadableStreamDefaultController<Uint8Array> | null = null;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          me = controller;
          clients.add(controller);
          // retry: how long a browser waits before it reconnects after the stream broke.
          controller.enqueue(encoder.encode('retry: 5000\n: connected\n\n'));
          ping ??= setInterval(() => send(': ping\n\n'), pingMs).unref();
        },
        cancel() {
          if (me !== null) drop(me);
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
    },
    publish(event, data) {
      send(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    get clients() {
      return clients.size;
    },
    close() {
      for (const c of [...clients]) {
        drop(c);
        try {
          c.close();
        } catch {
          // already closed
        }
      }
    },
  };
}
