// The log's rotated files, as logrotate names them: the names live in log/rotated-files.ts, beside the
// cycle's history reader, which follows a rotation into the newest of them; report reads them all.
export { listLogFiles, type LogFile } from '../log/rotated-files.js';
