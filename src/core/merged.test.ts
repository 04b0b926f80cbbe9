import { describe, expect, it } from 'vitest';
import { merged } from './merged.js';

describe('merged', () => {
  it('gives what a spread gives: the same fields in the same order, the second object winning', () => {
    const a = { ts: 't', lat: 1, res: { cpu: 2 }, score: null };
    const b = { lat: 5, target: 'api' };
    const m = merged(a, b);
    expect(m).toEqual({ ...a, ...b });
    expect(Object.keys(m)).toEqual(Object.keys({ ...a, ...b }));
    expect(JSON.stringify(m)).toBe(JSON.stringify({ ...a, ...b }));
  });

  it('copies an undefined field of the second object, as a spread does, and leaves both objects as they were', () => {
    const a = { x: 1, y: 2 };
    const b = { y: undefined };
    const m = merged(a, b);
    expect('y' in m && m.y === undefined).toBe(true);
    expect(a).toEqual({ x: 1, y: 2 });
    expect(m).not.toBe(a);
  });
});
