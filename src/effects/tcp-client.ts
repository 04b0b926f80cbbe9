// All network I/O of tcp:// and tls:// probes: connect (TLS verified against the system roots plus an
// optional CA), optionally write a text and read the reply until it holds the expected text, the peer
// closes, the reply is full or the one overall deadline passes. Always resolves; errors are one safe line.
import net from 'node:net';
import { MAX_TIMER_MS } from './clock.js';
import { describeError, peerOf, type Peer } from './http-client.js';
import { loadTls } from './lazy-tls.js';

/** One connection: where, whether over TLS, what to send, whether to read a reply and what ends it. */
export interface TcpRequest {
  host: string;
  port: number;
  tls: boolean;
  /** An extra trusted CA (PEM) for TLS, added to the system roots. */
  ca?: string | Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Written once connected ("" = nothing). */
  send: string;
  /** The reply is complete once it contains this ("" = at the first data). */
  expect: string;
  /** Read a reply at all (a banner, or the answer to `send`); false = connecting is the whole probe. */
  read: boolean;
  maxReplyBytes: number;
}

/** How reading the reply ended: the expected text came, the first data came, the peer closed, the reply
 * filled maxReplyBytes, the deadline passed while connected, or nothing was read. */
export type ReplyEnd = 'matched' | 'data' | 'closed' | 'full' | 'timeout' | 'none';

/** A connection that was made (with what was read), or why none was. */
export type TcpResult = ({ kind: 'connected'; reply: Buffer; ended: ReplyEnd } & Peer) | { kind: 'error'; detail: string };

/** Makes one connection; always resolves, never rejects. */
export type TcpConnect = (req: TcpRequest) => Promise<TcpResult>;

const CLOSED_EARLY = 'connection closed before it was established';

/** The real TcpConnect: node:net, or node:tls (loaded only for tls://). */
export function nodeTcpConnect(): TcpConnect {
  return (req) =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let peer: Peer | null = null;
      const reply = (): Buffer => Buffer.concat(chunks, size);
      let socket: net.Socket;
      try {
        socket = open(req);
      } catch (err) {
        return resolve(fail(describeError(err, asUrl(req))));
      }
      let settled = false;
      const settle = (result: TcpResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(result);
      };
      const done = (ended: ReplyEnd): void => settle({ kind: 'connected', reply: reply(), ended, ...(peer ?? {}) });
      const timer = setTimeout(() => (peer ? done('timeout') : settle(fail(`timeout after ${req.timeoutMs} ms`))), Math.min(Math.max(0, req.timeoutMs), MAX_TIMER_MS));
      const onAbort = (): void => settle(fail('aborted'));
      if (req.signal?.aborted) return onAbort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once(req.tls ? 'secureConnect' : 'connect', () => {
        peer = peerOf(socket);
        if (req.send !== '') socket.write(req.send);
        if (!req.read) done('none');
      });
      socket.on('data', (chunk: Buffer) => {
        const room = req.maxReplyBytes - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
        if (req.expect === '') return done('data');
        if (reply().includes(req.expect)) return done('matched');
        if (size >= req.maxReplyBytes) done('full');
      });
      socket.on('end', () => (peer ? done('closed') : settle(fail(CLOSED_EARLY))));
      socket.on('close', () => settle(peer ? { kind: 'connected', reply: reply(), ended: 'closed', ...peer } : fail(CLOSED_EARLY)));
      socket.on('error', (err) => settle(fail(describeError(err, asUrl(req)))));
    });
}

function open(req: TcpRequest): net.Socket {
  const host = req.host.replace(/^\[(.*)\]$/, '$1');
  if (!req.tls) return net.connect({ host, port: req.port });
  const tls = loadTls();
  const ca = req.ca === undefined ? undefined : [...tls.rootCertificates, req.ca.toString()];
  return tls.connect({ host, port: req.port, ca, servername: net.isIP(host) === 0 ? host : undefined });
}

// describeError words TLS errors for an https: target and names the host of a URL.
function asUrl(req: TcpRequest): URL {
  return new URL(`${req.tls ? 'https' : 'http'}://${req.host}:${req.port}`);
}

function fail(detail: string): TcpResult {
  return { kind: 'error', detail };
}
