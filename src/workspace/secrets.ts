// Secret detection: files that must never be read, and spans of ordinary text that must never be
// learned or suggested (private keys, tokens of known services, credential assignments, and strings
// whose randomness gives them away). Pure: used by the extension host, its workers, the CLI and the
// share session (peers' data is filtered through it too).

/** A secret found in a text: UTF-16 offsets, end exclusive. */
export interface SecretSpan {
  start: number;
  end: number;
  kind: SecretKind;
}

export type SecretKind = 'private-key' | 'known-token' | 'assignment' | 'url-credentials' | 'high-entropy';

const SECRET_FILE_NAMES = new Set([
  '.npmrc', '.pypirc', '.netrc', '_netrc', '.pgpass', '.htpasswd', '.git-credentials', '.dockercfg',
  'credentials', 'credentials.json', 'secrets.json', 'secrets.yml', 'secrets.yaml', 'secrets.toml',
  'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk', 'known_hosts',
  'authorized_keys', 'service-account.json', 'serviceaccount.json', 'terraform.tfstate',
]);
const SECRET_EXTENSIONS = new Set([
  '.pem', '.key', '.p12', '.pfx', '.jks', '.keystore', '.kdbx', '.asc', '.gpg', '.pgp', '.ppk',
  '.crt', '.cer', '.der', '.csr', '.p8', '.tfstate', '.tfvars', '.secret', '.secrets',
]);

/** True for files that hold secrets by their nature (.env files, key files, credential stores). */
export function isSecretFileName(filePath: string): boolean {
  const name = baseName(filePath).toLowerCase();
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return true;
  if (SECRET_FILE_NAMES.has(name)) return true;
  if (/^id_(rsa|dsa|ecdsa|ed25519)/.test(name)) return true;
  const dot = name.lastIndexOf('.');
  return dot > 0 && SECRET_EXTENSIONS.has(name.slice(dot));
}

function baseName(filePath: string): string {
  const cut = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  return cut >= 0 ? filePath.slice(cut + 1) : filePath;
}

// Tokens of known services: the pattern itself is the evidence.
const KNOWN_TOKEN_PATTERNS: RegExp[] = [
  /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\bya29\.[0-9A-Za-z_-]{20,}/g, // Google OAuth token
  /\b[sr]k_(?:live|test)_[0-9A-Za-z]{16,}\b/g, // Stripe
  /\bnpm_[A-Za-z0-9]{36}\b/g, // npm
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}\b/g, // OpenAI / Anthropic style keys
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g, // SendGrid
  /\bhf_[A-Za-z0-9]{30,}\b/g, // Hugging Face
  /\bAccountKey=[A-Za-z0-9+/=]{20,}/g, // Azure storage connection strings
];

const PRIVATE_KEY_BLOCK =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g;

// `password = "..."`, `API_KEY: value`, `"client_secret": "..."`: the value is the secret.
const SECRET_NAME =
  '(?:pass(?:word|wd|phrase)|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|credentials?|private[_-]?key|client[_-]?secret|session[_-]?key|signing[_-]?key|encryption[_-]?key|bearer)';
const ASSIGNMENT = new RegExp(
  // Not right after ':' — reStructuredText roles (`:token:`~grammar``) name no secret.
  `(?<![:A-Za-z0-9_.-])([A-Za-z0-9_.-]*${SECRET_NAME}[A-Za-z0-9_]*)["']?[ \\t]*(?::=|=>|[:=])[ \\t]*(?:(["'\`])([^"'\`\\r\\n]{4,})\\2|([^\\s"'\`,;)}\\]]{4,}))`,
  'gi',
);
const BEARER = /\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{16,})/g;
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]+:([^\s/@"'`]{3,})@/gi;
const CANDIDATE = /[A-Za-z0-9+/=_\-.]{20,}/g;

/** Finds every secret in `text`, sorted by start, overlapping spans merged. */
export function findSecrets(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  collect(text, PRIVATE_KEY_BLOCK, 'private-key', spans);
  for (const pattern of KNOWN_TOKEN_PATTERNS) collect(text, pattern, 'known-token', spans);
  collectAssignments(text, spans);
  collectGroup(text, BEARER, 1, 'known-token', spans);
  collectGroup(text, URL_CREDENTIALS, 1, 'url-credentials', spans);
  collectHighEntropy(text, spans);
  return mergeSpans(spans);
}

/** True when `text` contains anything `findSecrets` would report. */
export function containsSecret(text: string): boolean {
  return findSecrets(text).length > 0;
}

/**
 * Blanks every secret with spaces (line breaks kept), so offsets and line structure survive and
 * no part of a secret can be learned, while the words around it still are.
 */
export function redactSecrets(text: string): { text: string; redacted: number } {
  const spans = findSecrets(text);
  if (spans.length === 0) return { text, redacted: 0 };
  let out = '';
  let last = 0;
  for (const span of spans) {
    out += text.slice(last, span.start) + text.slice(span.start, span.end).replace(/[^\r\n]/g, ' ');
    last = span.end;
  }
  return { text: out + text.slice(last), redacted: spans.length };
}

function collect(text: string, pattern: RegExp, kind: SecretKind, spans: SecretSpan[]): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    spans.push({ start: m.index, end: m.index + m[0].length, kind });
    if (m[0].length === 0) pattern.lastIndex++;
  }
}

