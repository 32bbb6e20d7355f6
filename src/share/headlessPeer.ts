// The headless peer: the same session code without VS Code, holding the team memory on disk: a
// team's always-on seed that keeps the memory while no editor is open. It writes no batches of its
// own unless it learns a folder (folderSeed.ts: then it contributes that folder as its own writer,
// and with a watch interval keeps it current); it has a persisted writer key, 0600 beside the
// memory, like every session. It keeps
// the log (so joiners get everyone's text) and the team memory, saved as an indexed memory (so
// `light-network predict -m <file>` shows what it learned from the others).
import { encodeIndexedMemory } from '../memory/indexedCodec';
import { IndexedMemoryBuilder } from '../memory/indexedMemory';
import { HOLE } from '../memory/vocabulary';
import { readIfExists, writeFileAtomic } from '../persistence/atomicFile';
import { visibleText } from './displayText';
import { liveTextSource } from './contribution';
import { FolderSeed } from './folderSeed';
import type { Invite } from './invite';
import type { ShareLimits } from './limits';
import type { LocalUser } from './presence';
import { ShareSession, type IceServer } from './session';
import { TeamMemory } from './teamMemory';
import { loadOrCreateWriterKey } from './writerKey';

export interface HeadlessPeerOptions {
  invite: Invite;
  /** The team memory file (an indexed memory, written from the team memory); the log is kept beside it in `<file>.teamlog`. */
  memoryFile: string;
  user: LocalUser;
  iceServers?: IceServer[];
  order?: number;
  limits?: Partial<ShareLimits>;
  /** Saves are gathered this long after a change. */
  saveDelayMs?: number;
  /** Share through this relay (ws://…) instead of the one the invite names (or the mesh). */
  relay?: string;
  /** A folder this peer learns and contributes as its own writer. */
  learn?: string;
  /** With `learn`: look for changed files this often (ms) and publish what changed. */
  watchMs?: number;
  log?: (line: string) => void;
}

export function teamLogPath(memoryFile: string): string {
  return `${memoryFile}.teamlog`;
}

/** The seed's private writer key (mode 0600), beside its memory. */
export function writerKeyPath(memoryFile: string): string {
  return `${memoryFile}.key`;
}

export class HeadlessPeer {
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private watchTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(
    readonly session: ShareSession,
    readonly team: TeamMemory,
    private readonly options: HeadlessPeerOptions,
  ) {}

  static async start(options: HeadlessPeerOptions): Promise<HeadlessPeer> {
    // Lines carry what peers chose (names): shown on a terminal, nothing in them may be an escape
    // sequence or reorder the text.
    const log = (line: string): void => options.log?.(visibleText(line));
    const savedState = await readIfExists(teamLogPath(options.memoryFile));
    if (!savedState && (await readIfExists(options.memoryFile))) {
      log(`no team log beside ${options.memoryFile}: starting empty, peers will send everything again`);
    }
    // The team memory is rebuilt from the log (never read back: the log is what peers signed).
    const team = new TeamMemory({ order: options.order, onError: (error) => log(`building the team memory failed: ${error.message} (trying again)`) });
    const session = new ShareSession({
      invite: options.invite,
      iceServers: options.iceServers,
      writerKey: await loadOrCreateWriterKey(writerKeyPath(options.memoryFile)),
      user: options.user,
      team,
      limits: options.limits,
      relay: options.relay,
      savedState,
      applySliceMs: 200, // no editor to keep responsive: bigger slices, less overhead
    });
    const peer = new HeadlessPeer(session, team, options);
    session.on('teamChanged', () => peer.scheduleSave());
    session.on('rejected', (r) => log(`rejected from ${r.writer}: ${r.reason}`));
    session.on('wrongPassword', (n) => log(`a peer without the right password was kept out (${n} attempts)`));
    session.on('linkReset', () => log('reset a link that did not sync; reconnecting'));
    session.on('transportRestarted', (reason) => log(reason));
    session.on('logFull', ({ maxLogBytes, maxLogBatches }) => log(`the team log is full (${maxLogBytes} bytes or ${maxLogBatches} batches): our changes wait until there is room`));
    const via = session.relayUrl ? 'relay' : 'signaling';
    session.on('signaling', (status) => status.forEach((s) => log(s.connected ? `${via} ${s.url}: connected` : `${via} ${s.url}: unreachable, retrying`)));
    session.on('peers', (peers) => log(`peers: ${peers.map((p) => p.name).join(', ') || '(none)'}`));
    session.start();
    if (options.learn) await peer.learn(options.learn, log);
    return peer;
  }

  /** Learns the folder, publishes its documents as our snapshot, and with a watch interval keeps them current. */
  private async learn(folder: string, log: (line: string) => void): Promise<void> {
    const seed = new FolderSeed(folder, this.options.order);
    const first = await seed.scan(); // published whole below
    const stats = seed.memory.stats();
    log(`learned ${first.changed} files of ${folder} (${stats.tokens} tokens${first.redacted ? `, ${first.redacted} secrets blanked` : ''}); publishing them`);
    const shared = await this.session.publishSnapshotChunks(liveTextSource(seed.memory));
    if (shared?.cut) {
      log(
        `${shared.totalTokens} tokens are more than our share of the team log (${(shared.budgetBytes / 1048576).toFixed(0)} MiB): ` +
          `published ${shared.documents} of ${shared.totalDocuments} chunks (${shared.tokens} tokens)`,
      );
    }
    const every = this.options.watchMs;
    if (!every) return;
    const tick = (): void => {
      this.scanning = this.scanning.then(async () => {
        if (this.stopped) return;
        const report = await seed.scan();
        if (report.changed + report.removed === 0) return;
        const ids = report.documents;
        this.session.publishDocuments(ids.map((id) => ({ id, tokens: seed.memory.documentTokens(id) })));
        log(`${folder}: ${report.changed} files learned again, ${report.removed} forgotten; published ${ids.length} changed chunks`);
      })
        .catch((error) => log(`watching ${folder} failed: ${(error as Error).message} (trying again)`))
        .finally(() => {
          if (!this.stopped) this.watchTimer = setTimeout(tick, every);
        });
    };
    this.watchTimer = setTimeout(tick, every);
  }

  /** Writes the memory and the log now (atomically). */
  save(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.saving = this.saving.then(async () => {
      this.session.drainTeam();
      const state = this.session.encodeState();
      await this.team.whenIdle();
      await writeFileAtomic(teamLogPath(this.options.memoryFile), state);
      await writeFileAtomic(this.options.memoryFile, encodeIndexedMemory(teamIndex(this.team)));
    });
    return this.saving;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.watchTimer);
    await this.scanning.catch(() => {});
    await this.save();
    await this.session.close();
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => {
      this.save().catch((error) => this.options.log?.(`saving failed: ${(error as Error).message}`));
    }, this.options.saveDelayMs ?? 1000);
  }
}

/** The team memory's documents as one index, the memory file `predict -m` reads ('' cuts kept as holes). */
function teamIndex(team: TeamMemory) {
  const live = team.live;
  // Usually nothing changed since the team memory's last build: its index is the file.
  if (!live.changedSinceIndex) return live.base;
  const builder = new IndexedMemoryBuilder({ order: team.order });
  for (const id of live.documentIds()) {
    const tokens = live.documentTokens(id);
    if (!tokens || tokens.length === 0) continue;
    builder.addDocumentIds(id, Int32Array.from(tokens, (token) => (token === '' ? HOLE : builder.vocab.intern(token))), undefined, true);
  }
  return builder.build();
}

