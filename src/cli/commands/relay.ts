// `light-network relay --host H --port P [--redis URL] [--data DIR]`: runs a team relay (a
// Hocuspocus server carrying sealed rooms) on the address the user picks, until interrupted.
import { integerOption, parseCommandArgs, stringOption, wantsHelp } from '../args';
import { CliFailure, UsageError, type CliCommand } from '../command';
import { untilInterrupted } from './signal';

const usage = `Usage: light-network relay [--host <address>] [--port <port>] [--data <folder>] [--redis <url>]

Runs a team relay for shared sessions until Ctrl+C or a signal. Peers share through it instead of
connecting to each other, so a team of any size shares one memory, and the memory stays available
while nobody is online. Everything it holds is sealed by the peers (a key from the room's
password): the relay and Redis never hold anything readable, and only holders of an invite get in.

Options:
  --host <address>  address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port <port>     port to listen on, 0 for any free port (default 4455)
  --data <folder>   keep every room in <folder>/relay.sqlite, across restarts (without it, a room
                    lives while a peer or another instance holds it)
  --redis <url>     redis://host:port: run several instances behind one Redis (peers may use
                    any of them); one instance needs none
  --max-room-mb <n> most a room may hold (default 128)
  -h, --help        show this help
`;

export const relayCommand: CliCommand = {
  name: 'relay',
  summary: 'run a team relay (persisted, several instances behind Redis) for shared sessions',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      redis: { type: 'string' },
      'max-room-mb': { type: 'string' },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    const host = stringOption(parsed, 'host') ?? '127.0.0.1';
    const port = integerOption(parsed, 'port', 4455, 0, 65535);
    const redis = stringOption(parsed, 'redis');
    if (redis !== undefined && !/^redis:\/\/[^/\s]+/.test(redis)) throw new UsageError(`--redis takes redis://host:port, not "${redis}"`);
    const dataDir = stringOption(parsed, 'data');
    const maxRoomBytes = integerOption(parsed, 'max-room-mb', 128, 1, 4096) * 1024 * 1024;
    const { startRelayServer } = await import('../../relay/relayServer');
    let server;
    try {
      server = await startRelayServer({
        host,
        port,
        redis,
        dataDir,
        limits: { maxRoomBytes },
        log: (line) => io.err(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
      });
    } catch (error) {
      throw new CliFailure(`cannot start the relay on ${host}:${port}: ${(error as Error).message}`);
    }
    io.out(`${server.url}\n`);
    io.err(`relay listening on ${server.url}${dataDir ? `, rooms kept in ${dataDir}` : ', nothing kept across restarts (no --data)'}${redis ? `, sharing rooms through ${redis}` : ''}. Ctrl+C to stop.\n`);
    await untilInterrupted();
    await server.close();
    io.err('relay stopped\n');
  },
};
