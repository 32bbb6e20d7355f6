// Secrets are never shared: entries holding a secret-looking token are dropped from what we publish
// and from what peers send (defence in depth; the trainer already redacts secrets before learning).
// The same token always gets the same answer, so a dropped count's later removal is dropped too.
import { containsSecret, looksRandom } from '../workspace/secrets';
import type { DeltaBatch } from '../memory/types';

// Every pattern the detector knows needs at least this many characters.
const SHORTEST_SECRET = 16;
const CACHE_LIMIT = 100_000;

export function createSecretTokenTest(): (token: string) => boolean {
  const cache = new Map<string, boolean>();
  return (token) => {
    if (token.length < SHORTEST_SECRET) return false;
    let secret = cache.get(token);
    if (secret === undefined) {
      secret = looksRandom(token) || containsSecret(token);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(token, secret);
    }
    return secret;
  };
}

export function withoutSecrets(batch: DeltaBatch, isSecretToken: (token: string) => boolean): DeltaBatch {
  const entries = batch.entries.filter((entry) => !entry.ngram.some(isSecretToken));
  return entries.length === batch.entries.length ? batch : { entries };
}
