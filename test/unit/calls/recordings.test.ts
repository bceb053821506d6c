// What the PBX recorded of a call, from the real captures through parseAmiEvent + CallTracker:
// R1's MixMonitor recording (file named by the VarSet before MixMonitorStart), R2's voicemail.
import t from 'tap';
import type { ChannelSnapshot } from '../../../src/calls/events';
import { readTruth } from '../../helpers/jsonl';
import { applyAll, endedCall, newTracker, replayCapture } from './replay';

interface Truth {
  captures: { connected_wall: string }[];
  calls: { support_linkedid: string; cdr_support: { start_iso: string; userfield: string }[] }[];
}

function replayed(name: string) {
  const truth = readTruth<Truth>(name);
  const { facts } = replayCapture(name, truth.captures[0].connected_wall);
  return { truth, call: endedCall(facts, truth.calls[0].support_linkedid)!, facts };
}

t.test('R1: the recorded call lists one recording, in the file MixMonitor was given, from when it started', (t) => {
  const { truth, call } = replayed('R1-recorded');
  t.equal(call.recordings.length, 1);
  const [rec] = call.recordings;
  t.equal(rec.kind, 'recording');
  t.equal(rec.file, '/var/tmp/asterisk-lab-pjsip/support/spool/monitor/support-20261126-115138-79115550201-1795693898.237.wav');
  t.ok(rec.file.endsWith(truth.calls[0].cdr_support[0].userfield), "the file the PBX's CDR names");
  t.ok(rec.startedAt.getTime() >= call.startedAt.getTime() && rec.startedAt.getTime() < call.legs[0].ringAt.getTime() + 50, 'started before the phone rang');
  t.equal(call.answeredBy, '101', 'recording changes nothing of who answered');
  t.end();
});

t.test('R2: the missed call lists the voicemail the caller left, with its mailbox', (t) => {
  const { call, facts } = replayed('R2-voicemail');
  t.equal(call.outcome, 'missed');
  t.same(
    call.recordings.map((r) => [r.kind, r.file, r.mailbox]),
    [['voicemail', '/var/tmp/asterisk-lab-pjsip/support/spool/voicemail/support/100/INBOX/msg0000', '100@support']],
  );
  t.ok(call.recordings[0].startedAt.getTime() > call.legs[0].endedAt!.getTime(), 'left after the phones stopped ringing');
  const before = facts.filter((f) => f.kind === 'call.updated' && f.call.recordings.length > 0);
  t.ok(before.length > 0, 'the call is updated when the voicemail is saved, before it ends');
  t.equal(before[0].call.recordings[0].mailbox, undefined, 'a fact already said keeps what it said');
  t.end();
});

t.test('calls without recordings list none; MixMonitor with no file named, or the same file twice, adds nothing', (t) => {
  t.same(replayed('S1-answered').call.recordings, []);
  const ch = (uniqueid: string): ChannelSnapshot => ({
    channel: 'PJSIP/pstn-00000001', uniqueid, linkedid: '100.1', state: 'ring', callerIdNum: '+79111234567',
    callerIdName: null, connectedLineNum: null, context: 'from-pstn', exten: '79219416004',
  });
  const tracker = newTracker();
  const facts = applyAll(tracker, [
    [0, { kind: 'Newchannel', channel: ch('100.1') }],
    [10, { kind: 'RecordingStarted', channel: ch('100.1') }],
    [20, { kind: 'RecordingNamed', channel: ch('100.1'), file: '/spool/monitor/a.wav' }],
    [30, { kind: 'RecordingStarted', channel: ch('100.1') }],
    [40, { kind: 'RecordingStarted', channel: ch('100.1') }],
    [50, { kind: 'VoicemailSaved', channel: ch('100.1'), file: '/spool/voicemail/x/1/INBOX/msg0001' }],
    [60, { kind: 'VoicemailSaved', channel: ch('100.1'), file: '/spool/voicemail/x/1/INBOX/msg0001' }],
    [70, { kind: 'Hangup', channel: ch('100.1'), cause: '16', causeText: null }],
  ]);
  const call = endedCall(facts, '100.1')!;
  t.same(call.recordings.map((r) => [r.kind, r.file, r.startedAt.getTime()]), [
    ['recording', '/spool/monitor/a.wav', 30],
    ['voicemail', '/spool/voicemail/x/1/INBOX/msg0001', 50],
  ]);
  t.end();
});
