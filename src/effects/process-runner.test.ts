import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeProcessRunner, tailBuffer, type RunRequest, type RunResult } from './process-runner.js';

const scripts = fileURLToPath(new URL('../../test/fixtures/scripts/', import.meta.url));
const node = process.execPath;
const script = (name: string, ...args: string[]): string[] => [node, join(scripts, name), ...args];
const sh = (name: string, ...args: string[]): string[] => ['/bin/sh', join(scripts, name), ...args];
const run = nodeProcessRunner({ clock: { monoMs: () => performance.now() } });
// For a child that hangs: long enough for a loaded machine to start /bin/sh and let it print first.
const short = { input: '', timeoutMs: 1500, killGraceMs: 300 };
// For a child that ends by itself: all the time a loaded machine may need to start Node.
const roomy = { ...short, timeoutMs: 30_000 };

// Dead means gone, or a zombie: in a container whose init does not reap, a killed orphan stays a zombie.
function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitDead(pid: number, withinMs = 1000): Promise<boolean> {
  const until = performance.now() + withinMs;
  while (!isDead(pid) && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
  return isDead(pid);
}

function flooded(lines: number): string {
  let text = '';
  for (let i = lines - 420; i < lines; i++) text += `${String(i).padStart(9, '0')}\n`;
  return text.slice(-4096);
}

interface Scenario {
  name: string;
  req: (dir: string) => RunRequest;
  check: (r: RunResult, dir: string) => void | Promise<void>;
}

const scenarios: Scenario[] = [
  {
    name: 'passes its input on stdin and keeps both output tails',
    req: (dir) => ({ ...roomy, argv: script('record-stdin.mjs', join(dir, 'stdin.txt')), input: 'hello\n{"a":1}\n' }),
    check: (r, dir) => {
      expect(r).toMatchObject({ exitCode: 0, signal: null, timedOut: false, aborted: false, error: null });
      expect(readFileSync(join(dir, 'stdin.txt'), 'utf8')).toBe('hello\n{"a":1}\n');
      expect(r.stdoutTail).toBe('got 14 bytes\n');
      expect(r.stderrTail).toBe('stderr: done\n');
      expect(r.durationMs).toBeGreaterThan(0);
    },
  },
  {
    name: 'reports a failing exit code as a value',
    req: () => ({ ...roomy, argv: script('exit-code.mjs', '3') }),
    check: (r) => {
      expect(r).toMatchObject({ exitCode: 3, signal: null, timedOut: false, error: null });
      expect(r.stderrTail).toBe('failing with 3\n');
    },
  },
  {
    name: 'stops a child that hangs past the timeout with SIGTERM',
    req: () => ({ ...short, argv: sh('hang.sh') }),
    check: (r) => {
      expect(r).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: true, aborted: false, error: null });
      expect(r.stdoutTail).toBe('hanging\n');
      expect(r.durationMs).toBeGreaterThanOrEqual(290);
      expect(r.durationMs).toBeLessThan(3000);
    },
  },
  {
    name: 'kills a child that ignores SIGTERM after the grace',
    req: () => ({ ...short, argv: sh('hang.sh', 'ignore-term') }),
    check: (r) => {
      expect(r).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: true });
      expect(r.stdoutTail).toContain('ignoring SIGTERM');
      expect(r.durationMs).toBeGreaterThanOrEqual(480);
    },
  },
  {
    name: 'kills the whole process group on timeout, grandchildren too',
    req: (dir) => ({ ...short, argv: sh('spawn-grandchild.sh', join(dir, 'pid')) }),
    check: async (r, dir) => {
      expect(r).toMatchObject({ timedOut: true, signal: 'SIGTERM' });
      const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      const dead = await waitDead(pid);
      if (!dead) process.kill(pid, 'SIGKILL'); // no stray left behind by a failing test
      expect(dead).toBe(true);
    },
  },
  {
    name: 'keeps only the last 4096 bytes of a 20 MB output',
    req: () => ({ ...roomy, argv: script('flood-stdout.mjs', '2000000') }),
    check: (r) => {
      expect(r).toMatchObject({ exitCode: 0, timedOut: false, error: null });
      expect(Buffer.byteLength(r.stdoutTail)).toBe(4096);
      expect(r.stdoutTail).toBe(flooded(2_000_000));
      expect(r.stdoutTail.endsWith('001999999\n')).toBe(true);
    },
  },
  {
    name: 'accepts a child that never reads a large input',
    req: () => ({ ...roomy, argv: script('ignore-stdin.mjs'), input: 'x'.repeat(8 * 1024 * 1024) }),
    check: (r) => {
      expect(r).toMatchObject({ exitCode: 0, timedOut: false, error: null, stdoutTail: 'not reading\n' });
    },
  },
  {
    name: 'reports a missing command',
    req: (dir) => ({ ...short, argv: [join(dir, 'no-such-heal.sh'), '--now'] }),
    check: (r, dir) => {
      expect(r).toMatchObject({ exitCode: null, signal: null, timedOut: false, error: `command not found: ${join(dir, 'no-such-heal.sh')}` });
    },
  },
  {
    name: 'reports a file that is not executable',
    req: (dir) => {
      writeFileSync(join(dir, 'heal.sh'), '#!/bin/sh\nexit 0\n');
      chmodSync(join(dir, 'heal.sh'), 0o644);
      return { ...short, argv: [join(dir, 'heal.sh')] };
    },
    check: (r, dir) => {
      expect(r).toMatchObject({ exitCode: null, error: `permission denied: ${join(dir, 'heal.sh')}` });
    },
  },
  {
    name: 'names a missing working folder',
    req: (dir) => ({ ...short, argv: [node, '-e', ''], cwd: join(dir, 'nowhere') }),
    check: (r, dir) => {
      expect(r.error).toBe(`cannot start ${node}: working folder not found: ${join(dir, 'nowhere')}`);
    },
  },
  {
    name: 'stops on abort and says so (not a timeout)',
    req: () => ({ ...short, timeoutMs: 10_000, argv: sh('hang.sh'), signal: AbortSignal.timeout(150) }),
    check: (r) => {
      expect(r).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: false, aborted: true, error: null });
    },
  },
  {
    name: 'does not start when already aborted',
    req: (dir) => ({ ...short, argv: script('record-stdin.mjs', join(dir, 'never')), signal: AbortSignal.abort() }),
    check: (r) => {
      expect(r).toMatchObject({ exitCode: null, aborted: true, timedOut: false, error: null });
    },
  },
  {
    name: 'reports an empty command',
    req: () => ({ ...short, argv: [] }),
    check: (r) => {
      expect(r).toMatchObject({ exitCode: null, error: 'no command given' });
    },
  },
];

