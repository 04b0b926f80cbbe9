// Parsing Gatus-syntax conditions: what is accepted (the examples of Gatus's documentation), and every
// refusal with its message and the character it points at.
import { describe, expect, it } from 'vitest';
import { parseCondition } from './parse.js';

describe('parseCondition: accepted', () => {
  const accepted: [string, string, string, string][] = [
    // condition, left kind, op, right kind
    ['[STATUS] == 200', 'placeholder', '==', 'literal'],
    ['[STATUS] < 300', 'placeholder', '<', 'literal'],
    ['[STATUS] <= 299', 'placeholder', '<=', 'literal'],
    ['[STATUS] > 400', 'placeholder', '>', 'literal'],
    ['[STATUS] == any(200, 429)', 'placeholder', '==', 'any'],
    ['[CONNECTED] == true', 'placeholder', '==', 'literal'],
    ['[RESPONSE_TIME] < 500', 'placeholder', '<', 'literal'],
    ['[IP] == 127.0.0.1', 'placeholder', '==', 'literal'],
    ['[BODY] == 1', 'placeholder', '==', 'literal'],
    ['[BODY].user.name == john', 'placeholder', '==', 'literal'],
    ['[BODY].data.id == 1', 'placeholder', '==', 'literal'],
    ['[BODY].age == [BODY].id', 'placeholder', '==', 'placeholder'],
    ['[BODY].users[0].id == 1', 'placeholder', '==', 'literal'],
    ['[BODY][0].id == 1', 'placeholder', '==', 'literal'],
    ['len([BODY].users) == 3', 'placeholder', '==', 'literal'],
    ['len([BODY].name) < 5', 'placeholder', '<', 'literal'],
    ['has([BODY].errors) == false', 'placeholder', '==', 'literal'],
    ['[BODY].name == pat(john*)', 'placeholder', '==', 'pat'],
    ['[BODY] == pat(*<h1>Example Domain</h1>*)', 'placeholder', '==', 'pat'],
    ['[IP] == pat(192.168.*)', 'placeholder', '==', 'pat'],
    ['[CERTIFICATE_EXPIRATION] > 48h', 'placeholder', '>', 'literal'],
    ['[body].Status != down', 'placeholder', '!=', 'literal'],
    ['  [STATUS]   ==   200  ', 'placeholder', '==', 'literal'],
    ['[BODY].message == all good', 'placeholder', '==', 'literal'],
  ];
  it.each(accepted)('%s', (text, left, op, right) => {
    const r = parseCondition(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.condition.left.kind, r.condition.op, r.condition.right.kind]).toEqual([left, op, right]);
  });

  it('keeps the JSON path, the function and the literal text', () => {
    const r = parseCondition('len([BODY].components.db[2].details) >= 1');
    expect(r).toMatchObject({
      ok: true,
      condition: { left: { kind: 'placeholder', name: 'BODY', fn: 'len', path: [{ key: 'components' }, { key: 'db' }, { index: 2 }, { key: 'details' }] }, op: '>=', right: { kind: 'literal', text: '1' } },
    });
  });
});

describe('parseCondition: refused, pointing at the character at fault', () => {
  const refused: [string, string, number][] = [
    // condition, message (start), 0-based index
    ['[STATUS]==200', 'put a space on each side of ==', 8],
    ['[STATUS] 200', 'no comparison', 0],
    ['[STAUTS] == 200', 'unknown placeholder [STAUTS]; use one of [STATUS], [BODY], [RESPONSE_TIME], [CONNECTED], [CERTIFICATE_EXPIRATION], [IP]', 0],
    ['[DNS_RCODE] == NOERROR', '[DNS_RCODE] is not supported here', 0],
    ['[BODY.status == UP', 'unclosed [', 0],
    ['[BODY].status) == UP', 'unmatched )', 13],
    ['[STATUS] == 200 == 201', 'a second operator ==', 16],
    [' == 200', 'nothing before ==', 0],
    ['[STATUS] == ', 'nothing after ==', 11],
    ['[STATUS].code == 200', '[STATUS] takes no path', 8],
    ['[BODY]..status == UP', 'empty key in the JSON path', 7],
    ['[BODY].items[x] == 1', '"x" is not an index', 13],
    ['[BODY].items[1 == 1', 'unclosed [', 12],
    ['STATUS == 200', 'neither side is a placeholder', 0],
    ['[STATUS] < any(200, 300)', 'any() works only with == and !=', 11],
    ['[BODY].name > pat(j*)', 'pat() works only with == and !=', 14],
    ['[RESPONSE_TIME] < fast', '"fast" is not a number or a duration', 18],
    ['has([BODY].errors) > 0', 'has() is true or false', 0],
    ['[IP] > 10', '[IP] is not a number', 0],
    ['has([BODY].errors) == no', 'has([BODY].errors) is true or false; compare it with true or false', 22],
    ['[CONNECTED] == yes', '[CONNECTED] is true or false', 15],
    ['[BODY].status == "UP"', 'quotes are compared as part of the value in Gatus syntax; write UP without them', 17],
    ['len(status) == 3', 'len() takes a placeholder', 4],
    ['[STATUS] == any(200, , 204)', 'an empty choice in any()', 20],
    ['[BODY] == pat(*[abc)', 'unclosed [ in the pattern', 15],
  ];
  it.each(refused)('%s', (text, message, index) => {
    const r = parseCondition(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message.startsWith(message), r.error.message).toBe(true);
    expect(r.error.index).toBe(index);
  });
});
