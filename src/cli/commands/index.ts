// The command table of `light-network`. To add a command, add its file in this folder and one
// line here; the dispatcher, help and error handling come for free.
import type { CliCommand } from '../command';
import { trainCommand } from './train';
import { predictCommand } from './predict';
import { statsCommand } from './stats';
import { evalCommand } from './eval';
import { benchCommand } from './bench';
import { signalCommand } from './signal';
import { peerCommand } from './peer';
import { relayCommand } from './relay';
import { mcpCommand } from './mcp';

export const commands: CliCommand[] = [
  trainCommand,
  predictCommand,
  statsCommand,
  evalCommand,
  benchCommand,
  signalCommand,
  peerCommand,
  relayCommand,
  mcpCommand,
];
