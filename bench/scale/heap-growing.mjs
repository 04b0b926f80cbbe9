// Preloaded with --import (bench/scale/mem.mjs --node-arg --import --node-arg THIS): sets V8's
// --heap-growing-percent at run time from $AG_HEAP_GROWING (what a daemon could do at its start).
import { setFlagsFromString } from 'node:v8';

if (process.env.AG_HEAP_GROWING) setFlagsFromString(`--heap-growing-percent=${process.env.AG_HEAP_GROWING}`);
