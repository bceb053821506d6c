// What the AMI peer (ami-peer.ts) is started with, and what it records of each action a client sends.
import type { AmiFields } from './scenarios';

export interface AmiPeerOptions {
  host?: string;
  /** 0 (default) picks a free port; `listen()` after `close()` reuses the one picked. */
  port?: number;
  /** Defaults `calldesk` / `test-secret`, as test/helpers/app.ts configures the service (the demo sets its own). */
  username?: string;
  secret?: string;
  banner?: string;
  /** Send `FullyBooted` after a login (the captures already start with one; default false). */
  fullyBootedOnLogin?: boolean;
}

export interface PeerAction {
  at: Date;
  /** Connection number (1 for the first client ever accepted). */
  client: number;
  /** Lower-cased action name (`login`, `ping`, `coreshowchannels`…). */
  name: string;
  /** The action's headers as the client sent them. */
  fields: AmiFields;
}
