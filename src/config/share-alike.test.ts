// Targets that inherit a section share one object; a target's own keys stay its own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { shareAlike } from './share-alike.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ag-share-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const CONFIG = `
heal: {command: [/bin/true], cooldown: 5m}
health: {headers: {X-Team: ops}}
targets:
  - name: a
    health: {url: http://127.0.0.1:1/a}
  - name: b
    health: {url: http://127.0.0.1:1/b}
    heal: {command: [/bin/false]}
  - name: c
    health: {url: http://127.0.0.1:1/c, headers: {X-Team: web}}
`;

describe('targets share the sections they inherit', () => {
  it('gives each target its own values, and one object to the targets whose section is equal', async () => {
    const file = join(tmp, 'g.yaml');
    writeFileSync(file, CONFIG);
    const [a, b, c] = (await loadConfig({ file, env: {} })).config.targets;
    expect([a?.heal.command, b?.heal.command, c?.heal.command]).toEqual([['/bin/true'], ['/bin/false'], ['/bin/true']]);
    expect([a?.health.url, b?.health.url, c?.health.url]).toEqual(['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b', 'http://127.0.0.1:1/c']);
    expect([a?.health.headers, c?.health.headers]).toEqual([{ 'X-Team': 'ops' }, { 'X-Team': 'web' }]);
    expect([a?.heal.cooldownMs, b?.heal.cooldownMs]).toEqual([300_000, 300_000]);
    expect(a?.heal).toBe(c?.heal);
    expect(a?.health.headers).toBe(b?.health.headers);
    expect(a?.heal).not.toBe(b?.heal);
    expect(a?.logFile).not.toBe(b?.logFile);
  });

  it('leaves alone what is not plain data', () => {
    const re = /x/;
    const one = { at: { re }, n: { v: Number.NaN } };
    const two = { at: { re }, n: { v: Number.NaN } };
    shareAlike([one, two]);
    expect(one.at).not.toBe(two.at);
    expect(one.n).not.toBe(two.n);
  });
});
