// YAML parsing of a config file: the first syntax error with its line and column, said in the user's
// terms. A static import here (`await import('yaml')` yields only a default export once bundled by
// esbuild); load.ts imports this module lazily, so JSON configs never load yaml.
import { isScalar, Parser, parseDocument, visit, type Document } from 'yaml';
import { GuardError } from '../errors.js';
import { lineCol } from './line-col.js';


type YamlError = { code: string; message: string; pos: [number, number] };

/** Parses YAML text; throws GuardError(CONFIG_SYNTAX) naming the file, line and column and the mistake. */
export function parseYamlConfig(file: string, text: string): unknown {
  // yaml's own duplicate check compares each key with every earlier one (20,000 keys: 10 s); ours is linear.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const duplicate = doc.errors.length === 0 ? firstDuplicateKey(doc) : null;
  const errors = duplicate === null ? (doc.errors as YamlError[]) : [duplicate];
  if (errors.length > 0) {
    const { offset, what } = explainYamlError(text, errors);
    throw new GuardError('CONFIG_SYNTAX', `config ${file}: YAML syntax error at ${lineCol(text, offset)}: ${what}`, {
      hint: 'fix the YAML at that line (indent with spaces, quote values that contain ": ")',
    });
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias without its anchor, or an alias bomb, passes the parser and fails here.
    const what = (err as Error).message.split('\n')[0] ?? 'invalid YAML';
    throw new GuardError('CONFIG_SYNTAX', `config ${file}: YAML error: ${what}`, {
      hint: 'define every *alias with an &anchor before it, or write the value out',
    });
  }
}

/** The first key (in the file's order) given twice in one mapping, as yaml reports it; null when none. */
export function firstDuplicateKey(doc: Document): YamlError | null {
  let first: number | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const { key } of map.items) {
        // Scalars are equal when their values are (1 and "1" are not), as in yaml's own check.
        if (!isScalar(key) || key.range === undefined || key.range === null) continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        if (seen.has(id) && (first === null || key.range[0] < first)) first = key.range[0];
        seen.add(id);
      }
    },
  });
  return first === null ? null : { code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [first, first + 1] };
}

// Says where a YAML mistake is and what it is in the user's terms; the parser reports some mistakes
// (an over-indented line, an unclosed quote) where it noticed them, not where they are.
function explainYamlError(text: string, errors: YamlError[]): { offset: number; what: string } {
  const first = errors[0] as YamlError;
  const multiline = errors.find((e) => e.code === 'MULTILINE_IMPLICIT_KEY');
  if (multiline) {
    const offset = text.lastIndexOf('\n', multiline.pos[1] - 1) + 1;
    return { offset: offset + (/^ */.exec(text.slice(offset))?.[0].length ?? 0), what: 'this line is indented more than the key above it; indent the keys of one block to the same column' };
  }
  if (first.code === 'BLOCK_AS_IMPLICIT_KEY') return { offset: first.pos[0], what: 'a value contains ": "; quote the whole value' };
  const condition = first.code === 'UNEXPECTED_TOKEN' ? unquotedCondition(text, first.pos[0]) : null;
  if (condition !== null) return { offset: condition, what: 'a condition that starts with [ is read as a YAML list; quote it, e.g. - "[STATUS] == 200"' };
  if (first.code === 'TAB_AS_INDENT') return { offset: first.pos[0], what: 'a tab is used for indentation; indent with spaces' };
  if (first.code === 'DUPLICATE_KEY') {
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*?)\s*:/.exec(text.slice(first.pos[0]))?.[1]?.replace(/^["']|["']$/g, '');
    return { offset: first.pos[0], what: `${key ? `key ${JSON.stringify(key)}` : 'a key'} is given twice in the same block; keep one` };
  }
  if (first.code === 'MISSING_CHAR' && /closing ["']quote/.test(first.message)) {
    const quote = first.message.includes(`'quote`) ? `'` : '"';
    const opened = lastQuotedScalar(text, first.pos[0]);
    if (opened !== null) return { offset: opened, what: `the quote opened here is never closed; add the closing ${quote}` };
  }
  return { offset: first.pos[0], what: first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML' };
}

// Where an unquoted Gatus condition (`- [STATUS] == 200`) starts on the line of `offset`, or null.
function unquotedCondition(text: string, offset: number): number | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const m = /^(\s*(?:-\s*|[\w-]+:\s*\[?\s*))\[[A-Za-z_]+\][^\n]*\s(==|!=|<=|>=|<|>)\s/.exec(line);
  return m ? lineStart + (m[1] as string).length : null;
}

// The offset of the last quoted scalar that starts before `before` (an unclosed quote runs to the end).
function lastQuotedScalar(text: string, before: number): number | null {
  let found: number | null = null;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const { type, offset } = node as { type?: unknown; offset?: unknown };
    if ((type === 'double-quoted-scalar' || type === 'single-quoted-scalar') && typeof offset === 'number' && offset < before) found = offset;
    Object.values(node).forEach(visit);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return found;
}
