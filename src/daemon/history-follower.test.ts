// The daemon's history follows the real log file: appends (its own and another process's) are applied forward,
// a line still being written waits, logrotate (create and copytruncate) and a deleted log keep the history,
// and held-back records count without being kept twice.
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTs } from '../core/format.js';
import { historyCollector, type HistoryNeeds } from '../core/history.js';
import { historyFollower } from './history-follower.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const needs: HistoryNeeds = { window: 5, recent: 2, nowMs: NOW, lookbackMs: 3_600_000 };
const check = (msAgo: number, latency: number) => ({ ts: formatTs(NOW - msAgo), lat: { latency_ms: latency, ok: true }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null });
const heal = (msAgo: number) => ({ event: 'self_heal', ts: formatTs(NOW - msAgo), command: ['x'], exit_code: 0 });
const lines = (...records: object[]): string => records.map((r) => `${JSON.stringify(r)}\n`).join('');

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-follow-'));
  path = join(dir, 'guard.ndjson');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('historyFollower', () => {
  it('reads the tail once, then applies what is appended (by anyone) as a fresh read would see it', () => {
    writeFileSync(path, lines(check(500_000, 10), check(400_000, 11)));
    const f = historyFollower(path);
    expect(f.read(needs).history.window).toEqual([10, 11]);
    appendFileSync(path, lines(check(300_000, 12), heal(250_000)));
    const h = f.read(needs).history;
    expect(h.window).toEqual([10, 11, 12]);
    expect(h.healTimes).toEqual([NOW - 250_000]);
    const fresh = historyCollector(needs);
    for (const r of [heal(250_000), check(300_000, 12), check(400_000, 11), check(500_000, 10)]) fresh.visit(r);
    expect(h).toEqual(fresh.result());
  });

  it('a line still being written waits for its newline; a torn or foreign line is counted and skipped', () => {
    writeFileSync(path, lines(check(500_000, 10)));
    const f = historyFollower(path);
    f.read(needs);
    const whole = JSON.stringify(check(400_000, 11));
    appendFileSync(path, `not json\n${whole.slice(0, 20)}`);
    expect(f.read(needs)).toMatchObject({ history: { window: [10] }, skipped: 1 });
    appendFileSync(path, `${whole.slice(20)}\n`);
    expect(f.read(needs).history.window).toEqual([10, 11]);
  });

  it('logrotate create (moved away, a new file), copytruncate, and a deleted log: the history goes on', () => {
    writeFileSync(path, lines(check(500_000, 10), heal(450_000)));
    const f = historyFollower(path);
    f.read(needs);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(check(400_000, 11)));
    expect(f.read(needs).history).toMatchObject({ window: [10, 11], healTimes: [NOW - 450_000] });
    truncateSync(path, 0);
    appendFileSync(path, lines(check(300_000, 12)));
    expect(f.read(needs).history.window).toEqual([10, 11, 12]);
    unlinkSync(path);
    unlinkSync(`${path}.1`);
    expect(f.read(needs).history).toMatchObject({ window: [10, 11, 12], healTimes: [NOW - 450_000] });
    writeFileSync(path, lines(check(200_000, 13)));
    expect(f.read(needs).history).toMatchObject({ window: [10, 11, 12, 13], healTimes: [NOW - 450_000] });
  });

  it('held-back records count on top, and are not kept once written', () => {
    writeFileSync(path, lines(check(500_000, 10)));
    const f = historyFollower(path);
    expect(f.read(needs, [check(400_000, 11)]).history.window).toEqual([10, 11]);
    expect(f.read(needs).history.window).toEqual([10]);
    appendFileSync(path, lines(check(400_000, 11)));
    expect(f.read(needs).history.window).toEqual([10, 11]);
  });

  it('reads the tail again when what it must hold changes (a reload)', () => {
    writeFileSync(path, lines(...[10, 11, 12, 13, 14, 15, 16].map((ms, i) => check(700_000 - i * 10_000, ms))));
    const f = historyFollower(path);
    expect(f.read(needs).history.window).toEqual([12, 13, 14, 15, 16]);
    expect(f.read({ ...needs, window: 7 }).history.window).toEqual([10, 11, 12, 13, 14, 15, 16]);
  });
});
