// The one CheckView class the reader hands over: filled by the skimmer from a line's bytes (its ts text
// decoded only when asked for) or from a parsed record. One class keeps the accumulator's calls
// monomorphic, and numbers in a Float64Array are never boxed.
import { checkViewOf, NO_REASONS, type CheckView } from './check-view.js';
import { readNumber } from './json-skim.js';
import { tsBytesParser } from './ts-bytes.js';

/** Slots of the numbers in CheckLine.f (NaN: not a number). */
export const SLOT = { latency: 0, score: 1, mean: 2, stdev: 3, cpu: 4, mem: 5, disk: 6 } as const;

const orNull = (v: number): number | null => (v === v ? v : null);

/** A reusable check view: valid until it is filled again. */
export class CheckLine implements CheckView {
  /**
   * The numbers by SLOT, and one more for a number read but not kept (http_status). latency and score are
   * always here; a number the skimmer left unread (see later) is read into it by its getter.
   */
  readonly f = new Float64Array(8);
  /** Bit 1 << slot: the number of that slot is still to be read from buf at numAt[slot]. */
  pending = 0;
  readonly numAt = new Int32Array(8);
  /** lat.ok: 1 true, 0 false, -1 not a boolean. */
  okCode = -1;
  tsMs = Number.NaN;
  tsUs = Number.NaN;
  /** pos = posBase + lineStart: the base is set once per buffer, so no double is built per line. */
  posBase = 0;
  lineStart = 0;
  reasons: readonly string[] = NO_REASONS;
  /** Reads the ts bytes (its cache of the day lives as long as the view). */
  readonly tsReader = tsBytesParser();
  /** False while tsMs and tsUs are still to be read from [tsStart, tsEnd). */
  tsRead = false;
  /** The bytes the ts is in, [tsStart, tsEnd), when text is null. */
  buf: Buffer = Buffer.alloc(0);
  /** A DataView of buf, for reading 4 bytes at a time. */
  dv: DataView = new DataView(new ArrayBuffer(0));
  tsStart = 0;
  tsEnd = 0;
  private text: string | null = null;

  /** Forgets the previous line before the skimmer reads one from buf. */
  reset(buf: Buffer): void {
    const f = this.f;
    for (let i = 0; i < f.length; i++) f[i] = Number.NaN;
    this.okCode = -1;
    this.pending = 0;
    this.reasons = NO_REASONS;
    if (buf !== this.buf) this.dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
    this.buf = buf;
    this.text = null;
    this.tsRead = false;
  }

  /** Fills the view from a parsed check record. */
  fill(rec: Record<string, unknown>, tsMs: number, pos: number): this {
    const v = checkViewOf(rec, tsMs, pos);
    const f = this.f;
    for (const key of Object.keys(SLOT) as (keyof typeof SLOT)[]) f[SLOT[key]] = v[key === 'latency' ? 'latencyMs' : key] ?? Number.NaN;
    this.okCode = v.ok === null ? -1 : v.ok ? 1 : 0;
    this.pending = 0;
    this.reasons = v.reasons;
    this.tsMs = tsMs;
    this.tsUs = v.tsUs;
    this.posBase = pos;
    this.lineStart = 0;
    this.text = v.ts;
    return this;
  }

  /**
   * Notes the valid JSON number in buf at `at`, ending at `end`, as the slot's, to be read only if asked
   * for (the report needs two of a check's seven numbers); returns end. A negative end is returned as is.
   */
  later(end: number, at: number, slot: number): number {
    if (end >= 0) {
      this.numAt[slot] = at;
      this.pending |= 1 << slot;
    }
    return end;
  }

  // The number of a slot, read now if it was left for later; null when there is none.
  private num(slot: number): number | null {
    if ((this.pending & (1 << slot)) !== 0) {
      readNumber(this.buf, this.numAt[slot] as number, this.f, slot);
      this.pending &= ~(1 << slot);
    }
    return orNull(this.f[slot] as number);
  }

  get pos(): number {
    return this.posBase + this.lineStart;
  }
  get ts(): string {
    this.text ??= this.buf.toString('utf8', this.tsStart, this.tsEnd);
    return this.text;
  }
  get ok(): boolean | null {
    return this.okCode === 1 ? true : this.okCode === 0 ? false : null;
  }
  get latencyMs(): number | null {
    return this.num(SLOT.latency);
  }
  get score(): number | null {
    return this.num(SLOT.score);
  }
  get mean(): number | null {
    return this.num(SLOT.mean);
  }
  get stdev(): number | null {
    return this.num(SLOT.stdev);
  }
  get cpu(): number | null {
    return this.num(SLOT.cpu);
  }
  get mem(): number | null {
    return this.num(SLOT.mem);
  }
  get disk(): number | null {
    return this.num(SLOT.disk);
  }
}
