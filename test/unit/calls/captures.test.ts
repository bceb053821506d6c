// Every recorded scenario, replayed through parseAmiEvent + CallTracker and checked against the
// ground truth the call driver wrote from its own actions and the PBX's CDRs (not from AMI).
import t from 'tap';
import type { CallFact, LegEndReason } from '../../../src/calls/model';
import { toE164 } from '../../../src/calls/numbers';
import { readTruth } from '../../helpers/jsonl';
import { agentFacts, factsOf, newTracker, replayCapture, SUPPORT, type TapTest } from './replay';

interface CdrRow {
  dstchannel: string;
  disposition: string;
  billsec: number;
  lastapp: string;
  start_iso: string;
  answer_iso: string | null;
  end_iso: string;
}
interface TruthCall {
  id: string;
  direction: string;
  caller_number_dialed: string | null;
  caller_withheld: boolean;
  did_dialed: string;
  answered_by: string | null;
  transferred_to: string | null;
  support_linkedid: string;
  start_wall: string;
  answered_wall: string | null;
  end_wall: string;
  cdr_support: CdrRow[];
}
interface Truth {
  captures: { name: string; connected_wall: string }[];
  calls: TruthCall[];
  queue_log: string[];
  /** Call pickup (P17): who rang, who took the call. */
  pickup?: { ringing_agent: string; picked_up_by: string };
}

const ms = (iso: string) => Date.parse(iso);
const AGENT_CHANNEL = /^(SIP|PJSIP)\/(\d{3})-/;

/** What the tracker must have said about one truth call. */
function checkCall(t: TapTest, truth: Truth, tc: TruthCall, all: CallFact[]): void {
  const facts = factsOf(all, tc.support_linkedid);
  const kinds = facts.map((f) => f.kind);
  t.equal(kinds[0], 'call.started', 'the call starts with call.started');
  t.equal(kinds.filter((k) => k === 'call.started').length, 1, 'started once');
  t.equal(kinds.filter((k) => k === 'call.ended').length, 1, 'ended exactly once');
  t.equal(kinds.at(-1), 'call.ended', 'nothing is said about it after it ended');
  const started = facts[0].call;
  const call = facts.at(-1)!.call;

  const outbound = tc.direction.startsWith('outbound');
  const did = toE164(tc.did_dialed);
  t.equal(call.direction, outbound ? 'outbound' : 'inbound', 'direction');
  t.equal(call.supportLine, !outbound && did === SUPPORT, 'support line');
  t.equal(started.supportLine, call.supportLine, 'support line known at the first channel');
  t.equal(started.did, outbound ? null : did, 'DID known at the first channel');
  const firstRing = kinds.indexOf('leg.ringing');
  if (firstRing >= 0) t.ok(firstRing > 0, 'the call (and its draft) exists before any phone rings');
  if (outbound) {
    t.equal(call.calledNumber, did, 'an outbound call records the number dialled');
    t.equal(call.callerNumber, null, 'an agent extension is not a phone number');
    t.equal(call.callerNumberRaw, tc.caller_number_dialed, 'the placing extension is kept raw');
  } else if (tc.caller_withheld) {
    t.equal(call.callerNumber, null, 'withheld caller has no number');
    t.equal(call.callerNumberRaw, 'anonymous', 'the raw caller ID is kept');
  } else {
    t.equal(call.callerNumber, toE164(tc.caller_number_dialed), 'caller in E.164');
    t.equal(call.callerNumberRaw, tc.caller_number_dialed, 'caller as presented');
  }

  const answeredBy = outbound ? tc.caller_number_dialed : tc.answered_by;
  t.equal(call.answeredBy, answeredBy, 'answered by');
  t.equal(call.owner, tc.transferred_to ?? answeredBy, 'owner at the end');
  t.equal(call.outcome, tc.answered_by ? 'answered' : 'missed', 'outcome');
  t.equal(call.gap, false, 'no gap');
  t.ok(Math.abs(call.startedAt.getTime() - ms(tc.start_wall)) < 50, 'started when the call arrived');
  t.ok(Math.abs(call.endedAt!.getTime() - ms(tc.end_wall)) < 50, 'ended when the last party hung up');
  if (call.queue === null && tc.answered_wall && tc.answered_by) {
    t.ok(Math.abs(call.answeredAt!.getTime() - ms(tc.answered_wall)) < 50, 'answered when the agent picked up');
  }

  // Legs: one per agent phone the CDRs show rung, in order, ending the way the CDR says.
  const rows = tc.cdr_support.filter((r) => AGENT_CHANNEL.test(r.dstchannel));
  const expected = rows.map((r) => {
    const ext = AGENT_CHANNEL.exec(r.dstchannel)![2];
    // A picked-up phone's row is ANSWERED with 0 s billed (P17): that phone never talked.
    const answered = r.disposition === 'ANSWERED' && !(r.billsec === 0 && truth.pickup?.ringing_agent === ext);
    // Unanswered by all: a phone that stopped ringing well before the caller left rang out (R2:
    // then voicemail took the caller); otherwise the caller's hang-up stopped it.
    const rangOut = ms(r.end_iso) < ms(tc.end_wall) - 1000;
    const reason: LegEndReason = answered ? 'answered' : tc.answered_by ? 'taken' : rangOut ? 'no_answer' : 'caller_gone';
    return { ext, reason, row: r };
  });
  t.same(
    call.legs.map((l) => [l.extension, l.endReason]),
    expected.map((e) => [e.ext, e.reason]),
    'legs and how each ended',
  );
  call.legs.forEach((leg, i) => {
    const row = expected[i]?.row;
    if (!row) return;
    t.ok(Math.abs(leg.endedAt!.getTime() - ms(row.end_iso)) < 100, `leg ${leg.extension} ended when the CDR says`);
    // A Dial row's answer is the phone's answer, except after a blind transfer, where the CDR
    // row starts already answered (start = answer).
    if (expected[i].reason === 'answered' && row.lastapp === 'Dial' && row.answer_iso !== row.start_iso) {
      t.ok(Math.abs(leg.answeredAt!.getTime() - ms(row.answer_iso!)) < 50, `leg ${leg.extension} answered when the CDR says`);
    }
  });

  // What each agent's screen is told.
  const want: string[] = [];
  // The picker's phone never rang: it took the call.
  for (const e of expected) if (e.ext !== truth.pickup?.picked_up_by) want.push(`ringing:${e.ext}`);
  for (const e of expected) {
    if (e.reason === 'answered') want.push(`answered:${e.ext}${e.ext === tc.answered_by ? ':first' : ''}`);
    else want.push(`stopped:${e.ext}:${e.reason}`);
  }
  if (tc.transferred_to) want.push(`transferred:${tc.answered_by}>${tc.transferred_to}`);
  t.same(agentFacts(facts).sort(), want.sort(), 'agent facts: ringing, answered, ring stopped, transferred');
}

