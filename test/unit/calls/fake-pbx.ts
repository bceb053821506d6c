// A tiny scripted PBX for what the captures do not show: it writes AMI messages with the field
// sets Asterisk 20 sends (keys lower-cased, as asterisk-manager emits them), and the test feeds
// them through parseAmiEvent + CallTracker like the service does.
import { parseAmiEvent } from '../../../src/ami/events';
import type { RawAmiMessage } from '../../../src/ami/raw';
import type { CallFact } from '../../../src/calls/model';
import type { CallTracker } from '../../../src/calls/tracker';

const STATE_CODE: Record<string, string> = { Down: '0', Ring: '4', Ringing: '5', Up: '6', Busy: '7' };

export interface Chan {
  name: string;
  uniqueid: string;
  linkedid: string;
  state: string;
  callerIdNum: string;
  callerIdName: string;
  connectedLineNum: string;
  context: string;
  exten: string;
}

export class FakePbx {
  readonly messages: Array<[number, RawAmiMessage]> = [];
  private now = 0;
  private counter = 0;
  private chanSeq = 0;
  private readonly epoch = 1795700000;

  /** Advance the clock by `ms`. */
  wait(ms: number): this {
    this.now += ms;
    return this;
  }

  private uid(): string {
    return `${this.epoch + Math.floor(this.now / 1000)}.${this.counter++}`;
  }

  /** A new channel: `tech/peer` gets a "-0000000N" suffix; Local pairs come from `local()`. */
  newChannel(
    base: string,
    o: { linkedid?: string; callerIdNum?: string; callerIdName?: string; context?: string; exten?: string; state?: string } = {},
  ): Chan {
    const uniqueid = this.uid();
    const ch: Chan = {
      name: `${base}-${(this.chanSeq++).toString(16).padStart(8, '0')}`,
      uniqueid,
      linkedid: o.linkedid ?? uniqueid,
      state: o.state ?? 'Down',
      callerIdNum: o.callerIdNum ?? '<unknown>',
      callerIdName: o.callerIdName ?? '<unknown>',
      connectedLineNum: '<unknown>',
      context: o.context ?? 'from-internal',
      exten: o.exten ?? 's',
    };
    this.emit('Newchannel', fields('', ch));
    return ch;
  }

  /** A Local channel pair `Local/exten@context-XXXXXXXX;1` and `;2`. */
  local(exten: string, context: string, linkedid: string): [Chan, Chan] {
    const id = (this.chanSeq++).toString(16).padStart(8, '0');
    const mk = (half: number): Chan => {
      const uniqueid = this.uid();
      const ch: Chan = {
        name: `Local/${exten}@${context}-${id};${half}`,
        uniqueid,
        linkedid,
        state: 'Down',
        callerIdNum: '<unknown>',
        callerIdName: '<unknown>',
        connectedLineNum: '<unknown>',
        context,
        exten,
      };
      this.emit('Newchannel', fields('', ch));
      return ch;
    };
    return [mk(1), mk(2)];
  }

  state(ch: Chan, state: string): this {
    ch.state = state;
    return this.emit('Newstate', fields('', ch));
  }

  callerId(ch: Chan, num: string, name = num): this {
    ch.callerIdNum = num;
    ch.callerIdName = name;
    return this.emit('NewCallerid', { ...fields('', ch), cidcallingpres: '0 (Presentation Allowed, Not Screened)' });
  }

  dialBegin(caller: Chan | null, dest: Chan, dialString: string): this {
    return this.emit('DialBegin', { ...(caller ? fields('', caller) : {}), ...fields('dest', dest), dialstring: dialString });
  }

  dialEnd(caller: Chan | null, dest: Chan, status: string): this {
    return this.emit('DialEnd', { ...(caller ? fields('', caller) : {}), ...fields('dest', dest), dialstatus: status });
  }

  hangupRequest(ch: Chan, cause = '16'): this {
    return this.emit('HangupRequest', { ...fields('', ch), cause });
  }

  hangup(ch: Chan, cause = '16', text = 'Normal Clearing'): this {
    return this.emit('Hangup', { ...fields('', ch), cause, 'cause-txt': text });
  }

  bridgeEnter(ch: Chan, bridge: string): this {
    return this.emit('BridgeEnter', { ...bridgeFields(bridge), ...fields('', ch) });
  }

  bridgeLeave(ch: Chan, bridge: string): this {
    return this.emit('BridgeLeave', { ...bridgeFields(bridge), ...fields('', ch) });
  }

  localBridge(one: Chan, two: Chan): this {
    return this.emit('LocalBridge', { ...fields('localone', one), ...fields('localtwo', two), context: one.context, exten: one.exten, localoptimization: 'Yes' });
  }

  localOptimization(phase: 'Begin' | 'End', one: Chan, two: Chan, source?: Chan): this {
    const extra: Record<string, string> =
      phase === 'Begin' ? { ...(source ? fields('source', source) : {}), destuniqueid: two.uniqueid, id: '1' } : { success: 'Yes', id: '1' };
    return this.emit(`LocalOptimization${phase}`, { ...fields('localone', one), ...fields('localtwo', two), ...extra });
  }

  hold(ch: Chan): this {
    return this.emit('Hold', { ...fields('', ch), musicclass: 'default' });
  }

