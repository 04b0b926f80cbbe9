// Keeps the HTTP server reachable when one client hoards connections (slowloris: many connections that
// send a header line now and then and never finish a request). Node's own maxConnections refuses the NEW
// connection at the cap, which is exactly what the attacker wants; here the cap is kept by closing the
// oldest connection that has no request in progress (still sending headers, or idle between requests),
// first from the client holding the most. One client (remote address) holds at most `maxPerClient`:
// its own oldest waiting connection makes room for its next one. A connection serving a request (an
// event stream, a read) is never closed for room; if every one is busy, the new connection is refused.

import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How many connections the server keeps, in all and per client address. */
export interface ConnectionCaps {
  maxConnections: number;
  maxPerClient: number;
}

interface Conn {
  peer: string;
  /** Requests in progress on it (0: sending headers, or idle between requests). */
  active: number;
}

/** Tracks the server's connections and keeps `caps`; returns a count for tests and metrics. */
export function guardConnections(server: Server, caps: ConnectionCaps): { readonly open: number } {
  const conns = new Map<Socket, Conn>(); // insertion order = age, oldest first
  const perPeer = new Map<string, number>();
  const forget = (socket: Socket): void => {
    const conn = conns.get(socket);
    if (conn === undefined) return;
    conns.delete(socket);
    perPeer.set(conn.peer, (perPeer.get(conn.peer) ?? 1) - 1);
    if (perPeer.get(conn.peer) === 0) perPeer.delete(conn.peer);
  };
  const evict = (peer: string | null, spare: Socket): boolean => {
    for (const [socket, conn] of conns) {
      if (socket === spare || conn.active > 0 || (peer !== null && conn.peer !== peer)) continue;
      forget(socket);
      socket.destroy();
      return true;
    }
    return false;
  };
  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress ?? 'unknown';
    conns.set(socket, { peer, active: 0 });
    perPeer.set(peer, (perPeer.get(peer) ?? 0) + 1);
    socket.once('close', () => forget(socket));
    if ((perPeer.get(peer) ?? 0) > caps.maxPerClient && !evict(peer, socket)) return refuse(socket);
    if (conns.size > caps.maxConnections && !evictFromBusiest(socket)) refuse(socket);
  });
  // At the cap: room is taken from the client holding the most connections, then the next.
  const evictFromBusiest = (spare: Socket): boolean => {
    const peers = [...perPeer.entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p);
    return peers.some((p) => evict(p, spare));
  };
  const refuse = (socket: Socket): void => {
    forget(socket);
    socket.destroy();
  };
  server.on('request', (req, res) => {
    const conn = conns.get(req.socket);
    if (conn === undefined) return;
    conn.active += 1;
    res.once('close', () => (conn.active -= 1));
  });
  return {
    get open() {
      return conns.size;
    },
  };
}
