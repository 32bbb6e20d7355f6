// `light-network peer --join <invite> --memory <file>` (or `--share` to open a room): the headless
// peer. It runs the same session code as the editor and keeps the team memory on disk, so a team's
// memory stays available while no editor is open; `light-network predict -m <file>` reads it.
import { flag, integerOption, parseCommandArgs, requiredString, stringOption, wantsHelp } from '../args';
import { CliFailure, UsageError, type CliCommand } from '../command';
import { untilInterrupted } from './signal';

const usage = `Usage: light-network peer (--join <invite code> | --share --signal <ws://host:port>) --memory <file> [options]

Joins (or opens) a shared session without VS Code and keeps the team memory in <file>
(plus the session log in <file>.teamlog), saving as peers' counts arrive, until Ctrl+C.

Options:
  --join <code>       invite code from "Light Network: Share Session" or another peer
  --share             open a new room and print its invite code
  --signal <url>      signaling server address for --share (repeatable)
  -m, --memory <file> team memory file (created if missing)
  --name <name>       name shown to collaborators (default "seed")
  --color <#rrggbb>   colour shown to collaborators
  --ice <url>         ICE server (stun:/turn:), repeatable; none by default (LAN/loopback)
  --order <n>         n-gram order of the team memory (default: the engine's default order)
  -h, --help          show this help
`;

export const peerCommand: CliCommand = {
  name: 'peer',
  summary: 'join or open a shared session headlessly and keep the team memory on disk',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      join: { type: 'string' },
      share: { type: 'boolean' },
      signal: { type: 'string', multiple: true },
      memory: { type: 'string', short: 'm' },
      name: { type: 'string' },
      color: { type: 'string' },
      ice: { type: 'string', multiple: true },
      order: { type: 'string' },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    const memoryFile = requiredString(parsed, 'memory');
    const code = stringOption(parsed, 'join');
    const share = flag(parsed, 'share');
    if (Boolean(code) === share) throw new UsageError('give either --join <invite code> or --share');
    const signal = (parsed.values.signal as string[] | undefined) ?? [];
    if (share && signal.length === 0) throw new UsageError('--share needs --signal <ws://host:port> (run "light-network signal" for one)');
    const { DEFAULT_ORDER, MAX_ORDER } = await import('../../memory/index');
    const order = integerOption(parsed, 'order', DEFAULT_ORDER, 1, MAX_ORDER);
    const iceServers = ((parsed.values.ice as string[] | undefined) ?? []).map((urls) => ({ urls }));

    const { createInvite, decodeInvite, encodeInvite, InviteError } = await import('../../share/invite');
    let invite;
    try {
      invite = code ? decodeInvite(code) : createInvite(signal);
    } catch (error) {
      if (error instanceof InviteError) throw new UsageError(error.message);
      throw error;
    }
    if (share) io.out(`invite code: ${encodeInvite(invite)}\n`);

    const { HeadlessPeer } = await import('../../share/headlessPeer');
    let peer;
    try {
      peer = await HeadlessPeer.start({
        invite,
        memoryFile,
        order,
        iceServers,
        user: { name: stringOption(parsed, 'name') ?? 'seed', color: stringOption(parsed, 'color') ?? '#8080ff' },
        log: (line) => io.err(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
      });
    } catch (error) {
      throw new CliFailure(`cannot start the peer: ${(error as Error).message}`);
    }
    io.err(`peer running; team memory in ${memoryFile}. Ctrl+C to stop.\n`);
    await untilInterrupted();
    await peer.stop();
    io.err(`saved ${memoryFile}\n`);
    // The native WebRTC addon can keep threads alive after its connections close; everything is
    // saved, so make sure the process ends (unref'd: it only fires if something lingers).
    setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
  },
};