function scenario(
  name: string,
  title: string,
  extra?: (t: TapTest, truth: Truth, facts: CallFact[]) => void,
  truthName = name,
) {
  t.test(title, (t) => {
    const truth = readTruth<Truth>(truthName);
    const capture = truth.captures.find((c) => c.name === name) ?? truth.captures[0];
    const tracker = newTracker();
    const { facts, invalid } = replayCapture(name, capture.connected_wall, tracker);
    t.equal(invalid, 0, 'every event the model uses parses');
    t.equal(
      facts.filter((f) => f.kind === 'call.started').length,
      truth.calls.length,
      'one call per call placed, whatever its channels',
    );
    for (const tc of truth.calls) t.test(tc.id, (t) => (checkCall(t, truth, tc, facts), t.end()));
    t.equal(tracker.size, 0, 'nothing is kept once every call has ended');
    extra?.(t, truth, facts);
    t.end();
  });
}

scenario('S1-answered', 'an answered support call is logged with its caller, DID and agent (S1)');
scenario('P1-answered', 'a PJSIP trunk and PJSIP phones give the same call as chan_sip (P1)');
scenario('S3-missed', "a missed ring-group call ends every agent's ringing with caller_gone (S3)");
scenario(
  'S4-queue',
  "a queue call is answered by the agent, not by the queue's Answer(); the ignored agent's ringing is taken (S4)",
  (t, truth, facts) => {
    const call = facts.at(-1)!.call;
    t.equal(call.queue, 'support', 'the queue is recorded');
    const connect = truth.queue_log.find((l) => l.includes('|CONNECT|'))!;
    const connectAt = Number(connect.split('|')[0]) * 1000;
    t.ok(Math.abs(call.answeredAt!.getTime() - connectAt) < 1500, 'answered when the queue connected the agent');
    t.ok(call.answeredAt!.getTime() - call.startedAt.getTime() > 2000, 'not when the PBX answered the caller');
    const cancels = agentFacts(facts).filter((f) => f === 'stopped:101:taken');
    t.equal(cancels.length, 1, 'the doubled DialEnd CANCEL stops 101 once');
  },
);
scenario('S5-transfer', 'a blind transfer hands the call and its draft from 101 to 102 (S5)');
scenario('S7-other-did', 'a call to another line of the PBX is logged but is not a support-line call (S7)');
scenario('S8-anonymous', 'a withheld caller is a valid support call with no number (S8)');
scenario(
  'S9-reconnect-primary',
  'a call seen from start to end by the connected client (S9 primary)',
  undefined,
  'S9-reconnect',
);
scenario('S10-burst', 'fifty overlapping ring-group calls are each logged once with the right agent (S10)', (t, _truth, facts) => {
  const ended = facts.filter((f) => f.kind === 'call.ended');
  t.equal(ended.length, 50, 'fifty calls ended');
  t.ok(
    ended.every((f) => f.call.legs.length === 3),
    'every call rang all three phones',
  );
});
scenario(
  'S11-outbound',
  'an agent calling a customer through the trunk is outbound and opens no support draft (S11)',
  (t, _truth, facts) => {
    t.notOk(
      facts.some((f) => f.call.supportLine || f.call.direction !== 'outbound'),
      'never inbound, never support line, not even for a moment',
    );
    t.equal(agentFacts(facts).length, 0, 'no agent is rung: the agent placed the call');
  },
);
scenario(
  'P17-pickup',
  "a call taken by group pickup (*8) is answered by the picker, not missed, and the rung phone's ringing is taken (P17)",
  (t, truth, facts) => {
    const call = facts.at(-1)!.call;
    const picker = truth.pickup!.picked_up_by;
    t.same(
      call.legs.map((l) => [l.extension, l.via ?? null]),
      [
        [truth.pickup!.ringing_agent, null],
        [picker, 'pickup'],
      ],
      "the picker's leg says it was reached by pickup",
    );
    t.notOk(
      facts.some((f) => f.call.direction === 'internal'),
      "the picker's own call to *8 is not a call of its own",
    );
  },
);
scenario('R1-recorded', 'a call the PBX records (MixMonitor) is answered by 101 like any other (R1)');
scenario(
  'R2-voicemail',
  'a call nobody answers that voicemail takes is missed: the PBX answering the caller is not an agent answering (R2)',
  (t, _truth, facts) => {
    const call = facts.at(-1)!.call;
    t.equal(call.answeredAt, null, 'no answer time: no agent answered');
    t.equal(call.owner, null, 'nobody owns it');
  },
);
