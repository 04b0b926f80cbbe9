import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPreview } from './json-preview.js';

describe('jsonPreview', () => {
  it('is JSON.stringify, whole when short, else a prefix of at least the asked length', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 200 }), (value, min) => {
        const full = JSON.stringify(value);
        const preview = jsonPreview(value, min);
        expect(full.startsWith(preview)).toBe(true);
        if (preview !== full) expect(preview.length).toBeGreaterThan(min);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['an empty array', [], '[]'],
    ['an empty object', {}, '{}'],
    ['nested', { a: [1, { b: null }], 'k"y': 'x\n' }, '{"a":[1,{"b":null}],"k\\"y":"x\\n"}'],
    ['a "__proto__" key from JSON.parse', JSON.parse('{"__proto__":[1]}'), '{"__proto__":[1]}'],
  ])('%s', (_name, value, text) => {
    expect(jsonPreview(value, 1000)).toBe(text);
  });

  it('walks 200,000 levels of nesting without recursion (JSON.stringify overflows)', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(jsonPreview(deep, 40)).toBe('['.repeat(41));
    let objects: unknown = 1;
    for (let i = 0; i < 100_000; i++) objects = { a: objects };
    expect(jsonPreview(objects, 10)).toBe('{"a":{"a":{');
  });

  it('stops early in a huge array instead of writing it whole', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(jsonPreview(big, 20)).toBe('[0,1,2,3,4,5,6,7,8,9,');
  });
});
