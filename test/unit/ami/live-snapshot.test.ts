// The live channels a reconnect reconciles against, read off the PBX's two answers item by item:
// CoreShowChannels lists the channels, Status adds the DNID (the dialled number, which the trunk's
// Exten no longer shows once the dialplan moved on) and any channel created between the answers.
import t from 'tap';
import { LiveChannelList } from '../../../src/ami/live-snapshot';

const core = (channel: string, uniqueid: string, linkedid: string, more: Record<string, string> = {}) => ({
  event: 'CoreShowChannel', channel, uniqueid, linkedid, channelstatedesc: 'Up', calleridnum: '+79111234567', exten: 's', duration: '00:01:05', ...more,
});
const status = (channel: string, uniqueid: string, linkedid: string, dnid: string) => ({ event: 'Status', channel, uniqueid, linkedid, dnid, seconds: '65' });

t.test('each listed channel carries the DNID Status gave for it; a channel only Status knows is added', async (t) => {
  const list = new LiveChannelList();
  list.addStatus(status('SIP/trunk-00000001', '1795000000.1', '1795000000.1', '+79219416004'));
  list.addCoreShow(core('SIP/trunk-00000001', '1795000000.1', '1795000000.1'));
  list.addCoreShow(core('SIP/1001-00000002', '1795000000.2', '1795000000.1', { linkedid: '1795000000.1' }));
  list.addCoreShow({ event: 'CoreShowChannel', channel: 'SIP/broken' }); // no uniqueid: names no call
  list.addStatus(status('SIP/trunk-00000003', '1795000000.3', '1795000000.3', '+79219416004'));
  const live = list.channels();
  t.same(
    live.map((l) => [l.channel, l.linkedid, l.dnid]),
    [
      ['SIP/trunk-00000001', '1795000000.1', '+79219416004'],
      ['SIP/1001-00000002', '1795000000.1', null],
      ['SIP/trunk-00000003', '1795000000.3', '+79219416004'],
    ],
  );
  t.equal(live[0].durationSeconds, 65, 'CoreShowChannel’s HH:MM:SS');
  t.equal(live[2].durationSeconds, 65, 'Status’s plain seconds');
  t.equal(live[0].callerIdNum, '+79111234567');
});

t.test('a channel without a linkedid belongs to the call of its own uniqueid', async (t) => {
  const list = new LiveChannelList();
  list.addCoreShow({ event: 'CoreShowChannel', channel: 'SIP/trunk-00000009', uniqueid: '1795000000.9', linkedid: '' });
  t.same(list.channels().map((l) => l.linkedid), ['1795000000.9']);
});
