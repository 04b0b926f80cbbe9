import { describe, expect, it } from 'vitest';
import { progressMeter } from './progress.js';

describe('progressMeter', () => {
  it('redraws at most every 250 ms and erases its line when done', () => {
    const out: string[] = [];
    let now = 0;
    const p = progressMeter({ total: 200e6, write: (t) => out.push(t), nowMs: () => now });
    p.update(1e6);
    now = 100;
    p.update(50e6); // too soon: not drawn
    now = 300;
    p.update(100e6);
    p.done();
    expect(out).toEqual(['\rreport: 1.0 / 200.0 MB (0 %)', '\rreport: 100.0 / 200.0 MB (50 %)', '\r\x1b[K']);
  });

  it('writes nothing when it never drew', () => {
    const out: string[] = [];
    progressMeter({ total: 1, write: (t) => out.push(t), nowMs: () => 0 }).done();
    expect(out).toEqual([]);
  });
});
