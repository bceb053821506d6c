// A channel the PBX reports as live when asked after a (re)connect: one `CoreShowChannel` event,
// completed with the `DNID` of the `Status` answer for the same channel where there is one.
export interface LiveChannel {
  channel: string;
  uniqueid: string;
  linkedid: string;
  /** `ChannelStateDesc`: Down, Rsrvd, OffHook, Dialing, Ring, Ringing, Up, Busy… */
  state: string;
  callerIdNum: string | null;
  callerIdName: string | null;
  connectedLineNum: string | null;
  connectedLineName: string | null;
  context: string | null;
  exten: string | null;
  application: string | null;
  applicationData: string | null;
  /** Seconds the channel has existed, as the PBX says (`Duration` "HH:MM:SS" or `Seconds`). */
  durationSeconds: number | null;
  bridgeId: string | null;
  /** The dialled number as the channel received it (`DNID` from `Status`), when known. */
  dnid: string | null;
}
