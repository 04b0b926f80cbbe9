import { describe, expect, it } from 'vitest';
import { sampleHost } from './host.js';

// Two /proc/stat readings: busy +950, idle +50 → 95.0 %.
const STAT_A = 'cpu  10000 0 2000 50000 500 0 0 0 0 0\n';
const STAT_B = 'cpu  10900 0 2050 50050 500 0 0 0 0 0\n';
const MEMINFO = 'MemTotal: 1000 kB\nMemAvailable: 700 kB\n';

describe('sampleHost with a first reading taken early', () => {
  it('uses it and waits only for the rest of cpu_sample', async () => {
    const slept: number[] = [];
    const reads: string[] = [];
    const sample = await sampleHost(
      { cpuSampleMs: 1000, diskPath: '/', firstStat: { text: Promise.resolve(STAT_A), atMs: 100 } },
      {
        procfs: { read: async (rel) => (reads.push(rel), rel === 'stat' ? STAT_B : MEMINFO) },
        statfs: async () => ({ bsize: 1, blocks: 10, bfree: 5, bavail: 5 }),
        clock: { monoMs: () => 400, sleep: async (ms) => void slept.push(ms) },
      },
    );
    expect(slept).toEqual([700]);
    expect(reads.filter((r) => r === 'stat')).toHaveLength(1);
    expect(sample).toMatchObject({ cpu: 95, mem: 30, disk: 50, errors: [] });
  });

  it('reports an early reading that failed like any failed read', async () => {
    const sample = await sampleHost(
      { cpuSampleMs: 1000, diskPath: '/', firstStat: { text: Promise.reject(Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' })), atMs: 0 } },
      {
        procfs: { read: async () => MEMINFO, pathOf: (rel) => `/x/${rel}` },
        statfs: async () => ({ bsize: 1, blocks: 10, bfree: 5, bavail: 5 }),
        clock: { monoMs: () => 0, sleep: async () => undefined },
      },
    );
    expect(sample.cpu).toBeNull();
    expect(sample.errors[0]).toMatch(/^cpu: cannot read \/x\/stat: /);
  });
});
