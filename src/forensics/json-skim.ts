// The byte-level JSON skimmer moved down to src/log/json-skim.ts (the log's history read uses it too); the report's
// modules keep importing it from here.
export * from '../log/json-skim.js';
