import { describe, expect, it } from 'vitest';
import { OWN_MATCHERS, OWN_TEXTS } from './own-line.js';

describe('own-line matchers', () => {
  it.each(OWN_TEXTS.map((text, i) => ({ text, i })))('$text matches its own bytes and no other', ({ text, i }) => {
    const match = OWN_MATCHERS[i] as (d: DataView, p: number) => boolean;
    const bytes = Buffer.alloc(text.length + 64, 0x20);
    bytes.write(text, 3);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    expect(match(dv, 3)).toBe(true);
    for (let k = 0; k < text.length; k++) {
      const bent = Buffer.from(bytes);
      bent[3 + k] = (bent[3 + k] as number) ^ 0x01;
      expect(match(new DataView(bent.buffer, bent.byteOffset, bent.length), 3), `byte ${k}`).toBe(false);
    }
  });
});
