// `light-network signal --host H --port P`: runs a signaling server (y-webrtc's protocol) on the
// address the user picks, until interrupted.
import { integerOption, parseCommandArgs, stringOption, wantsHelp } from '../args';
import { CliFailure, type CliCommand } from '../command';

const usage = `Usage: light-network signal [--host <address>] [--port <port>] [limits]

Runs a signaling server for shared sessions (the protocol y-webrtc speaks) until Ctrl+C.
Peers only exchange connection offers through it; the memory itself flows peer to peer.
Put its address (ws://host:port) in the lightNetwork.share.signaling setting.

Options:
  --host <address>  address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port <port>     port to listen on, 0 for any free port (default 4444)
  --max-connections <n>              open connections in all (default 1024)
  --max-connections-per-address <n>  open connections from one address (default 32)
  --max-topics <n>                   rooms held at once, all clients together (default 10000)
  --max-buffered-kb <n>              output waiting for one client before it is
                                     disconnected (default 1024)
  --allow-origin <origin>            a web page origin (scheme://host[:port]) that may
                                     connect (repeatable; clients without an Origin, such
                                     as the extension, always may)
  -h, --help        show this help
`;

export const signalCommand: CliCommand = {
  name: 'signal',
  summary: 'run a signaling server for shared sessions on an address you choose',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      host: { type: 'string' },
      port: { type: 'string' },
      'max-connections': { type: 'string' },
      'max-connections-per-address': { type: 'string' },
      'max-topics': { type: 'string' },
      'max-buffered-kb': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    const host = stringOption(parsed, 'host') ?? '127.0.0.1';
    const port = integerOption(parsed, 'port', 4444, 0, 65535);
    const origins = parsed.values['allow-origin'];
    const limits = {
      maxConnections: integerOption(parsed, 'max-connections', 1024, 1),
      maxConnectionsPerAddress: integerOption(parsed, 'max-connections-per-address', 32, 1),
      maxTopics: integerOption(parsed, 'max-topics', 10_000, 1),
      maxBufferedBytes: integerOption(parsed, 'max-buffered-kb', 1024, 16) * 1024,
      allowedOrigins: Array.isArray(origins) ? (origins as string[]) : typeof origins === 'string' ? [origins] : [],
    };
    const { startSignalingServer } = await import('../../share/signalingServer');
    let server;
    try {
      server = await startSignalingServer({ host, port, ...limits, log: (line) => io.err(`${line}\n`) });
    } catch (error) {
      throw new CliFailure(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
    }
    io.out(`${server.url}\n`);
    await untilInterrupted();
    await server.close();
    io.err('signaling server stopped\n');
  },
};

/** Resolves on Ctrl+C or SIGTERM. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