  blindTransfer(transferer: Chan, transferee: Chan, extension: string, bridge: string): this {
    return this.emit('BlindTransfer', {
      result: 'Success',
      ...fields('transferer', transferer),
      ...fields('transferee', transferee),
      ...bridgeFields(bridge),
      isexternal: 'Yes',
      context: transferer.context,
      extension,
    });
  }

  attendedTransfer(o: {
    orig: Chan;
    second: Chan;
    transferee: Chan;
    target: Chan;
    destType?: string;
    result?: string;
  }): this {
    return this.emit('AttendedTransfer', {
      result: o.result ?? 'Success',
      ...fields('origtransferer', o.orig),
      origbridgeuniqueid: 'bridge-orig',
      ...fields('secondtransferer', o.second),
      secondbridgeuniqueid: 'bridge-second',
      ...fields('transferee', o.transferee),
      ...fields('transfertarget', o.target),
      isexternal: 'Yes',
      desttype: o.destType ?? 'Bridge',
      destbridgeuniqueid: 'bridge-orig',
    });
  }

  bridgeMerge(to: string, from: string): this {
    return this.emit('BridgeMerge', { tobridgeuniqueid: to, tobridgetype: 'basic', frombridgeuniqueid: from, frombridgetype: 'basic' });
  }

  rename(ch: Chan, newName: string): this {
    this.emit('Rename', { channel: ch.name, newname: newName, uniqueid: ch.uniqueid });
    ch.name = newName;
    return this;
  }

  /** Call pickup: `picker`'s phone takes the call ringing at `target`. */
  pickup(picker: Chan, target: Chan): this {
    return this.emit('Pickup', { ...fields('', picker), ...fields('target', target) });
  }

  queueCallerJoin(ch: Chan, queue: string): this {
    return this.emit('QueueCallerJoin', { ...fields('', ch), queue, position: '1', count: '1' });
  }

  queueCallerAbandon(ch: Chan, queue: string): this {
    return this.emit('QueueCallerAbandon', { ...fields('', ch), queue, position: '1', originalposition: '1', holdtime: '8' });
  }

  queueCallerLeave(ch: Chan, queue: string): this {
    return this.emit('QueueCallerLeave', { ...fields('', ch), queue, position: '1', count: '0' });
  }

  agent(
    event: 'AgentCalled' | 'AgentConnect' | 'AgentRingNoAnswer' | 'AgentComplete',
    caller: Chan,
    member: Chan | null,
    queue: string,
    iface: string,
  ): this {
    return this.emit(event, {
      ...fields('', caller),
      ...(member ? fields('dest', member) : {}),
      queue,
      interface: iface,
      membername: `Agent ${iface}`,
      ...(event === 'AgentRingNoAnswer' ? { ringtime: '6000' } : {}),
      ...(event === 'AgentConnect' ? { holdtime: '3', ringtime: '3' } : {}),
    });
  }

  /** Noise a real PBX sends by the thousand. */
  varSet(ch: Chan, variable: string, value: string): this {
    return this.emit('VarSet', { ...fields('', ch), variable: { [variable]: '' } as unknown as string, value });
  }

  emit(event: string, body: RawAmiMessage): this {
    this.messages.push([this.now, { event, privilege: 'call,all', ...body }]);
    return this;
  }

  /** Feed everything written so far (from `from`) to `tracker`; `at` = `base` + the script's clock. */
  run(tracker: CallTracker, base = Date.UTC(2026, 10, 26, 9, 0, 0), from = 0): CallFact[] {
    const out: CallFact[] = [];
    for (let i = from; i < this.messages.length; i++) {
      const [ms, raw] = this.messages[i];
      const e = parseAmiEvent(raw);
      if (e.kind === 'invalid') throw new Error(`fake PBX wrote an invalid ${e.event}: ${e.reason}`);
      if (e.kind === 'ignored') continue;
      out.push(...tracker.apply(e, new Date(base + ms)));
    }
    return out;
  }
}

/** The channel snapshot fields, with a prefix (`dest`, `transferer`…) as AMI writes them. */
function fields(prefix: string, ch: Chan): Record<string, string> {
  return {
    [`${prefix}channel`]: ch.name,
    [`${prefix}channelstate`]: STATE_CODE[ch.state] ?? '0',
    [`${prefix}channelstatedesc`]: ch.state,
    [`${prefix}calleridnum`]: ch.callerIdNum,
    [`${prefix}calleridname`]: ch.callerIdName,
    [`${prefix}connectedlinenum`]: ch.connectedLineNum,
    [`${prefix}connectedlinename`]: '<unknown>',
    [`${prefix}language`]: 'en',
    [`${prefix}accountcode`]: '',
    [`${prefix}context`]: ch.context,
    [`${prefix}exten`]: ch.exten,
    [`${prefix}priority`]: '1',
    [`${prefix}uniqueid`]: ch.uniqueid,
    [`${prefix}linkedid`]: ch.linkedid,
  };
}

function bridgeFields(bridge: string): Record<string, string> {
  return {
    bridgeuniqueid: bridge,
    bridgetype: 'basic',
    bridgetechnology: 'simple_bridge',
    bridgecreator: '<unknown>',
    bridgename: '<unknown>',
    bridgenumchannels: '2',
    bridgevideosourcemode: 'none',
  };
}