function collectGroup(text: string, pattern: RegExp, group: number, kind: SecretKind, spans: SecretSpan[]): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const value = m[group];
    const start = m.index + m[0].lastIndexOf(value);
    spans.push({ start, end: start + value.length, kind });
  }
}

function collectAssignments(text: string, spans: SecretSpan[]): void {
  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(text); m; m = ASSIGNMENT.exec(text)) {
    const quoted = m[3];
    const value = quoted ?? m[4];
    if (!value || !isLiteralSecretValue(value, quoted !== undefined)) continue;
    const start = m.index + m[0].length - value.length - (quoted !== undefined ? 1 : 0);
    spans.push({ start, end: start + value.length, kind: 'assignment' });
  }
}

/** Code such as `password = input.value` or `token: getToken()` names a secret without holding one. */
function isLiteralSecretValue(value: string, quoted: boolean): boolean {
  const v = value.trim();
  if (v.length < 4 || isPlaceholder(v)) return false;
  if (quoted) return !/\s/.test(v) || v.length >= 12;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:\(.*)?$/.test(v)) {
    // A bare identifier path is code, unless it mixes letters and digits like a password does.
    return /\d/.test(v) && /[A-Za-z]/.test(v) && !v.includes('.') && !v.includes('(');
  }
  return !/^[\d.]+$/.test(v) && !/^(true|false|null|none|undefined)$/i.test(v);
}

const PLACEHOLDER = /^(?:x+|\*+|\.+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%\w+%|\$\w+|changeme|your[_-]?\w*|example\w*|placeholder|dummy|redacted|todo|secret|password|token)$/i;

function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || /^process\.env\b|^os\.environ|^env\(/.test(value);
}

function collectHighEntropy(text: string, spans: SecretSpan[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const word = m[0].replace(/^[._-]+|[._-]+$/g, '');
    if (looksRandom(word)) {
      const start = m.index + m[0].indexOf(word);
      spans.push({ start, end: start + word.length, kind: 'high-entropy' });
    }
  }
}

/**
 * A string that looks machine-generated: long, mixed character classes and close to the entropy of
 * random data. Ordinary identifiers (camelCase, CONSTANT_CASE, snake_case, dotted names) stay out:
 * their letters are nearly all lower or all upper case and they hold few digits.
 */
export function looksRandom(word: string): boolean {
  if (word.length < 20) return false;
  const entropy = shannonEntropy(word);
  const bare = word.replace(/-/g, '');
  if (/^[0-9a-f]+$/i.test(bare)) {
    // Hex: hashes, ids, keys. Long random hex is treated as a secret; short ids are not.
    return bare.length >= 32 && /\d/.test(bare) && /[a-f]/i.test(bare) && entropy >= 3.3;
  }
  let upper = 0;
  let lower = 0;
  let digits = 0;
  let lowerRuns = 0;
  let previousLower = false;
  for (const ch of word) {
    const isLower = ch >= 'a' && ch <= 'z';
    if (isLower && !previousLower) lowerRuns++;
    previousLower = isLower;
    if (isLower) lower++;
    else if (ch >= 'A' && ch <= 'Z') upper++;
    else if (ch >= '0' && ch <= '9') digits++;
  }
  const letters = upper + lower;
  if (letters === 0) return false;
  if (isIdentifierLike(word)) return false;
  const upperShare = upper / letters;
  const manyDigits = digits / word.length >= 0.15;
  // camelCase words leave long runs of lower case letters; random text breaks them up.
  const wordLike = lowerRuns > 0 && lower / lowerRuns >= 3;
  const mixedCase = upperShare >= 0.25 && upperShare <= 0.75 && !wordLike;
  if (!mixedCase && !manyDigits) return false;
  const threshold = word.length >= 40 ? 4.3 : word.length >= 28 ? 4.0 : 3.7;
  return entropy >= threshold;
}

/**
 * API names such as `PyDict_GetItemWithError` or `PyDateTime_DATE_GET_MICROSECOND` split at case,
 * digit and separator boundaries into pronounceable pieces of three or more characters on average;
 * random base62 splits into pieces of one or two.
 */
function isIdentifierLike(word: string): boolean {
  const pieces = word.split(/[_\-.]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])/).filter(Boolean);
  const letterPieces = pieces.filter((p) => /^[A-Za-z]+$/.test(p));
  if (letterPieces.length === 0) return false;
  const averageLength = letterPieces.reduce((sum, p) => sum + p.length, 0) / letterPieces.length;
  const pronounceable = letterPieces.filter((p) => p.length >= 2 && /[aeiouy]/i.test(p)).length / letterPieces.length;
  return averageLength >= 3 && pronounceable >= 0.75 && letterPieces.length >= pieces.length * 0.75;
}

/** Shannon entropy of the characters of `s`, in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function mergeSpans(spans: SecretSpan[]): SecretSpan[] {
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretSpan[] = [spans[0]];
  for (let i = 1; i < spans.length; i++) {
    const last = merged[merged.length - 1];
    if (spans[i].start <= last.end) last.end = Math.max(last.end, spans[i].end);
    else merged.push(spans[i]);
  }
  return merged;
}
