// Real software for recipe tests, started on free loopback ports in a temp folder: nginx (plain and TLS
// servers from one config) and redis-server. Each is skipped by the test when its package is missing.
import net from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binary, freePort, startProc, type Proc } from '../http/external.js';

/** A started program and the ports it listens on. */
export interface RealService {
  proc: Proc;
  port: number;
  tlsPort?: number;
}

/** Resolves once `port` on 127.0.0.1 accepts a connection; fails after `timeoutMs` with the program's output. */
export async function waitForPort(port: number, proc: Proc, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      const end = (up: boolean): void => {
        socket.destroy();
        resolve(up);
      };
      socket.on('connect', () => end(true));
      socket.on('error', () => end(false));
      socket.setTimeout(1000, () => end(false));
    });
    if (ok) return;
    if (Date.now() > deadline || proc.child.exitCode !== null) throw new Error(`port ${port} never opened\n--- output:\n${proc.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** nginx answering `locations` (path → `return` arguments, e.g. `200 "ok"`) on a plain port, and on a TLS
 * port too when a certificate is given. Null when nginx is not installed. */
export async function startNginx(dir: string, locations: Record<string, string>, tls?: { certFile: string; keyFile: string }): Promise<RealService | null> {
  const bin = binary('/usr/sbin/nginx');
  if (bin === null) return null;
  const [port, tlsPort] = [await freePort(), await freePort()];
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const routes = Object.entries(locations).map(([path, ret]) => `location = ${path} { return ${ret}; }`).join(' ');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/tmp;`).join(' ');
  const ssl = tls ? `server { listen 127.0.0.1:${tlsPort} ssl; ssl_certificate ${tls.certFile}; ssl_certificate_key ${tls.keyFile}; ${routes} }` : '';
  const conf = `worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log; events { worker_connections 64; }
http { access_log off; ${temp} server { listen 127.0.0.1:${port}; ${routes} } ${ssl} }\n`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const proc = startProc(bin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;']);
  await waitForPort(port, proc);
  if (tls) await waitForPort(tlsPort, proc);
  return tls ? { proc, port, tlsPort } : { proc, port };
}

/** redis-server on a free port, without persistence; `password` sets requirepass. Null when not installed. */
export async function startRedis(password?: string): Promise<RealService | null> {
  const bin = binary('/usr/bin/redis-server');
  if (bin === null) return null;
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(password ? ['--requirepass', password] : [])];
  const proc = startProc(bin, args);
  await waitForPort(port, proc);
  return { proc, port };
}
