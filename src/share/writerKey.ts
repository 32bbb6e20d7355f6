// A writer's identity in the shared log: an Ed25519 key pair. The writer id is derived from the
// public key, and every batch is signed, so no peer can write, forge or retract batches under
// another writer's id (anyone holding the invite can push bytes into the Yjs document). The
// private key never leaves this machine: it is kept in a file readable by its owner only.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
/** 'k-' then 128 bits of SHA-256 of the public key, base64url (22 characters). */
const ID_HASH_BYTES = 16;

export interface WriterKey {
  /** The writer id everyone derives from `publicKey`. */
  readonly id: string;
  readonly publicKey: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
  /** PKCS#8 DER of the private key (to persist: handle as a secret). */
  exportPrivate(): Uint8Array;
}

export class WriterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriterKeyError';
  }
}

const WRITER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `writer` is shaped like a writer id (batch headers, presence, commands). */
export function isValidWriterId(writer: string): boolean {
  return WRITER_ID_PATTERN.test(writer);
}

export function writerIdOf(publicKey: Uint8Array): string {
  return `k-${createHash('sha256').update(publicKey).digest().subarray(0, ID_HASH_BYTES).toString('base64url')}`;
}

export function newWriterKey(): WriterKey {
  return fromPrivate(generateKeyPairSync('ed25519').privateKey);
}

export function importWriterKey(pkcs8: Uint8Array): WriterKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new WriterKeyError(`not a private key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new WriterKeyError(`expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return fromPrivate(key);
}

function fromPrivate(privateKey: KeyObject): WriterKey {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return {
    id: writerIdOf(publicKey),
    publicKey,
    sign: (data) => new Uint8Array(sign(null, data, privateKey)),
    exportPrivate: () => new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}

function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x as string, 'base64url'));
}

// Public keys seen in the log, parsed once each (bounded: anyone can make up keys).
const publicKeys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 4096;

/** True when `signature` is `publicKey`'s Ed25519 signature of `data`. Never throws. */
export function verifySignature(publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.byteLength !== PUBLIC_KEY_BYTES || signature.byteLength !== SIGNATURE_BYTES) return false;
  const cacheKey = Buffer.from(publicKey).toString('base64url');
  try {
    let key = publicKeys.get(cacheKey);
    if (!key) {
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: cacheKey }, format: 'jwk' });
      if (publicKeys.size >= MAX_CACHED_KEYS) publicKeys.clear();
      publicKeys.set(cacheKey, key);
    }
    return verify(null, data, key, signature);
  } catch {
    return false; // not a point on the curve, or otherwise unusable
  }
}

/**
 * The key pair kept in `file` (created with mode 0600 when missing, and made 0600 again if its
 * mode was widened). A damaged file is an error, never silently replaced: the writer id of every
 * batch already published depends on it.
 */
export async function loadOrCreateWriterKey(file: string): Promise<WriterKey> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (bytes) {
    if (process.platform !== 'win32' && ((await fs.stat(file)).mode & 0o077) !== 0) await fs.chmod(file, 0o600);
    try {
      return importWriterKey(bytes);
    } catch (error) {
      throw new WriterKeyError(`the writer key in ${file} is damaged (${(error as Error).message}); move it away to start as a new writer`);
    }
  }
  const key = newWriterKey();
  await fs.mkdir(path.dirname(file), { recursive: true });
  // 'wx': never overwrite a key another process created meanwhile; that one wins.
  try {
    await fs.writeFile(file, key.exportPrivate(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateWriterKey(file);
    throw error;
  }
  return key;
}
