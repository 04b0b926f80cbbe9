import { describe, expect, it } from 'vitest';
import { sleep, systemClock } from './clock.js';

describe('sleep', () => {
  it('resolves after its time, and an abort of its signal afterwards changes nothing', async () => {
    const stop = new AbortController();
    const started = performance.now();
    await sleep(20, stop.signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    stop.abort(new Error('late'));
    await expect(sleep(5, stop.signal)).rejects.toThrow('late');
  });

  it('rejects every sleep waiting on a signal with its reason when it aborts, and only those', async () => {
    const stop = new AbortController();
    const other = new AbortController();
    const waits = [sleep(60_000, stop.signal), sleep(60_000, stop.signal), sleep(30_000, stop.signal)];
    const elsewhere = sleep(10, other.signal);
    const reason = new Error('stopping');
    stop.abort(reason);
    for (const w of waits) await expect(w).rejects.toBe(reason);
    await expect(elsewhere).resolves.toBeUndefined();
  });

  it('keeps sleeping on a signal after earlier sleeps on it ended, and rejects the later ones on abort', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 5; i++) await sleep(1, stop.signal);
    const later = sleep(60_000, stop.signal);
    stop.abort('bye');
    await expect(later).rejects.toBe('bye');
  });

  it('rejects at once on a signal already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort('already'))).rejects.toBe('already');
  });
});

describe('systemClock().after', () => {
  it('calls back after its time, or never once cancelled', async () => {
    const clock = systemClock();
    const calls: string[] = [];
    const cancel = clock.after?.(10, () => calls.push('cancelled one'));
    clock.after?.(10, () => calls.push('kept one'));
    cancel?.();
    await sleep(40);
    expect(calls).toEqual(['kept one']);
  });

  it('declines a delay past the longest timer Node takes (the caller sleeps in steps instead)', () => {
    expect(systemClock().after?.(2 ** 31, () => undefined)).toBeUndefined();
  });
});
