// `light-network peer --join - --memory <file>` (or `--share` to open a room): the headless
// peer. It runs the same session code as the editor and keeps the team memory on disk, so a team's
// memory stays available while no editor is open; `light-network predict -m <file>` reads it.
import { flag, integerOption, parseCommandArgs, requiredString, stringOption, wantsHelp } from '../args';
import { CliFailure, UsageError, type CliCommand, type CliIO } from '../command';
import { untilInterrupted } from './signal';

/** Where the invite code comes from when it is not typed or piped in: never the command line. */
export const INVITE_ENV = 'LIGHT_NETWORK_INVITE';

/** A code is well under 1 KiB; more on standard input is not an invite. */
const MAX_INVITE_BYTES = 16 * 1024;

const usage = `Usage: light-network peer (--join - | --share (--signal <ws://host:port> | --relay <ws://host:port>)) --memory <file> [options]

Joins (or opens) a shared session without VS Code and keeps the team memory in <file>
(plus the session log in <file>.teamlog), saving as peers' counts arrive, until Ctrl+C.
With --learn it is a team seed: it contributes a folder's n-grams as its own writer (secrets
blanked as in the editor), and with --watch keeps them current as the files change.

The invite code is a password: it is read from standard input (--join -, its first line) or from
the ${INVITE_ENV} environment variable, never from the command line, where every user of the
machine sees it in the process list and the shell keeps it in its history.

Options:
  --join -            read the invite code ("Light Network: Share Session" or another peer) from
                      standard input; without --join, ${INVITE_ENV} is used when set
  --share             open a new room and print its invite code (one line beginning lnet1.)
  --signal <url>      signaling server address for --share (repeatable): peer to peer
  --relay <url>       team relay (light-network relay) to share through; with --share the invite
                      names it, with --join it replaces the relay the invite names (another
                      instance of the same team relay)
  --learn <folder>    learn this folder and contribute it as this peer's own writer
  --watch             with --learn: keep the folder current, looking for changed files every
                      --watch-seconds <s> (default 10)
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
      relay: { type: 'string' },
      learn: { type: 'string' },
      watch: { type: 'boolean' },
      'watch-seconds': { type: 'string' },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    const memoryFile = requiredString(parsed, 'memory');
    const share = flag(parsed, 'share');
    const code = await inviteCode(stringOption(parsed, 'join'), share, io);
    const signal = (parsed.values.signal as string[] | undefined) ?? [];
    const relay = stringOption(parsed, 'relay');
    if (share && signal.length === 0 && !relay) {
      throw new UsageError('--share needs --signal <ws://host:port> (run "light-network signal" for one) or --relay <ws://host:port> ("light-network relay")');
    }
    if (share && signal.length > 0 && relay) throw new UsageError('give --signal (peer to peer) or --relay (a team relay), not both');
    const learn = stringOption(parsed, 'learn');
    const watchMs = watchInterval(flag(parsed, 'watch'), stringOption(parsed, 'watch-seconds'), learn);
    if (learn !== undefined) {
      const { stat } = await import('node:fs/promises');
      if (!(await stat(learn).catch(() => undefined))?.isDirectory()) throw new UsageError(`--learn takes a folder: ${learn} is not one`);
    }
    const { DEFAULT_ORDER, MAX_ORDER } = await import('../../memory/index');
    const order = integerOption(parsed, 'order', DEFAULT_ORDER, 1, MAX_ORDER);
    const iceServers = ((parsed.values.ice as string[] | undefined) ?? []).map((urls) => ({ urls }));

    const { createInvite, decodeInvite, encodeInvite, InviteError, validateRelayUrl } = await import('../../share/invite');
    let invite;
    try {
      if (relay) validateRelayUrl(relay);
      invite = code ? decodeInvite(code) : createInvite(signal, relay);
    } catch (error) {
      if (error instanceof InviteError) throw new UsageError(error.message);
      throw error;
    }
    // The code alone on its line, so a script can take it (grep '^lnet1\.').
    if (share) io.out(`${encodeInvite(invite)}\n`);

    const { HeadlessPeer } = await import('../../share/headlessPeer');
    let peer;
    try {
      peer = await HeadlessPeer.start({
        invite,
        memoryFile,
        order,
        iceServers,
        relay,
        learn,
        watchMs,
        user: { name: stringOption(parsed, 'name') ?? 'seed', color: stringOption(parsed, 'color') ?? '#8080ff' },
        log: (line) => io.err(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
      });
    } catch (error) {
      throw new CliFailure(`cannot start the peer: ${(error as Error).message}`);
    }
    io.err(`peer running${relay ?? invite.relay ? ` through the relay ${relay ?? invite.relay}` : ''}; team memory in ${memoryFile}. Ctrl+C to stop.\n`);
    await untilInterrupted();
    await peer.stop();
    io.err(`saved ${memoryFile}\n`);
    // The native WebRTC addon can keep threads alive after its connections close; everything is
    // saved, so make sure the process ends (unref'd: it only fires if something lingers).
    setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
  },
};

/** How often --watch looks for changed files (ms), or undefined without --watch. */
function watchInterval(watch: boolean, value: string | undefined, learn: string | undefined): number | undefined {
  if (!watch) {
    if (value !== undefined) throw new UsageError('--watch-seconds goes with --watch');
    return undefined;
  }
  if (learn === undefined) throw new UsageError('--watch keeps a learned folder current: give --learn <folder> too');
  if (value === undefined) return 10_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 86_400) throw new UsageError(`--watch takes seconds between 0.1 and 86400, not "${value}"`);
  return Math.round(seconds * 1000);
}

/** The invite code to join with (from standard input or the environment), or undefined for --share. */
async function inviteCode(join: string | undefined, share: boolean, io: CliIO): Promise<string | undefined> {
  const fromEnv = process.env[INVITE_ENV]?.trim() || undefined;
  if (join !== undefined && join !== '-') {
    throw new UsageError(
      `the invite code is not taken on the command line (every user sees it in the process list, and the shell keeps it in its history): ` +
        `give --join - and type or pipe it in (light-network peer --join - -m team.bin < invite.txt), or set ${INVITE_ENV}`,
    );
  }
  if (share) {
    if (join !== undefined) throw new UsageError('give either --join - or --share');
    if (fromEnv) throw new UsageError(`${INVITE_ENV} is set: unset it to open a new room with --share`);
    return undefined;
  }
  if (join === '-' && process.stdin.isTTY) io.err('invite code (not shown in the process list): ');
  const code = join === '-' ? await readFirstLine(process.stdin, MAX_INVITE_BYTES) : fromEnv;
  if (!code) throw new UsageError(join === '-' ? 'no invite code on standard input' : `give --join - (the invite code on standard input), set ${INVITE_ENV}, or --share`);
  return code;
}

/** The first line of `input` (trimmed), read until a line break, its end, or `maxBytes`. */
function readFirstLine(input: NodeJS.ReadableStream, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (): void => {
      input.off('data', onData).off('end', finish).off('error', reject);
      input.pause();
      resolve(text.split(/\r?\n/, 1)[0].trim());
    };
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      if (text.includes('\n') || text.length >= maxBytes) finish();
    };
    input.on('data', onData).on('end', finish).on('error', reject);
  });
}
