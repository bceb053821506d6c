// The AMI adapter's translator for the live-channel answers: the PBX's words for a channel's state
// (`ChannelStateDesc`) become the call model's state names.
import type { ListedChannel } from '../calls/events';
import { channelStateFromDesc } from './events';
import type { LiveChannel } from './live-channel';

export function listedChannels(live: readonly LiveChannel[]): ListedChannel[] {
  return live.map((lc) => ({ ...lc, state: channelStateFromDesc(lc.state) }));
}
