// Preloaded into the daemon by bench/scale/mem.mjs (--import): every second, the process's memory
// figures (process.memoryUsage, MB) appended as a JSON line to $AG_MEM_LOG.
import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const file = process.env.AG_MEM_LOG;
if (file) {
  setInterval(() => {
    const m = process.memoryUsage();
    const mb = (b) => Math.round(b / 2 ** 17) / 8;
    appendFileSync(file, `${JSON.stringify({ t: Math.round(performance.now() / 1000), rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers), spaces: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name.replace('_space', ''), [mb(s.space_size), mb(s.space_used_size)]])) })}\n`);
  }, 1000).unref();
}

// With $AG_HEAP_PROF: V8's sampling heap profiler from start (or from $AG_HEAP_PROF_FROM_S seconds, to leave the
// start-up out), counting the objects a major GC collected too (garbage that lived long enough to be promoted;
// with $AG_HEAP_PROF_MINOR=1 also what scavenges collected: every allocation), written as a .heapprofile after
// $AG_HEAP_PROF_S seconds.
const prof = process.env.AG_HEAP_PROF;
if (prof) {
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const s = new Session();
  s.connect();
  const post = (m, p) => new Promise((r, j) => s.post(m, p, (e, v) => (e ? j(e) : r(v))));
  await post('HeapProfiler.enable');
  // A later start from a timer: a preload's top-level wait would hold the daemon's start back.
  const fromS = Number(process.env.AG_HEAP_PROF_FROM_S ?? 0);
  const startSampling = () => post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.AG_HEAP_PROF_MINOR === '1' });
  if (fromS > 0) setTimeout(startSampling, fromS * 1000).unref();
  else await startSampling();
  setTimeout(async () => {
    const { profile } = await post('HeapProfiler.stopSampling');
    writeFileSync(prof, JSON.stringify(profile));
  }, Number(process.env.AG_HEAP_PROF_S ?? 60) * 1000).unref();
}
