// The monitoring-plugins development guidelines' output grammar, strictly: the first line is
// `<STATUS> - <text>[ | <perfdata>]`, perfdata is space-separated `'label'=value[UOM];[warn];[crit];[min];[max]`
// (trailing empty fields may be left off), a threshold is a range `[@][start:][end]` ("~" for minus infinity).

/** One parsed performance datum. */
export interface PerfDatum {
  label: string;
  value: number | 'U';
  uom: string;
  warn: string;
  crit: string;
  min: number | null;
  max: number | null;
}

/** A parsed first line. */
export interface PluginLine {
  status: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  text: string;
  perf: PerfDatum[];
}

const UOMS = ['', 's', 'ms', 'us', '%', 'B', 'KB', 'MB', 'TB', 'c'];
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;
const RANGE = /^@?((~|-?(\d+(\.\d*)?|\.\d+)):)?(-?(\d+(\.\d*)?|\.\d+))?$/;

/** Parses a first line or throws saying which rule of the grammar it breaks. */
export function parsePluginLine(line: string): PluginLine {
  const m = /^(OK|WARNING|CRITICAL|UNKNOWN) - ([^|]*?)(?: \| (.*))?$/.exec(line);
  if (!m) throw new Error(`not "<STATUS> - <text>[ | <perfdata>]": ${line}`);
  const perf = m[3] === undefined ? [] : m[3].split(' ').map(parseDatum);
  return { status: m[1] as PluginLine['status'], text: m[2] as string, perf };
}

function parseDatum(item: string): PerfDatum {
  const m = /^('[^'=]+'|[^'= ]+)=([^;]*)(?:;([^;]*))?(?:;([^;]*))?(?:;([^;]*))?(?:;([^;]*))?$/.exec(item);
  if (!m) throw new Error(`not 'label'=value[UOM];[warn];[crit];[min];[max]: ${item}`);
  const [, label, valueUom, warn = '', crit = '', min = '', max = ''] = m as unknown as string[];
  const v = /^(-?[\d.]+|U)(.*)$/.exec(valueUom as string);
  if (!v || (v[1] !== 'U' && !NUMBER.test(v[1] as string))) throw new Error(`value is not a number or U: ${item}`);
  if (!UOMS.includes(v[2] as string)) throw new Error(`unit ${JSON.stringify(v[2])} is not one of the guidelines' units: ${item}`);
  for (const range of [warn, crit]) if (!RANGE.test(range as string)) throw new Error(`threshold ${JSON.stringify(range)} is not a range: ${item}`);
  for (const bound of [min, max]) if (bound !== '' && !NUMBER.test(bound as string)) throw new Error(`min/max ${JSON.stringify(bound)} is not a number: ${item}`);
  return {
    label: (label as string).replace(/^'|'$/g, ''),
    value: v[1] === 'U' ? 'U' : Number(v[1]),
    uom: v[2] as string,
    warn: warn as string,
    crit: crit as string,
    min: min === '' ? null : Number(min),
    max: max === '' ? null : Number(max),
  };
}
