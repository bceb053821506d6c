// The rule mapping the PBX's path of a recording onto RECORDINGS_DIR (the PBX's spool mounted
// here), and the names it refuses to look for at all; byte ranges as <audio> asks for them.
import t from 'tap';
import { byteRange } from '../../../src/http/routes/recordings';
import { candidatePaths, contentTypeOf } from '../../../src/services/recording-files';

t.test("a recording is looked for at its path under the spool, then in monitor/, then by its bare name", (t) => {
  t.same(candidatePaths('/var/tmp/asterisk-lab-pjsip/support/spool/monitor/support-1.wav', 'recording'), ['monitor/support-1.wav', 'support-1.wav']);
  t.same(candidatePaths('/var/spool/asterisk/monitor/2026/11/a.wav', 'recording'), ['monitor/2026/11/a.wav', 'monitor/a.wav', 'a.wav'], 'after spool/asterisk/');
  t.same(candidatePaths('/var/spool/asterisk/spool/x/a.wav', 'recording'), ['spool/x/a.wav', 'monitor/a.wav', 'a.wav'], 'spool/asterisk/ wins over a later spool/');
  t.same(candidatePaths('/recordings/a.wav', 'recording'), ['monitor/a.wav', 'a.wav'], 'an absolute path outside a spool is never used as it is');
  t.same(candidatePaths('support/a.wav', 'recording'), ['support/a.wav', 'monitor/a.wav', 'a.wav'], "MixMonitor's relative name");
  t.same(candidatePaths('/var/spool/asterisk/monitor/a', 'recording'), ['monitor/a.wav', 'monitor/a.WAV', 'monitor/a.gsm', 'a.wav', 'a.WAV', 'a.gsm'], 'no extension: the formats tried');
  t.end();
});

t.test('a voicemail is looked for only at its own mailbox path, in the formats VoiceMail keeps', (t) => {
  t.same(candidatePaths('/var/tmp/lab/spool/voicemail/support/100/INBOX/msg0000', 'voicemail'), [
    'voicemail/support/100/INBOX/msg0000.wav',
    'voicemail/support/100/INBOX/msg0000.WAV',
    'voicemail/support/100/INBOX/msg0000.gsm',
  ]);
  t.same(candidatePaths('/home/vm/msg0000', 'voicemail'), [], 'not under a spool: msg0000 of which mailbox? none');
  t.end();
});

t.test('names with .., a NUL or a backslash are refused before anything is looked for', (t) => {
  for (const bad of ['/var/spool/asterisk/monitor/../../../etc/passwd', '../a.wav', 'monitor/a\0.wav', 'monitor\\..\\..\\a.wav']) {
    t.throws(() => candidatePaths(bad, 'recording'), { name: 'RecordingRefused' }, JSON.stringify(bad));
  }
  t.same(candidatePaths('', 'recording'), []);
  t.end();
});

t.test('content types by extension', (t) => {
  t.equal(contentTypeOf('/x/a.wav'), 'audio/wav');
  t.equal(contentTypeOf('/x/a.WAV'), 'audio/wav');
  t.equal(contentTypeOf('/x/a.gsm'), 'audio/x-gsm');
  t.equal(contentTypeOf('/x/a.bin'), 'application/octet-stream');
  t.end();
});

t.test('byte ranges: one range served, several or malformed ones mean the whole file, past the end is unsatisfiable', (t) => {
  t.same(byteRange('bytes=0-99', 1000), { start: 0, end: 99 });
  t.same(byteRange('bytes=900-', 1000), { start: 900, end: 999 });
  t.same(byteRange('bytes=-100', 1000), { start: 900, end: 999 });
  t.same(byteRange('bytes=500-5000', 1000), { start: 500, end: 999 });
  t.same(byteRange('bytes=-5000', 1000), { start: 0, end: 999 });
  t.equal(byteRange(undefined, 1000), null);
  t.equal(byteRange('bytes=0-1,5-6', 1000), null);
  t.equal(byteRange('items=0-1', 1000), null);
  t.equal(byteRange('bytes=1000-', 1000), 'unsatisfiable');
  t.equal(byteRange('bytes=5-4', 1000), 'unsatisfiable');
  t.equal(byteRange('bytes=-0', 1000), 'unsatisfiable');
  t.end();
});
