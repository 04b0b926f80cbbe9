// Certificates made with openssl at test time: a self-signed one for 127.0.0.1 valid for `days`.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A key and certificate (PEM), their files and the certificate's end; null when openssl (or faketime) is missing. */
export function certFor127(dir: string, days: number, name = 'cert', opts: { faketime?: string } = {}): { key: string; cert: string; certFile: string; keyFile: string; notAfterMs: number } | null {
  if (spawnSync('openssl', ['version']).status !== 0) return null;
  if (opts.faketime && spawnSync('faketime', ['-f', '+0', 'true']).status !== 0) return null;
  const keyFile = join(dir, `${name}.key.pem`);
  const certFile = join(dir, `${name}.pem`);
  // With `faketime` (e.g. "-2d"), the certificate is made as if at that time: one that expired already.
  const [cmd, pre] = opts.faketime ? ['faketime', ['-f', opts.faketime, 'openssl']] : ['openssl', []];
  execFileSync(cmd, [
    ...pre,
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', String(days), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  const enddate = execFileSync('openssl', ['x509', '-noout', '-enddate', '-in', certFile], { encoding: 'utf8' }).trim().replace(/^notAfter=/, '');
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile, keyFile, notAfterMs: Date.parse(enddate) };
}
