// The child processes and temporary folders of `npm run bench:harm`, and their cleanup: on the way out, on an
// error and on Ctrl-C. Services and bursts also stop by themselves when the bench goes away.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const SERVICE = fileURLToPath(new URL('./service.mjs', import.meta.url));

/** Everything to stop and delete: child processes (kept until they exit) and folders. */
export const owned = { children: new Set(), dirs: new Set() };

/** Kills every child still running (SIGKILL after 5 s), then deletes the folders. */
export async function cleanup() {
  const alive = [...owned.children].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(alive.map((c) => new Promise((resolve) => {
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    c.once('exit', () => resolve(clearTimeout(timer)));
    c.kill('SIGTERM');
  })));
  for (const dir of owned.dirs) fs.rmSync(dir, { recursive: true, force: true });
  owned.dirs.clear();
}

/** Starts bench/harm/service.mjs and resolves with {child, ports: {health, control}}. */
export function startService(baseMs) {
  const child = spawn(process.execPath, [SERVICE, '--base-ms', String(baseMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  owned.children.add(child);
  child.once('exit', () => owned.children.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench service did not report its ports within 15 s')), 15_000);
    child.stdout.once('data', (line) => {
      clearTimeout(timer);
      resolve({ child, ports: JSON.parse(String(line)) });
    });
    child.once('exit', (code) => reject(new Error(`bench service exited early (code ${code})`)));
  });
}

/** A control request to a service: POST (or GET) 127.0.0.1:port/path; resolves with the JSON answer. */
export function control(port, path, method = 'POST') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${body}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}
