// Numbers in any Russian form become E.164; withheld and internal numbers do not.
import t from 'tap';
import { isExtension, normalizeNumber, toE164 } from '../../../src/calls/numbers';

t.test('every Russian form of the support number is +79219416004', (t) => {
  for (const raw of ['+79219416004', '79219416004', '89219416004', '9219416004', '+7 (921) 941-60-04', '8 (921) 941-60-04', ' 8-921-941-60-04 ']) {
    t.equal(toE164(raw), '+79219416004', raw);
  }
  t.end();
});

t.test('landlines, toll-free and other countries normalise too', (t) => {
  t.equal(toE164('88120000002'), '+78120000002');
  t.equal(toE164('78120000000'), '+78120000000');
  t.equal(toE164('8 800 555 35 35'), '+78005553535');
  t.equal(toE164('+380441234567'), '+380441234567');
  t.equal(toE164('380441234567'), '+380441234567', 'international without +');
  t.equal(toE164('00380441234567'), '+380441234567', 'international with 00');
  t.equal(toE164('810380441234567'), '+380441234567', 'Russian international prefix 810');
  t.equal(toE164('sip:+79111234567@carrier.example'), '+79111234567', 'a SIP URI in a caller ID');
  t.end();
});

t.test('internal extensions, service codes and junk are not phone numbers', (t) => {
  for (const raw of ['101', '2001', '600', '112', '*97', 's', 'dial', 'Agent 101', '', null, undefined]) {
    t.equal(toE164(raw), null, String(raw));
  }
  t.ok(isExtension('101'));
  t.ok(isExtension('123456'));
  t.notOk(isExtension('1'));
  t.notOk(isExtension('1234567'));
  t.notOk(isExtension('10a'));
  t.end();
});

t.test('withheld caller IDs give no number but keep the raw form', (t) => {
  for (const raw of ['anonymous', 'Anonymous', '<unknown>', 'unknown', 'Restricted', 'PRIVATE', 'unavailable', 'withheld']) {
    t.same(normalizeNumber(raw), { e164: null, raw, withheld: true }, raw);
  }
  t.same(normalizeNumber(''), { e164: null, raw: null, withheld: true });
  t.same(normalizeNumber(null), { e164: null, raw: null, withheld: true });
  t.end();
});

t.test('a presented number keeps its raw form next to E.164', (t) => {
  t.same(normalizeNumber('8 (921) 941-60-04'), { e164: '+79219416004', raw: '8 (921) 941-60-04', withheld: false });
  t.same(normalizeNumber('101'), { e164: null, raw: '101', withheld: false }, 'an agent calling is not withheld');
  t.end();
});
