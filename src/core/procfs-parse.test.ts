import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cpuBusyPercent,
  diskUsedPercent,
  memUsedPercent,
  parseCgroupLimit,
  parseCgroupMemory,
  parseMeminfo,
  parseProcStat,
  type CpuTimes,
} from './procfs-parse.js';

const fixture = (rel: string): string => readFileSync(new URL(`../../test/fixtures/${rel}`, import.meta.url), 'utf8');

// Builds a `cpu ` line: user nice system idle iowait irq softirq steal guest guest_nice.
const statText = (...fields: number[]): string => `cpu  ${fields.join(' ')}\ncpu0 ${fields.join(' ')}\nctxt 1\n`;
const times = (...fields: number[]): CpuTimes => parseProcStat(statText(...fields));

describe('parseProcStat', () => {
  it('reads the aggregate cpu line of a captured /proc/stat', () => {
    expect(parseProcStat(fixture('proc/idle/stat'))).toEqual({
      user: 20011, nice: 312, system: 8502, idle: 1823446, iowait: 2210,
      irq: 0, softirq: 1003, steal: 0, guest: 0, guestNice: 0,
    });
  });

  it('counts the fields an old kernel lacks as 0 (2.6.32: no guest_nice)', () => {
    const t = parseProcStat(fixture('proc/no-memavailable/stat'));
    expect(t.guest).toBe(0);
    expect(t.guestNice).toBe(0);
    expect(t.softirq).toBe(812);
  });

  it.each([
    ['no cpu line', 'intr 1 2 3\nctxt 5\n', 'has no "cpu " line'],
    ['only per-cpu lines', 'cpu0 1 2 3 4\n', 'has no "cpu " line'],
    ['too few fields', 'cpu  1 2 3\n', 'has a malformed "cpu " line'],
    ['not numbers', 'cpu  1 x 3 4\n', 'has a malformed "cpu " line'],
  ])('rejects %s with a clear message', (_name, text, message) => {
    expect(() => parseProcStat(text)).toThrow(message);
  });
});

describe('cpuBusyPercent', () => {
  const base = times(10000, 100, 3000, 500000, 800, 0, 200, 10, 0, 0);
  it.each<[string, CpuTimes, CpuTimes, number]>([
    // Δuser 900, Δsystem 50, Δidle 40, Δiowait 10: total 1000, busy 1000 − 40 − 10 = 950 → 95 %
    ['95 % busy', base, times(10900, 100, 3050, 500040, 810, 0, 200, 10, 0, 0), 95],
    // Δuser 100 (of which Δguest 50), Δidle 100: total 200 (guest not added again), busy 100 → 50 % (not 150/250 = 60 %)
    ['guest time is left out of the total', base, times(10100, 100, 3000, 500100, 800, 0, 200, 10, 50, 0), 50],
    // Δuser 10, Δsystem 10, Δirq 5, Δsoftirq 5, Δsteal 10, Δidle 960: total 1000, busy 40 → 4 %
    ['nearly idle, steal counts as busy', base, times(10010, 100, 3010, 500960, 800, 5, 205, 20, 0, 0), 4],
    // Δuser 50, Δidle 150, Δiowait −20 → 0: total 200, busy 50 → 25 % (unguarded: 50 / 180 = 27.8 %)
    ['iowait going backwards counts as 0', base, times(10050, 100, 3000, 500150, 780, 0, 200, 10, 0, 0), 25],
    // Δuser 300, Δsystem 100, Δidle −500 → 0: total 400, busy 400 → 100 % (unguarded the total would be negative)
    ['idle going backwards counts as 0', base, times(10300, 100, 3100, 499500, 800, 0, 200, 10, 0, 0), 100],
    // every counter went backwards (a reset): Δtotal 0 → 0
    ['every counter backwards', base, times(1, 0, 1, 1, 0, 0, 0, 0, 0, 0), 0],
    ['no time passed', base, base, 0],
  ])('%s', (_name, prev, next, expected) => {
    expect(cpuBusyPercent(prev, next)).toBeCloseTo(expected, 10);
  });
});

describe('meminfo', () => {
  it.each([
    // (16303420 − 11412394) / 16303420 = 4891026 / 16303420 = 30 %
    ['idle', 'proc/idle/meminfo', { totalKb: 16303420, availableKb: 11412394 }, 30],
    // (8152300 − 407615) / 8152300 = 95 %
    ['busy', 'proc/busy/meminfo', { totalKb: 8152300, availableKb: 407615 }, 95],
    // no MemAvailable: 1011505 free + 202301 buffers + 809204 cached = 2023010 of 4046020 → 50 %
    ['no-memavailable', 'proc/no-memavailable/meminfo', { totalKb: 4046020, availableKb: 2023010 }, 50],
  ])('%s fixture', (_name, file, parsed, percent) => {
    const m = parseMeminfo(fixture(file));
    expect(m).toEqual(parsed);
    expect(memUsedPercent(m)).toBeCloseTo(percent, 10);
  });

  it.each([
    ['no MemTotal', 'MemFree: 10 kB\nMemAvailable: 5 kB\n', 'has no MemTotal'],
    ['no MemAvailable and no MemFree', 'MemTotal: 100 kB\nCached: 5 kB\n', 'has neither MemAvailable nor MemFree'],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseMeminfo(text)).toThrow(message);
  });
});

describe('diskUsedPercent', () => {
  it.each([
    // used 700 blocks, available to non-root 250 (50 reserved for root are not counted): 700 / 950 = 73.684…%
    ['root reserve left out', { bsize: 4096, blocks: 1000, bfree: 300, bavail: 250 }, (700 / 950) * 100],
    ['empty', { bsize: 4096, blocks: 1000, bfree: 1000, bavail: 1000 }, 0],
    // only the root reserve is left: used 950, available 0 → 100 %
    ['full for non-root users', { bsize: 4096, blocks: 1000, bfree: 50, bavail: 0 }, 100],
    ['no blocks (a pseudo filesystem)', { bsize: 4096, blocks: 0, bfree: 0, bavail: 0 }, 0],
  ])('%s', (_name, s, expected) => {
    expect(diskUsedPercent(s)).toBeCloseTo(expected, 10);
  });
});

describe('cgroup v2 memory', () => {
  it('limited: 483183820 / 536870912 = 90.0 %', () => {
    const pct = parseCgroupMemory(fixture('cgroup/limited/memory.max'), fixture('cgroup/limited/memory.current'));
    expect(pct).toBeCloseTo(90.0, 6);
  });

  it('unlimited ("max") gives null without looking at memory.current', () => {
    expect(parseCgroupMemory(fixture('cgroup/unlimited/memory.max'), '')).toBeNull();
    expect(parseCgroupLimit('max\n')).toBeNull();
  });

  it.each([
    ['usage above the limit is clamped', '1000\n', '1200\n', 100],
    ['a zero limit is full', '0\n', '0\n', 100],
  ])('%s', (_name, max, current, expected) => {
    expect(parseCgroupMemory(max, current)).toBe(expected);
  });

  it('rejects text that is not a byte count', () => {
    expect(() => parseCgroupMemory('lots\n', '1\n')).toThrow('is not a byte count: "lots"');
    expect(() => parseCgroupMemory('1000\n', '\n')).toThrow('is not a byte count: ""');
  });
});