describe('nodeProcessRunner', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-runner-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const s of scenarios) {
    it(s.name, async () => {
      const result = await run(s.req(dir));
      await s.check(result, dir);
    });
  }

  it('still times out and kills the child when onSpawn throws', async () => {
    let told = 0;
    const onSpawn = (pid: number): void => {
      told = pid;
      throw new Error('cannot record the group');
    };
    const r = await run({ ...short, argv: sh('hang.sh'), onSpawn });
    expect(r).toMatchObject({ exitCode: null, timedOut: true, error: null });
    expect(told).toBeGreaterThan(0);
    expect(await waitDead(told)).toBe(true);
  });

  it('returns when the child exits and leaves a background grandchild running', async () => {
    const started = performance.now();
    const r = await run({ ...roomy, argv: sh('spawn-grandchild.sh', join(dir, 'pid'), 'exit') });
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    try {
      expect(r).toMatchObject({ exitCode: 0, timedOut: false, error: null });
      expect(performance.now() - started).toBeLessThan(2000);
      expect(isDead(pid)).toBe(false);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});

describe('tailBuffer', () => {
  it('drops a multibyte char cut by the trim', () => {
    const tail = tailBuffer(4);
    tail.push(Buffer.from('€€€')); // 9 bytes; the last 4 start inside the second €
    expect(tail.text()).toBe('€');
  });

  it('holds a bounded amount whatever is pushed', () => {
    const tail = tailBuffer(4096);
    const chunk = Buffer.alloc(1000, 'a');
    for (let i = 0; i < 20_000; i++) tail.push(chunk);
    tail.push(Buffer.from('end'));
    expect(tail.heldBytes).toBeLessThanOrEqual(8192);
    expect(tail.text()).toBe(`${'a'.repeat(4093)}end`);
  });
});
