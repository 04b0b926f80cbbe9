// The overview's pure parts in Node (issue 12): which page the address opens, API paths scoped to a target,
// the name filter, the link of a row, the stream event's target, and where a sparkline's points fall.
import { describe, expect, it } from 'vitest';
import { eventTarget, pageScope, scopedPath } from '../../src/http/dashboard/page-common.js';
import { matchesFilter, targetHref } from '../../src/http/dashboard/overview-view.js';
import { SPARK_BOX, sparkPoints } from '../../src/http/dashboard/sparkline.js';

const body = (targets?: string) => ({ dataset: targets === undefined ? {} : { targets } }) as unknown as HTMLElement;

describe('pageScope', () => {
  it.each([
    ['no targets, no name: today\'s page', '', undefined, { kind: 'single' }],
    ['targets, no name: the overview', '', '3', { kind: 'overview' }],
    ['targets, a name: that target', '?target=api', '3', { kind: 'target', name: 'api' }],
    ['an empty name is no name', '?target=', '3', { kind: 'overview' }],
    ['a name is taken as written (the API says when it is unknown)', '?target=a%20b&x=1', undefined, { kind: 'target', name: 'a b' }],
  ] as const)('%s', (_name, search, targets, scope) => {
    expect(pageScope(search, body(targets))).toEqual(scope);
  });
});

describe('scopedPath', () => {
  it.each([
    ['api/status', { kind: 'single' }, 'api/status'],
    ['api/events?limit=50', { kind: 'single' }, 'api/events?limit=50'],
    ['api/status', { kind: 'target', name: 'api' }, 'api/status?target=api'],
    ['api/series?range=1d', { kind: 'target', name: 'a&b c' }, 'api/series?range=1d&target=a%26b%20c'],
  ] as const)('%s on %j → %s', (path, scope, want) => {
    expect(scopedPath(path, scope)).toBe(want);
  });
});

describe('the overview table', () => {
  it.each([
    ['api-eu', '', true],
    ['api-eu', 'EU', true],
    ['api-eu', '  api ', true],
    ['api-eu', 'web', false],
  ] as const)('matchesFilter(%s, %j) is %s', (name, text, want) => {
    expect(matchesFilter(name, text)).toBe(want);
  });

  it('links a row to this page scoped to the target, the name encoded', () => {
    expect(targetHref('db.main_1')).toBe('?target=db.main_1');
    expect(targetHref('a b')).toBe('?target=a%20b');
  });

  it('reads the target of a stream event, null without one', () => {
    expect(eventTarget('{"ts":"x","cycle":3,"verdict":"OK","target":"web"}')).toBe('web');
    expect(eventTarget('{"ts":"x","cycle":3,"verdict":"OK"}')).toBeNull();
    expect(eventTarget('not json')).toBeNull();
  });
});

describe('sparkPoints', () => {
  const { width, height, pad } = SPARK_BOX;
  it('puts the newest at the right and spans the row\'s own min..max', () => {
    const p = sparkPoints([10, 30, 20], 3);
    expect(p.map((q) => q.x)).toEqual([pad, width / 2, width - pad]);
    expect(p.map((q) => q.y)).toEqual([height - pad, pad, height / 2]);
  });
  it('a short history fills the right of the box; a flat one sits in the middle', () => {
    const p = sparkPoints([5, 5], 30);
    expect(p[1]?.x).toBe(width - pad);
    expect(p.every((q) => q.y === height / 2)).toBe(true);
    expect(sparkPoints([], 30)).toEqual([]);
  });
});
