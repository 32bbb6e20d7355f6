// A hostile peer against real sessions (separate Node processes over loopback, run.sh): each
// attack class of issue 10 that needs the whole stack (framing, guard, log, team layer), with its
// bound asserted on the honest peers: heap kept (after a collection), reports raised, log entries
// admitted, the team memory within its caps, and the honest writer's text held exactly (chunk for
// chunk) whatever the hostile writer removes, overwrites, replays or forges. The bounds of single
// parts are proved in test/unit/share.
import { strict as assert } from 'node:assert';
import { createInvite, type Invite } from '../../../src/share/invite';
import { DEFAULT_LIMITS } from '../../../src/share/limits';
import { PeerProcess, SignalProcess, sleep, waitUntil } from './harness';

const MiB = 1024 * 1024;

describe('share under a hostile peer (issue 10)', function () {
  this.timeout(240_000);
  let signal: SignalProcess | undefined;
  let invite: Invite;
  const peers: PeerProcess[] = [];

  /** Each peer's writer id (its key's). */
  const writers = new Map<string, string>();

  async function peer(name: string, limits?: object): Promise<PeerProcess> {
    const p = await PeerProcess.spawn(name);
    peers.push(p);
    const { writer } = await p.call({ cmd: 'start', invite, writerId: `w-${name}`, name, limits });
    writers.set(name, writer);
    return p;
  }
  const heap = async (p: PeerProcess) => ((await p.call({ cmd: 'heap' })).heapUsed as number) / MiB;
  const count = async (p: PeerProcess, ngram: string[]) => (await p.call({ cmd: 'stats', probes: [ngram] })).probes[0] as number;
  const reports = (p: PeerProcess, pattern: RegExp) => p.events.filter((e) => e.event === 'rejected' && pattern.test(String(e.reason))).length;

  before(async () => {
    ({ signal } = await SignalProcess.startOnFreePort());
    invite = createInvite([signal.url]);
  });

  after(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
    await signal?.stop();
  });

  it("keeps honest peers bounded and the honest writer's text exact through every attack", async () => {
    // a's team memory is capped low, so that the flood below meets the cap.
    const maxTeamTokens = 150_000;
    const a = await peer('a', { maxTeamTokens });
    const b = await peer('b');
    let evil = await peer('evil');
    const honest = ['honest words here', 'more honest text'];
    await b.call({ cmd: 'publish', documents: [{ id: 'b.md', text: honest[0] }, { id: 'c.md', text: honest[1] }] });
    await evil.call({ cmd: 'publish', documents: [{ id: 'evil.md', text: 'evil hello' }] });
    for (const p of [a, b]) await waitUntil(async () => (await count(p, ['evil', 'hello'])) === 1, 60_000, `${p.name} never linked to evil`);
    await waitUntil(async () => (await count(a, ['honest', 'words'])) === 1, 60_000, 'a never got b');
    // What a holds of b, chunk for chunk: checked after every attack.
    let expected = [...honest].sort();
    const exact = async (p: PeerProcess, when: string) => assert.deepEqual((await p.call({ cmd: 'teamText', writer: writers.get('b') })).texts, expected, `${p.name}, ${when}: b's text changed`);
    await exact(a, 'at the start');
    // What a keeps, not what is still in flight: messages on their way through the WebRTC
    // process and awaiting inspection (bounded per link) are let go within a moment, so the
    // lowest of a few looks a little apart.
    const kept = async (p: PeerProcess) => {
      let low = Infinity;
      for (let look = 0; look < 5; look++, await sleep(300)) low = Math.min(low, await heap(p));
      return low;
    };
    const start = await kept(a);
    const figures: string[] = [];
    const grown = async (what: string) => {
      const now = await kept(a);
      figures.push(`${what}: a's heap ${now - start >= 0 ? '+' : ''}${(now - start).toFixed(1)} MiB`);
      return now - start;
    };

    // 1. Ghost-text poisoning: bidi, zero-width and 256-character tokens after an ordinary prefix.
    await evil.call({ cmd: 'attack', kind: 'deceptive' });
    // The 256-character token is refused as the batch is read, the others by the token check.
    await waitUntil(() => reports(a, /token|word of/) > 0, 30_000, 'a did not refuse the deceptive batch');
    assert.equal(await count(a, ['const']), 0, 'nothing of the deceptive batch was applied');

    // 8. The hostile writer's own, genuinely signed batch with the honest writer's chunk keys (read
    // from the log): a removal of one and new text for the other. A writer reaches only its own
    // chunks (team documents are `writer/key`), so only evil's own change is made: its removal of
    // its own chunk.
    await evil.call({ cmd: 'overwrite', victim: writers.get('b'), tokens: ['stolen', 'words'] });
    await evil.call({ cmd: 'publish', documents: [{ id: 'evil.md' }] });
    await waitUntil(async () => (await count(a, ['evil', 'hello'])) === 0, 30_000, "a did not take evil's own chunk away");
    await waitUntil(async () => (await count(a, ['stolen', 'words'])) === 1, 30_000, "a did not take evil's overwrite as evil's own chunk");
    await exact(a, 'after the overwrite');

    // Replays: evil keeps b's batches as they are now; b changes a chunk and compacts (its old
    // batches superseded and deleted); evil pushes the old batches back into the log.
    await evil.call({ cmd: 'capture', victim: writers.get('b') });
    await b.call({ cmd: 'publish', documents: [{ id: 'b.md', text: 'honest words kept' }] });
    await waitUntil(async () => (await count(a, ['words', 'kept'])) === 1, 30_000, "a never got b's change");
    await b.call({ cmd: 'compact' });
    expected = ['honest words kept', honest[1]].sort();
    await sleep(500);
    await exact(a, 'after the compaction');
    await evil.call({ cmd: 'replay' });
    await waitUntil(() => reports(a, /superseded batch ignored/) > 0, 30_000, 'a did not ignore the replayed batches');
    await exact(a, 'after the replay');


    // 9. Eight signed batches carrying 200k-string tables their one entry never uses.
    await evil.call({ cmd: 'attack', kind: 'unusedTable', count: 8 });
    await waitUntil(() => reports(a, /no record uses/) >= 8, 60_000, 'a did not refuse the table bombs').catch((error) => {
      throw new Error(`${(error as Error).message}; a reported: ${JSON.stringify(a.events.filter((e) => e.event === 'rejected').map((e) => e.reason).slice(-12))}`);
    });
    assert.ok((await grown('8 table bombs (issue: +161 MiB)')) < 40);

    // A flood for 3 s: every 100 ms a signed batch of 200 new chunks, 100k tokens of new words,
    // and one removing and rewriting chunks nobody has. a takes what fits its team memory's cap
    // and refuses the rest; b's text stays as it is.
    const { batches } = await evil.call({ cmd: 'attack', kind: 'flood', count: 3, words: 2000 });
    assert.ok(batches > 10, `${batches} batches`);
    await waitUntil(() => reports(a, /would pass the cap of/) > 0, 30_000, "a never met its team memory cap");
    await sleep(1000);
    const flooded = await a.call({ cmd: 'teamText', writer: writers.get('b') });
    assert.ok(flooded.tokens <= maxTeamTokens, `a's team memory holds ${flooded.tokens} tokens, over its cap of ${maxTeamTokens}`);
    assert.deepEqual(flooded.texts, expected, "a, after the flood: b's text changed");
    assert.ok((await grown(`a 3 s flood of ${batches} batches`)) < 40);

    // Forgery: a batch under b's id and public key, signed by another hostile peer, claiming to
    // supersede all of b's batches and rewriting b's chunks. a refuses every message carrying it
    // (and closes the link that brought it), so it comes from a peer of its own, closed after.
    const forger = await peer('forger');
    await waitUntil(async () => (await forger.call({ cmd: 'stats' })).logBatches.includes(writers.get('b')), 60_000, 'the forger never got the log');
    await forger.call({ cmd: 'forge', victim: writers.get('b'), records: [{ tokens: ['forged', 'words'] }, { tokens: [] }] });
    await waitUntil(() => reports(a, /bad signature/) > 0, 30_000, 'a did not refuse the forged batch');
    await forger.close();
    assert.equal(await count(a, ['forged', 'words']), 0);
    await exact(a, 'after the forgery');

    // 5. Thirty 4-byte sync requests, each asking for the whole log.
    await evil.call({ cmd: 'attack', kind: 'syncRequests', count: 30 });
    const answerable = Math.ceil(DEFAULT_LIMITS.peerRequestsPerMinute / 2); // the burst; the rate adds one in 10 s
    await waitUntil(() => reports(a, /asks more than/) >= 30 - answerable - 1, 30_000, 'a answered every request');
    assert.ok((await grown('30 sync requests (issue: 242 MiB queued)')) < 40);

    // 7. Frames with no payload, which never end a message.
    // From here a closes its links to evil, and evil's own native WebRTC module can crash:
    // @roamhq/wrtc's RTCDataChannel::Send races a close the other end started (SIGSEGV in the
    // sending process; seen in about one run in ten, always in evil, whose links a closes). The
    // honest peers are what is under test: a new process with evil's key carries on.
    const asEvil = async (command: Record<string, unknown>, again = true) => {
      try {
        return await evil.call(command);
      } catch (error) {
        if (!evil.hasExited) throw error;
        console.log(`      (evil's process crashed: ${(error as Error).message}; restarted)`);
        evil = await peer('evil');
        return again ? evil.call(command) : undefined;
      }
    };
    const { sent } = (await asEvil({ cmd: 'attack', kind: 'emptyFrames', count: 20_000 }, false)) ?? { sent: 1 };
    assert.ok(sent > 0);
    await waitUntil(() => reports(a, /before the last of its message/) > 0, 30_000, 'a held the empty frames');
    assert.ok((await grown('20k empty frames')) < 40);

    // 2. One message of 300k junk items (not batches).
    // a closed its link to evil at the empty frames: the junk must wait until they are linked again
    // (evil may be back with b first), and is sent again while a has not seen it.
    const linkedToA = async () => ((await asEvil({ cmd: 'stats' })).peers as Array<{ name: string }>).some((p) => p.name === 'a');
    await waitUntil(linkedToA, 60_000, 'evil never came back to a');
    const logBefore = (await a.call({ cmd: 'stats' })).logBatches.length as number;
    const refused = () => reports(a, /more than \d+ items/) > 0;
    for (let attempt = 0; attempt < 4 && !refused(); attempt++) {
      await asEvil({ cmd: 'attack', kind: 'junkItems', count: 300_000 });
      await waitUntil(refused, 15_000, 'a did not refuse the junk').catch(() => undefined);
    }
    assert.ok(refused(), 'a did not refuse the junk');
    assert.ok((await grown('300k junk items (issue: +145 MiB, 300k reports)')) < 40);
    assert.equal(reports(a, /not a Light Network batch|log entry is not/), 0, 'junk reached the log');
    assert.equal((await a.call({ cmd: 'stats' })).logBatches.length, logBefore);

    // The honest text everywhere unchanged, and a later joiner gets it and none of the junk.
    const c = await peer('c');
    await waitUntil(async () => (await count(c, ['words', 'kept'])) === 1, 60_000, 'c never got b');
    await exact(c, 'c, joining after the attacks');
    await exact(a, 'at the end');
    for (const p of [a, b, c]) {
      assert.equal(await count(p, ['const']), 0, `${p.name} took the deceptive batch`);
      assert.equal(await count(p, ['used']), 0, `${p.name} took a table bomb`);
      assert.equal(await count(p, ['forged', 'words']), 0, `${p.name} took the forged batch`);
      assert.equal(p.count('unhandledRejection'), 0);
    }
    const reportsAtA = a.events.filter((e) => e.event === 'rejected').length;
    figures.push(`reports raised at a in all: ${reportsAtA}`);
    assert.ok(reportsAtA < 500, `${reportsAtA} reports`);
    console.log(`      ${figures.join('\n      ')}`);
  });
});
