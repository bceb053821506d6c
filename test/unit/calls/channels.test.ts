// Channel names and queue interfaces: who is the trunk, who is an agent's phone.
import t from 'tap';
import { ChannelClassifier, parseChannelName, parseInterface } from '../../../src/calls/channels';

t.test('channel names give technology and peer', (t) => {
  const cases: Array<[string, string, string]> = [
    ['SIP/101-00000001', 'SIP', '101'],
    ['PJSIP/101-0000000a', 'PJSIP', '101'],
    ['PJSIP/pstn-00000003', 'PJSIP', 'pstn'],
    ['PJSIP/beeline-trunk-0000001f', 'PJSIP', 'beeline-trunk'],
    ['SIP/127.0.0.1-00000002', 'SIP', '127.0.0.1'],
    ['IAX2/101-12345', 'IAX2', '101'],
    ['DAHDI/1-1', 'DAHDI', '1'],
    ['DAHDI/i1/79111234567-1a', 'DAHDI', 'i1/79111234567'],
    ['SIP/101-00000001<ZOMBIE>', 'SIP', '101'],
  ];
  for (const [name, tech, peer] of cases) t.match(parseChannelName(name), { tech, peer, isLocal: false }, name);
  t.equal(parseChannelName('garbage'), null);
  t.equal(parseChannelName('SIP/'), null);
  t.end();
});

t.test('Local channels give the extension, context and half', (t) => {
  t.same(parseChannelName('Local/101@from-internal-0000001c;1'), {
    tech: 'Local',
    peer: '101',
    isLocal: true,
    localContext: 'from-internal',
    localHalf: 1,
  });
  t.match(parseChannelName('Local/101@from-queue-0000001c;2'), { peer: '101', localContext: 'from-queue', localHalf: 2 });
  t.match(parseInterface('Local/101@from-queue/n'), { peer: '101', localContext: 'from-queue', localHalf: null });
  t.end();
});

t.test('queue interfaces keep the peer whole', (t) => {
  t.match(parseInterface('SIP/102'), { tech: 'SIP', peer: '102' });
  t.match(parseInterface('PJSIP/102'), { tech: 'PJSIP', peer: '102' });
  t.match(parseInterface('PJSIP/trunk-ab'), { peer: 'trunk-ab' }, 'no channel id to strip');
  t.match(parseInterface('PJSIP/101/sip:101@10.0.0.5'), { peer: '101' });
  t.end();
});

t.test('without a trunk list, 2–6 digit peers are agents and anything else is a trunk', (t) => {
  const c = new ChannelClassifier();
  t.same(c.classify('SIP/101-00000001'), { role: 'agent', extension: '101', trunk: null });
  t.same(c.classify('PJSIP/pstn-00000003'), { role: 'trunk', extension: null, trunk: 'pstn' });
  t.same(c.classify('PJSIP/79219416004-00000003'), { role: 'trunk', extension: null, trunk: '79219416004' });
  t.same(c.classify('DAHDI/1-1'), { role: 'trunk', extension: null, trunk: '1' });
  t.same(c.classify('Local/101@from-queue-00000001;1'), { role: 'local', extension: '101', trunk: null });
  t.same(c.classify('Local/s@macro-dial-00000001;1'), { role: 'local', extension: null, trunk: null });
  t.equal(c.classify('Announcer/ARI_MOH-00000001').role, 'other');
  t.equal(c.classify('nonsense').role, 'other');
  t.end();
});

t.test('a configured trunk list makes every other device an agent, named as it appears', (t) => {
  const c = new ChannelClassifier({ trunks: ['carrier'], trunkDids: { mts: '+79219416004' } });
  t.same(c.classify('PJSIP/ivanov-00000001'), { role: 'agent', extension: 'ivanov', trunk: null });
  t.equal(c.classify('PJSIP/carrier-00000002').role, 'trunk');
  t.equal(c.classify('PJSIP/mts-00000002').role, 'trunk', 'a peer with a configured DID is a trunk');
  t.end();
});

t.test('queue member interfaces map to the agent extension', (t) => {
  const c = new ChannelClassifier();
  t.equal(c.agentOfInterface('SIP/102'), '102');
  t.equal(c.agentOfInterface('PJSIP/102'), '102');
  t.equal(c.agentOfInterface('Local/101@from-queue/n'), '101');
  t.equal(c.agentOfInterface('PJSIP/pstn'), null);
  t.equal(c.agentOfInterface('nothing'), null);
  t.end();
});
