// Secret detection: files that must never be read, and spans of ordinary text that must never be
// learned, suggested or shared (private keys, tokens of known services, values given to secret
// names, credentials in URLs and command lines, and strings whose randomness gives them away).
// Pure: used by the extension host, its workers, the CLI and the share session (what we publish and
// what peers send is judged with the n-gram form of the same rules, `ngramHoldsSecret`).
//
// The text scan is linear: every stage walks the text once or searches forward from positions that
// only grow, each value is judged on at most MAX_JUDGED characters, and a `ScanMeter` counts the
// characters examined so tests can hold the scan to a bound in steps rather than in time.

/** A secret found in a text: UTF-16 offsets, end exclusive. */
export interface SecretSpan {
  start: number;
  end: number;
  kind: SecretKind;
}

export type SecretKind =
  | 'private-key'
  | 'known-token'
  | 'assignment'
  | 'url-credentials'
  | 'command-line'
  | 'call-argument'
  | 'high-entropy';

/** Characters examined by a scan, stage by stage (each stage adds what it read). */
export interface ScanMeter {
  steps: number;
}

// ---------------------------------------------------------------------------------------------
// Files

const SECRET_FILE_NAMES = new Set([
  '.npmrc', '.pypirc', '.netrc', '_netrc', '.pgpass', '.htpasswd', 'htpasswd', '.git-credentials', '.gitcookies',
  '.dockercfg', '.envrc', '.my.cnf', '.mylogin.cnf', '.boto', '.s3cfg', '.vault-token', '.terraformrc', 'terraform.rc',
  'credentials', 'credentials.json', 'credentials.toml', 'credentials.tfrc.json', 'application_default_credentials.json',
  'secrets.json', 'secrets.yml', 'secrets.yaml', 'secrets.toml', 'kubeconfig', 'shadow', 'gshadow',
  'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk', 'known_hosts',
  'authorized_keys', 'service-account.json', 'serviceaccount.json',
]);
const SECRET_EXTENSIONS = new Set([
  '.pem', '.key', '.p12', '.pfx', '.jks', '.keystore', '.kdbx', '.asc', '.gpg', '.pgp', '.ppk',
  '.crt', '.cer', '.der', '.csr', '.p8', '.secret', '.secrets', '.kubeconfig',
]);
/** Parts of a name that mark a credential store whatever surrounds them (`terraform.tfstate.backup`). */
const SECRET_NAME_PARTS = ['.tfstate', '.tfvars', 'vault_pass', 'vault-pass', 'vault_password', 'vault-password', 'vaultpass'];
/** Folders that hold only credentials (keys, cloud logins, kubeconfigs). */
const SECRET_DIRECTORIES = ['.ssh', '.gnupg', '.aws', '.azure', '.kube', '.password-store', '.config/gcloud'];
/** Credential files known by where they live: their names alone are ordinary. */
const SECRET_PATHS = ['.docker/config.json', '.config/gh/hosts.yml', '.config/hub', '.cargo/credentials', '.gem/credentials', '.composer/auth.json', '.config/composer/auth.json'];

/** True for files that hold secrets by their nature (.env files, key files, credential stores). */
export function isSecretFileName(filePath: string): boolean {
  const path = '/' + filePath.replace(/\\/g, '/').toLowerCase();
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return true;
  if (SECRET_FILE_NAMES.has(name) || /^id_(rsa|dsa|ecdsa|ed25519)/.test(name)) return true;
  if (SECRET_NAME_PARTS.some((part) => name.includes(part))) return true;
  const dot = name.lastIndexOf('.');
  if (dot > 0 && SECRET_EXTENSIONS.has(name.slice(dot))) return true;
  return SECRET_DIRECTORIES.some((dir) => path.includes(`/${dir}/`)) || SECRET_PATHS.some((p) => path.endsWith(`/${p}`));
}

// ---------------------------------------------------------------------------------------------
// Names, values and commands: the vocabulary shared by the text scan and the n-gram rule

/** How sure a name is to hold a secret: a password takes any literal, a key or token only a random-looking one. */
type Strength = 'password' | 'key';

const PASSWORD_ENDINGS = ['password', 'passwd', 'passphrase', 'passcode'];
const PASSWORD_SEGMENTS = new Set(['pass', 'pwd', 'pw']);
const KEY_ENDINGS = [
  'secret', 'token', 'apikey', 'accesskey', 'secretkey', 'privatekey', 'authkey', 'signingkey', 'encryptionkey',
  'masterkey', 'sessionkey', 'accountkey', 'credential', 'credentials',
];
const KEY_SEGMENTS = new Set(['auth']);
/** `api key`, `secret key` in prose: the word before `key` makes it one. */
const KEY_QUALIFIERS = new Set(['api', 'secret', 'private', 'access', 'master', 'signing', 'encryption']);
const MAX_NAME = 64;

/**
 * Whether a name holds a secret, judged by its head (the last part of a compound): `DB_PASSWORD`,
 * `clientSecret`, `x-api-key` and `db.pass` do; `tokenType`, `passwordPolicy`, `SECRET_HEADER` and
 * `password.length` name something about a secret, not the secret itself.
 */
function secretStrength(name: string): Strength | undefined {
  if (name.length < 2 || name.length > MAX_NAME) return undefined;
  let end = name.length;
  while (end > 0 && isDigitOrSeparator(name.charCodeAt(end - 1))) end--;
  if (end === 0) return undefined;
  const head = lastSegment(name, end);
  const joined = name.slice(0, end).replace(/[-_.$]/g, '').toLowerCase();
  if (PASSWORD_SEGMENTS.has(head) || PASSWORD_ENDINGS.some((e) => joined.endsWith(e))) return 'password';
  if (KEY_SEGMENTS.has(head) || KEY_ENDINGS.some((e) => joined.endsWith(e))) return 'key';
  return undefined;
}

function isDigitOrSeparator(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 36;
}

/** The last part of a snake, kebab, dotted or camelCase name, lower-cased: `dbPass` → `pass`. */
function lastSegment(name: string, end: number): string {
  let start = end;
  while (start > 0) {
    const c = name.charCodeAt(start - 1);
    const lower = c >= 97 && c <= 122;
    const upper = c >= 65 && c <= 90;
    if (!lower && !upper) break;
    start--;
    // An upper-case letter opens a camelCase part, unless the part is all capitals (`DB_PASS`).
    if (upper && start > 0 && isLowerAt(name, start + 1, end)) break;
  }
  return name.slice(start, end).toLowerCase();
}

function isLowerAt(name: string, at: number, end: number): boolean {
  if (at >= end) return false;
  const c = name.charCodeAt(at);
  return c >= 97 && c <= 122;
}

/** Commands whose flags carry credentials: `mysql -pSECRET`, `curl -u user:pw`, `sshpass -p pw`. */
interface CommandFlags {
  /** The value follows the flag with no space (`-pSECRET`; `-p db` names a database). */
  glued?: string[];
  /** The next argument is the value. */
  spaced?: string[];
  /** The next argument is `user:password`. */
  userPassword?: string[];
}
const MYSQL: CommandFlags = { glued: ['-p'] };
const MONGO: CommandFlags = { spaced: ['-p'] };
const LDAP: CommandFlags = { spaced: ['-w'] }; // the bind password
const SQLCMD: CommandFlags = { spaced: ['-P'] };
const CREDENTIAL_COMMANDS = new Map<string, CommandFlags>([
  ['mysql', MYSQL], ['mysqldump', MYSQL], ['mysqladmin', MYSQL], ['mysqlimport', MYSQL], ['mysqlcheck', MYSQL],
  ['mysqlshow', MYSQL], ['mysqlpump', MYSQL], ['mariadb', MYSQL], ['mariadb-dump', MYSQL],
  ['curl', { userPassword: ['-u', '--user', '-U', '--proxy-user'] }],
  ['wget', { spaced: ['--password', '--http-password', '--ftp-password', '--proxy-password'] }],
  ['sshpass', { spaced: ['-p'] }],
  ['redis-cli', { spaced: ['-a'] }],
  ['login', { spaced: ['-p'] }], // docker / podman / helm registry login
  ['mongo', MONGO], ['mongosh', MONGO], ['mongodump', MONGO], ['mongorestore', MONGO], ['mongoexport', MONGO],
  ['ldapsearch', LDAP], ['ldapadd', LDAP], ['ldapmodify', LDAP], ['ldapdelete', LDAP], ['ldapwhoami', LDAP],
  ['sqlcmd', SQLCMD], ['bcp', SQLCMD],
]);

/**
 * Calls that take credentials by position: `connect("db", "root", "pw")`, `login(user, "pw")`,
 * `new PDO($dsn, 'root', 'pw')`. Every literal argument after the first is treated as a credential.
 */
const CREDENTIAL_CALL_ENDINGS = ['connect', 'connection', 'login', 'logon', 'signin', 'authenticate', 'pdo', 'ldapbind', 'simplebinds'];

function isCredentialCall(name: string): boolean {
  if (name.length < 3 || name.length > MAX_NAME) return false;
  const joined = name.slice(name.lastIndexOf('.') + 1).replace(/[-_$]/g, '').toLowerCase();
  return CREDENTIAL_CALL_ENDINGS.some((e) => joined.endsWith(e));
}

const PLACEHOLDER =
  /^(?:x+|\*+|\.+|<.*>?|\$.*|%\w+%?|\{\{.*|!.*|changeme|change_me|your[_-]?\w*|example\w*|placeholder|dummy|redacted|todo|tbd|secret|password|passwd|token|none|null|nil|undefined|true|false|empty|required|optional)$/i;
/** Values that are code, not literals: types, keywords and the usual sources of a secret. */
const CODE_WORDS = new Set([
  'string', 'str', 'bytes', 'int', 'number', 'bool', 'boolean', 'any', 'object', 'char', 'text', 'varchar', 'secretstr',
  'self', 'this', 'new', 'await', 'os', 'process', 'env', 'environ', 'getenv', 'system', 'input', 'prompt', 'getpass',
  'request', 'req', 'config', 'settings', 'options', 'opts', 'args', 'params', 'kwargs', 'data', 'form', 'body',
  'value', 'values', 'field', 'user', 'nullable', 'default', 'type', 'secrets', 'vault', 'hash', 'hashed',
]);

function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || /^(?:process\.env|os\.environ|os\.getenv|env\(|ENV\[|System\.getenv)/.test(value);
}

/** Code that produces a secret rather than one: another secret's name, a member path, a call, an index. */
function isReference(value: string): boolean {
  return (
    isPlaceholder(value) ||
    // `password = DB_PASSWORD`, `OAuth2TokenCredential`: another name (a password like `MyPass123` ends in digits).
    (!/\d$/.test(value) && secretStrength(value) !== undefined) ||
    CODE_WORDS.has(value.toLowerCase()) ||
    /^[A-Za-z_$][\w$]*(?:(?:\.|->|::)[A-Za-z_$][\w$]*)+$|[([{]/.test(value)
  );
}

/** Longest value judged character by character; a longer literal given to a secret name is blanked whole. */
const MAX_JUDGED = 256;

/** A literal (quoted, or a config file's bare value) given to a secret name. */
function isSecretLiteral(value: string, strength: Strength, quoted: boolean): boolean {
  if (value.length > MAX_JUDGED) return !quoted || !/\s/.test(value);
  if (isReference(value)) return false;
  if (/\s/.test(value)) return false; // a label or a sentence
  // A path names where a secret is kept, a version a dependency; a nested quote is documentation.
  if (/^(?:\.{0,2}\/|~\/|["'`])|^[~^<>=]*v?\d+(?:\.\d+)+/.test(value)) return false;
  if (!quoted && strength === 'key' && /^[\d.]+$/.test(value)) return false;
  if (strength === 'password') return value.length >= 3;
  return value.length >= 8 && !isWordLike(value);
}

/**
 * A bare word that reads as a password rather than as code or prose: letters mixed with digits or
 * symbols, not in the shape of a name (`hunter2`, `Tr0ub4dor&3`; not `hashed`, `hashFunction`,
 * `RESET_V2`, `8` or `v1.2`).
 */
function looksLikePassword(value: string): boolean {
  if (value.length < 6) return false;
  if (value.length > MAX_JUDGED) return true;
  if (isReference(value) || !/[A-Za-z]/.test(value) || /^[\d.,:-]+$/.test(value)) return false;
  if (/^v?\d+(?:\.\d+)+\w*$|^\d+[a-z]{1,3}$/.test(value)) return false; // versions and quantities: v1.2.3, 100ms
  // Letters alone, even in mixed case, are as likely a name in code (`ccsCred`).
  return /[\d]|[^A-Za-z0-9_]/.test(value) && !isWordLike(value);
}

/**
 * Plain words and names made of them (`Bearer`, `X-Api-Key`, `tokenType`, `HTMLElement`): every
 * part a short acronym or a word with a vowel. Random strings break into parts no word has.
 */
function isWordLike(value: string): boolean {
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(value)) return true; // CONSTANT_CASE, snake_case
  if (!/^[A-Za-z]+(?:[-_.][A-Za-z]+)*$/.test(value)) return false;
  return value
    .split(/[-_.]|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)
    .every((part) => /^[A-Z]{1,5}$/.test(part) || (/^(?:[A-Z]?[a-z]{2,}|[A-Z][a-z])$/.test(part) && /[aeiouy]/i.test(part)));
}

// ---------------------------------------------------------------------------------------------
// The text scan

// Tokens of known services: the shape itself is the evidence. Anchored: tried once per word.
const KNOWN_TOKEN = new RegExp(
  '^(?:' +
    [
      '(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}', // AWS access key id
      'gh[pousr]_[A-Za-z0-9]{30,255}', // GitHub
      'github_pat_[A-Za-z0-9_]{22,255}',
      'glpat-[A-Za-z0-9_-]{20,}', // GitLab
      'xox[abposr]-[A-Za-z0-9-]{10,}', // Slack
      'eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}', // JWT
      'AIza[0-9A-Za-z_-]{35}', // Google API key
      'ya29\\.[0-9A-Za-z_-]{20,}', // Google OAuth token
      '[sr]k_(?:live|test)_[0-9A-Za-z]{16,}', // Stripe
      'npm_[A-Za-z0-9]{36}',
      'sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}', // OpenAI / Anthropic style keys
      'SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}', // SendGrid
      'hf_[A-Za-z0-9]{30,}', // Hugging Face
    ].join('|') +
    ')$',
);
/** Webhook URLs whose path is the credential. */
const SECRET_URL_PREFIXES = ['hooks.slack.com/services/', 'discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'];
/** Words that may precede a config key on its line: `- KEY=…`, `export KEY=…`, `ENV KEY=…`. */
const LINE_PREFIXES = new Set(['export', 'set', 'setenv', 'env', 'declare', 'local', 'readonly', 'const', 'let', 'var', 'final', 'static', 'private', 'public', 'protected', 'val']);
const PROSE_VERBS = new Set(['is', 'was', 'are', 'were']);
/** Calls that give a secret name its value (`setPassword("…")`); `getToken("scope")` asks for one. */
const SETTER = /(?:^|\.)(?:set|with|put|use)[A-Z_][\w$]*$|(?:^|\.)(?:password|passwd|secret|token|credentials?)$/;
const MAX_ARGUMENTS = 512;
/** Arguments of a connect call that name where, not who: `localhost`, `db.example.com`, `/run/db.sock`, URLs. */
const HOST_OR_PATH = /^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+|\/.*|[a-z][a-z0-9+.-]*:\/\/.*)$/i;
const MAX_PROSE_GAP = 4;
const MAX_TOKEN_WORD = 4096;
/** The shortest token of a known service (`xoxb-` and ten characters). */
const SHORTEST_KNOWN_TOKEN = 15;
/**
 * Every word a rule below starts from contains one of these (secret names, `Bearer`, credential
 * commands and calls): one test lets the many words that name nothing secret go by.
 */
const MAY_INTRODUCE_SECRET = /pass|pw|secret|token|key|cred|auth|bearer|basic|connect|login|logon|sign|pdo|bind|mysql|maria|curl|wget|redis|mongo|ldap|sqlcmd|bcp/i;
const MAX_RANDOM_JUDGED = 1024;

/** Finds every secret in `text`, sorted by start, overlapping spans merged. */
export function findSecrets(text: string, meter: ScanMeter = { steps: 0 }): SecretSpan[] {
  const scan = new TextScan(text, meter);
  scan.privateKeys();
  scan.urls();
  scan.words();
  scan.randomRuns();
  return mergeSpans(scan.spans);
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

const enum Code {
  Tab = 9,
  LineFeed = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Apostrophe = 39,
  OpenParen = 40,
  CloseParen = 41,
  Comma = 44,
  Dash = 45,
  Dot = 46,
  Colon = 58,
  Less = 60,
  Equals = 61,
  Greater = 62,
  OpenBracket = 91,
  CloseBracket = 93,
  Backtick = 96,
  OpenBrace = 123,
  CloseBrace = 125,
}

function table(chars: string, extra?: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (chars.includes(String.fromCharCode(c)) || extra?.(c)) t[c] = 1;
  return t;
}
const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Characters of names, flags and tokens: `DB_PASSWORD`, `db.password`, `--user`, `$pass`, `ghp_…`. */
const NAME_CHARS = table('_$.-', isAlnum);
/** Characters of base64, hex and id-like runs, judged for randomness ('=' only pads base64, and ends `KEY=`). */
const RUN_CHARS = table('+/_-.', isAlnum);
/** What ends a bare value: blanks, quotes, separators of lists, statements and query strings. */
const BARE_STOPS = table(' \t\n\r"\'`,;)}]<&');
/** What ends a word of prose or a command's argument: blanks and quotes only. */
const WORD_STOPS = table(' \t\n\r"\'`');
const LINE_STOPS = table('\n\r');
const BLANKS = table(' \t');
const BEARER_CHARS = table('._~+/=-', isAlnum);

function isIn(t: Uint8Array, c: number): boolean {
  return c < 128 && t[c] === 1;
}

/**
 * Forward searches for the first stop character at or after a position. Callers ask from positions
 * that only grow, and the last answer is reused while it is still ahead, so no character is read twice.
 */
class Finder {
  private from = -1;
  private found = -1;
  constructor(
    private readonly text: string,
    private readonly stops: Uint8Array,
    private readonly meter: ScanMeter,
    /** Non-ASCII characters that stop the search (line and paragraph separators for line ends). */
    private readonly stopsWide = false,
  ) {}

  next(p: number): number {
    if (p >= this.from && p <= this.found) return this.found;
    const { text, stops } = this;
    const n = text.length;
    let i = p;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128 ? stops[c] === 1 : this.stopsWide && (c === 0x2028 || c === 0x2029 || c === 0x85)) break;
      i++;
    }
    this.meter.steps += i - p + 1;
    this.from = p;
    this.found = i;
    return i;
  }
}

class TextScan {
  readonly spans: SecretSpan[] = [];
  private readonly n: number;
  private readonly lineEnds: Finder;
  private readonly bareEnds: Finder;
  private readonly wordEnds: Finder;
  private readonly elementEnds: Finder;
  private readonly quoteEnds: Record<number, Finder>;
  /** Only blanks, list markers and words like `export` so far on this line: a key here starts a config line. */
  private lineStart = true;
  /** The credential command seen on this line, whose flags are then read. */
  private command: CommandFlags | undefined;
  private previousWord = '';
  /** Arguments are read once: a call inside another's arguments is not read again. */
  private argumentsReadTo = 0;

  constructor(
    private readonly text: string,
    private readonly meter: ScanMeter,
  ) {
    this.n = text.length;
    this.lineEnds = new Finder(text, LINE_STOPS, meter, true);
    this.bareEnds = new Finder(text, BARE_STOPS, meter);
    this.wordEnds = new Finder(text, WORD_STOPS, meter);
    this.elementEnds = new Finder(text, table('<\n\r'), meter);
    this.quoteEnds = {
      [Code.Quote]: new Finder(text, table('"\n\r'), meter),
      [Code.Apostrophe]: new Finder(text, table("'\n\r"), meter),
      [Code.Backtick]: new Finder(text, table('`\n\r'), meter),
    };
  }

  private add(start: number, end: number, kind: SecretKind): void {
    if (end > start) this.spans.push({ start, end, kind });
  }

  /** `-----BEGIN … PRIVATE KEY-----` through its END line (or the end of the text). */
  privateKeys(): void {
    const { text, n } = this;
    for (let from = 0; from < n; ) {
      const begin = text.indexOf('-----BEGIN ', from);
      this.meter.steps += (begin < 0 ? n : begin) - from + 1;
      if (begin < 0) return;
      const headerEnd = this.boundedIndexOf('-----', begin + 11, 100);
      if (headerEnd < 0 || !text.slice(begin, headerEnd).includes('PRIVATE KEY')) {
        from = begin + 11;
        continue;
      }
      const endLine = text.indexOf('-----END ', headerEnd + 5);
      this.meter.steps += (endLine < 0 ? n : endLine) - headerEnd;
      const close = endLine < 0 ? -1 : this.boundedIndexOf('-----', endLine + 9, 100);
      const end = close < 0 ? n : close + 5;
      this.add(begin, end, 'private-key');
      from = end;
    }
  }

  private boundedIndexOf(needle: string, from: number, within: number): number {
    const at = this.text.slice(from, from + within + needle.length).indexOf(needle);
    this.meter.steps += within + needle.length;
    return at < 0 ? -1 : from + at;
  }

  /** `scheme://user:password@host` and webhook URLs whose path is the secret. */
  urls(): void {
    const { text, n } = this;
    for (let from = 0; from < n; ) {
      const at = text.indexOf('://', from);
      this.meter.steps += (at < 0 ? n : at) - from + 1;
      if (at < 0) return;
      let schemeStart = at;
      while (schemeStart > 0 && at - schemeStart < 32 && /[A-Za-z0-9+.-]/.test(text[schemeStart - 1])) schemeStart--;
      this.meter.steps += at - schemeStart;
      const authority = at + 3;
      // The authority ends at the path, a blank or a quote; the password runs to its last '@'.
      let end = authority;
      while (end < n && end - authority < MAX_JUDGED && !/[\s/"'`<>?#]/.test(text[end])) end++;
      this.meter.steps += end - authority;
      const userInfo = text.slice(authority, end);
      const atSign = userInfo.lastIndexOf('@');
      const colon = userInfo.indexOf(':');
      if (schemeStart < at && /^[A-Za-z]/.test(text[schemeStart]) && colon >= 0 && colon < atSign) {
        const password = userInfo.slice(colon + 1, atSign);
        if (password.length > 0 && !isPlaceholder(password)) this.add(authority + colon + 1, authority + atSign, 'url-credentials');
      }
      for (const prefix of SECRET_URL_PREFIXES) {
        if (text.startsWith(prefix, authority)) {
          const pathStart = authority + prefix.length;
          let stop = pathStart;
          while (stop < n && stop - pathStart < MAX_JUDGED && !isIn(BARE_STOPS, text.charCodeAt(stop))) stop++;
          this.meter.steps += stop - pathStart;
          this.add(pathStart, stop, 'known-token');
        }
      }
      from = Math.max(end, authority);
    }
  }

  /** Names, flags and tokens, word by word, and what follows the ones that introduce a secret. */
  words(): void {
    const { text, n } = this;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      this.meter.steps++;
      if (c === Code.LineFeed || c === Code.Return || c === 0x2028 || c === 0x2029) {
        this.lineStart = true;
        this.command = undefined;
        i++;
        continue;
      }
      if (!isIn(NAME_CHARS, c)) {
        if (!isIn(BLANKS, c)) this.lineStart = false;
        i++;
        continue;
      }
      let end = i + 1;
      while (end < n && isIn(NAME_CHARS, text.charCodeAt(end))) end++;
      this.meter.steps += end - i;
      i = Math.max(end, this.word(i, end));
    }
  }

  /** Judges one word; returns where the scan goes on (past a secret value that was found). */
  private word(start: number, end: number): number {
    const { text } = this;
    let s = start;
    while (s < end && text.charCodeAt(s) === Code.Dash) s++;
    let e = end;
    while (e > s && text.charCodeAt(e - 1) === Code.Dot) e--; // a sentence's full stop
    if (s === e) return end; // a list marker or a rule of dashes
    const dashes = s - start;
    const atLineStart = this.lineStart;
    if (e - s > MAX_NAME) {
      this.lineStart = false;
      if (e - s <= MAX_TOKEN_WORD) this.knownToken(s, e);
      this.previousWord = '';
      return end;
    }
    const word = text.slice(s, e);
    const previous = this.previousWord;
    this.previousWord = word;
    if (atLineStart && dashes === 0 && LINE_PREFIXES.has(word.toLowerCase())) return end;
    this.lineStart = false;
    if (e - s >= SHORTEST_KNOWN_TOKEN && this.knownToken(s, e)) return end;
    if (dashes > 0 && this.command) {
      const next = this.flag(start, end, text.slice(start, e));
      if (next !== undefined) return next;
    }
    if (!MAY_INTRODUCE_SECRET.test(word)) return end;
    const lower = word.toLowerCase();
    const command = dashes === 0 ? CREDENTIAL_COMMANDS.get(lower) : undefined;
    if (command) this.command = command;
    if (lower === 'bearer' || lower === 'basic') return this.bearer(end);
    let strength = secretStrength(word);
    if (!strength && lower === 'key' && KEY_QUALIFIERS.has(previous.toLowerCase())) strength = 'key';
    if (strength) {
      const next = this.assignment(start, e, dashes, strength, atLineStart, /^[a-z]+$/.test(word));
      if (next !== undefined) return next;
    }
    if (dashes === 0 && isCredentialCall(word)) {
      const open = this.skipBlanks(e);
      if (text.charCodeAt(open) === Code.OpenParen) this.callArguments(open, 1, 'password');
    }
    return end;
  }

  private knownToken(s: number, e: number): boolean {
    this.meter.steps += e - s;
    if (!KNOWN_TOKEN.test(this.text.slice(s, e))) return false;
    this.add(s, e, 'known-token');
    return true;
  }

  private skipBlanks(p: number): number {
    const { text, n } = this;
    const from = p;
    while (p < n && isIn(BLANKS, text.charCodeAt(p))) p++;
    this.meter.steps += p - from;
    return p;
  }

  /** `Authorization: Bearer <token>`. */
  private bearer(end: number): number {
    const start = this.skipBlanks(end);
    if (start === end) return end;
    const stop = this.bareEnds.next(start);
    if (stop - start < 16 || isWordLike(this.text.slice(start, Math.min(stop, start + MAX_JUDGED)).replace(/=+$/, ''))) return end;
    for (let k = start; k < Math.min(stop, start + MAX_JUDGED); k++) if (!isIn(BEARER_CHARS, this.text.charCodeAt(k))) return end;
    this.meter.steps += Math.min(stop - start, MAX_JUDGED);
    this.add(start, stop, 'known-token');
    return stop;
  }

  /**
   * A value: quoted (inside the quotes) or bare, to the next blank or separator (`bare`), or to the
   * next blank (`word`: prose and command lines, where `&` and `;` may be part of a password).
   */
  private value(p: number, ends: 'bare' | 'word' = 'bare'): { start: number; end: number; quoted: boolean } | undefined {
    const { text } = this;
    const c = text.charCodeAt(p);
    const quotes = this.quoteEnds[c];
    if (quotes) {
      // Unclosed on its line, the literal runs to the line's end: a line being typed, or a ghost
      // text that stops before the closing quote.
      const close = quotes.next(p + 1);
      return { start: p + 1, end: close, quoted: true };
    }
    const end = (ends === 'bare' ? this.bareEnds : this.wordEnds).next(p);
    return end > p ? { start: p, end, quoted: false } : undefined;
  }

  /** A credential flag of the line's command: `-pSECRET`, `-u user:pw`, `-a pw`. */
  private flag(start: number, end: number, flag: string): number | undefined {
    const spec = this.command!;
    const { text } = this;
    const glued = spec.glued?.find((g) => flag.startsWith(g) && flag.length > g.length);
    if (glued) {
      const value = this.value(start + glued.length);
      if (!value || isPlaceholder(text.slice(value.start, Math.min(value.end, value.start + MAX_JUDGED)))) return undefined;
      this.add(value.start, value.end, 'command-line');
      return value.end;
    }
    const spaced = spec.spaced?.includes(flag);
    const userPassword = spec.userPassword?.includes(flag);
    if (!spaced && !userPassword) return undefined;
    const p = this.skipBlanks(end);
    if (p === end) return undefined;
    const value = this.value(p);
    if (!value) return undefined;
    let from = value.start;
    if (userPassword) {
      const colon = text.slice(value.start, Math.min(value.end, value.start + MAX_JUDGED)).indexOf(':');
      if (colon < 0) return undefined; // the command asks for the password
      from = value.start + colon + 1;
    }
    if (isPlaceholder(text.slice(from, Math.min(value.end, from + MAX_JUDGED)))) return undefined;
    this.add(from, value.end, 'command-line');
    return value.end;
  }

  /**
   * What follows a secret name: an operator of some config syntax (`=`, `:`, `:=`, `=>`, `==`, XML's
   * `>`, a quoted key's `,` as in `define('DB_PASSWORD', '…')`, an attribute pair's `value=`), a
   * setter's `(`, prose's `is`, or a blank, then the value. Returns where the scan goes on when a
   * secret was found.
   */
  private assignment(
    wordStart: number,
    keyEnd: number,
    dashes: number,
    strength: Strength,
    atLineStart: boolean,
    proseWord: boolean,
  ): number | undefined {
    const { text } = this;
    const lineEnd = this.lineEnds.next(keyEnd);
    const before = wordStart > 0 ? text.charCodeAt(wordStart - 1) : -1;
    let p = keyEnd;
    let quotedKey = false;
    // The end of a quoted or indexed key: `"password":`, `['password'] =`, `define('DB_PASSWORD',`.
    for (let k = 0; k < 2 && p < lineEnd; k++, p++) {
      const c = text.charCodeAt(p);
      if (c === Code.Quote || c === Code.Apostrophe || c === Code.Backtick) quotedKey = true;
      else if (c !== Code.CloseBracket) break;
    }
    const afterKey = p;
    p = this.skipBlanks(p);
    const spaced = p > afterKey;
    const c = text.charCodeAt(p);
    const next = text.charCodeAt(p + 1);
    type Operator = 'assign' | 'colon' | 'compare' | 'argument' | 'element' | 'call' | 'prose' | 'blank';
    let op: Operator;
    if (c === Code.Colon) {
      // `::` is a scope or a directive; `:token:` right after a colon is a reStructuredText role;
      // a blank before the colon is prose (`pass :meth:`), as no config syntax puts one after a bare key.
      // Go's `password := "…"` is an assignment, spaced or not.
      if (next === Code.Colon || (before === Code.Colon && !spaced) || (spaced && !quotedKey && next !== Code.Equals)) return undefined;
      op = next === Code.Equals ? 'assign' : 'colon';
      p += next === Code.Equals ? 2 : 1;
    } else if (c === Code.Equals) {
      if (next === Code.Equals) {
        op = 'compare';
        p += text.charCodeAt(p + 2) === Code.Equals ? 3 : 2;
      } else {
        op = 'assign';
        p += next === Code.Greater ? 2 : 1;
      }
    } else if (c === Code.Comma && quotedKey && this.isSetterArgument(wordStart)) {
      op = 'argument';
      p++;
    } else if (c === Code.Greater && before === Code.Less && !spaced) {
      op = 'element';
      p++;
    } else if (c === Code.OpenParen && !spaced && SETTER.test(text.slice(keyEnd - Math.min(keyEnd - wordStart, MAX_NAME), keyEnd))) {
      op = 'call';
    } else if (quotedKey && spaced && text.startsWith('value=', p)) {
      op = 'assign'; // <add key="ClearTextPassword" value="…" />
      p += 6;
    } else if (spaced && p < lineEnd) {
      const verb = this.proseVerb(p, lineEnd, proseWord);
      op = verb > p ? 'prose' : 'blank';
      p = verb;
    } else return undefined;
    const v = this.skipBlanks(p);
    if (v >= lineEnd) return undefined;
    if (op === 'call' || ((op === 'assign' || op === 'colon') && (text.charCodeAt(v) === Code.OpenParen || text.charCodeAt(v) === Code.OpenBracket))) {
      // `setPassword("…")`, `auth=("user", "…")`: the literals are the value.
      this.callArguments(v, 0, strength);
      return undefined;
    }
    if (op === 'element') {
      const end = this.elementEnds.next(v);
      const value = text.slice(v, Math.min(end, v + MAX_JUDGED + 1)).trimEnd();
      if (!isSecretLiteral(value, strength, true)) return undefined;
      this.add(v, v + value.length, 'assignment');
      return end;
    }
    const value = this.value(v, op === 'prose' || op === 'blank' ? 'word' : 'bare');
    if (!value) return undefined;
    let { start, end } = value;
    if (op === 'prose' || op === 'blank') {
      while (end > start && /[.,;:!?)]/.test(text[end - 1])) end--; // the sentence's punctuation
    }
    const literal = text.slice(start, Math.min(end, start + MAX_JUDGED + 1));
    if (!this.isSecretValue(literal, strength, op, value.quoted, { atLineStart, dashes, glued: !spaced && v === p, end, lineEnd, verbPass: op === 'blank' && dashes === 0 && /^pass$/i.test(text.slice(keyEnd - 4, keyEnd)) && keyEnd - wordStart === 4 })) return undefined;
    this.add(start, end, 'assignment');
    return value.end;
  }

  /**
   * A quoted name that opens the arguments of a call that sets it: `define('DB_PASSWORD', …)`,
   * `props.put("password", …)`, `os.environ.setdefault("SECRET_KEY", …)`; not `scrypt('password', 'salt')`.
   */
  private isSetterArgument(wordStart: number): boolean {
    const head = this.text.slice(Math.max(0, wordStart - MAX_NAME), wordStart);
    this.meter.steps += head.length;
    return /(?:^|[^\w$])(?:define|put|set\w*|add|with\w*|config\w*|setenv|putenv|env)\s*\(\s*["'`]$/i.test(head);
  }

  /** Prose: `password is …`, `password for the staging db is …`; returns the position after the verb. */
  private proseVerb(p: number, lineEnd: number, proseWord: boolean): number {
    const { text } = this;
    let q = p;
    for (let words = 0; words <= MAX_PROSE_GAP && q < lineEnd; words++) {
      let e = q;
      while (e < lineEnd && e - q <= 16 && text.charCodeAt(e) >= 97 && text.charCodeAt(e) <= 122) e++;
      this.meter.steps += e - q;
      if (e === q || e - q > 16) return p;
      const word = text.slice(q, e);
      const after = text.charCodeAt(e);
      if (PROSE_VERBS.has(word) && (after === Code.Space || after === Code.Tab)) return e;
      if (after === Code.Colon && words > 0) return e + 1; // "password for root: …"
      if (!proseWord || (after !== Code.Space && after !== Code.Tab)) return p;
      q = this.skipBlanks(e);
    }
    return p;
  }

  private isSecretValue(
    literal: string,
    strength: Strength,
    op: 'assign' | 'colon' | 'compare' | 'argument' | 'prose' | 'blank',
    quoted: boolean,
    where: { atLineStart: boolean; dashes: number; glued: boolean; end: number; lineEnd: number; verbPass: boolean },
  ): boolean {
    if (op === 'compare' || op === 'argument') return quoted && isSecretLiteral(literal, strength, true);
    if (op === 'prose' || op === 'blank') {
      // `PASSWORD 'x'` (SQL) and `--password "x"`; not the verb: "pass `Infinity`", "Pass '--no-yarn'".
      if (quoted || (op === 'blank' && where.dashes > 0)) return !where.verbPass && isSecretLiteral(literal, strength, true);
      if (!/^[A-Za-z0-9]/.test(literal) || !looksLikePassword(literal)) return false;
      // With no operator and no verb (`password hunter2`), only a password's name and a word mixing
      // letters and digits: `token expired/invalid`, `private key and/or` are prose.
      return op === 'prose' || (strength === 'password' && /\d/.test(literal) && /[A-Za-z]/.test(literal) && !literal.includes('/'));
    }
    if (quoted) return isSecretLiteral(literal, strength, true);
    // A bare value is a literal in config files (`KEY=value`, `key: value` alone on a line, a
    // connection string's `Password=…;`, a flag's `--password=…`), and code anywhere else.
    const terminator = this.text.charCodeAt(where.end);
    const restBlank = this.restOfLineIsBlank(where.end, where.lineEnd);
    const config =
      where.dashes > 0 ||
      (where.atLineStart && restBlank) ||
      (where.glued && op === 'assign' && terminator !== Code.Comma && terminator !== Code.CloseParen && terminator !== Code.CloseBrace && terminator !== Code.CloseBracket);
    return config ? isSecretLiteral(literal, strength, false) : looksLikePassword(literal);
  }

  /** Only blanks, or a `#` comment, from `p` to the line's end (bounded: a long tail is not blank). */
  private restOfLineIsBlank(p: number, lineEnd: number): boolean {
    const q = this.skipBlanks(p);
    return q >= lineEnd || this.text.charCodeAt(q) === 35 /* # */;
  }

  /**
   * Literal arguments of a call, from the `firstSecret`-th on (0-based): `connect("db", "root", "pw")`
   * gives `root` and `pw`. Keyword arguments are left to the name rule. Returns whether one was found.
   */
  private callArguments(open: number, firstSecret: number, strength: Strength): boolean {
    if (open < this.argumentsReadTo) return false;
    const { text } = this;
    const lineEnd = this.lineEnds.next(open);
    const limit = Math.min(lineEnd, open + MAX_ARGUMENTS);
    let depth = 1;
    let index = 0;
    let argumentStart = true;
    let found = false;
    let i = open + 1;
    while (i < limit && depth > 0) {
      const c = text.charCodeAt(i);
      this.meter.steps++;
      const quotes = this.quoteEnds[c];
      if (quotes) {
        const close = quotes.next(i + 1);
        const closed = text.charCodeAt(close) === c;
        if (closed && close >= limit) break;
        const after = this.skipBlanks(close + 1);
        const ends = text.charCodeAt(after);
        // A literal ending the line, or left open there, is one being typed or completed.
        const whole = !closed || after >= lineEnd || ends === Code.Comma || ends === Code.CloseParen;
        if (depth === 1 && argumentStart && index >= firstSecret && whole) {
          const literal = text.slice(i + 1, Math.min(close, i + 1 + MAX_JUDGED + 1));
          if (isSecretLiteral(literal, strength, true) && !HOST_OR_PATH.test(literal)) {
            this.add(i + 1, close, 'call-argument');
            found = true;
          }
        }
        argumentStart = false;
        i = close + 1;
        continue;
      }
      if (c === Code.OpenParen || c === Code.OpenBracket || c === Code.OpenBrace) depth++;
      else if (c === Code.CloseParen || c === Code.CloseBracket || c === Code.CloseBrace) depth--;
      else if (c === Code.Comma && depth === 1) {
        index++;
        argumentStart = true;
      } else if (!isIn(BLANKS, c)) argumentStart = false;
      i++;
    }
    this.argumentsReadTo = i;
    return found;
  }

  /** Runs of base64, hex and id characters that look machine-generated. */
  randomRuns(): void {
    const { text, n } = this;
    let i = 0;
    while (i < n) {
      this.meter.steps++;
      if (!isIn(RUN_CHARS, text.charCodeAt(i))) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < n && isIn(RUN_CHARS, text.charCodeAt(end))) end++;
      this.meter.steps += end - i;
      if (end - i >= 20) this.randomRun(i, end);
      i = end;
    }
  }

  private randomRun(start: number, end: number): void {
    const { text } = this;
    while (start < end && /[._-]/.test(text[start])) start++;
    while (end > start && /[._-]/.test(text[end - 1])) end--;
    if (end - start < 20) return;
    // Digests that say what they are (`sha512-…` integrity, `sha256:…` image digests) are not secrets.
    // A long run (an embedded blob) is judged by its first MAX_RANDOM_JUDGED characters.
    const word = text.slice(start, Math.min(end, start + MAX_RANDOM_JUDGED));
    if (/^(?:sha(?:1|224|256|384|512)|md5)-/i.test(word) || /(?:sha(?:1|224|256|384|512)|md5):$/i.test(text.slice(Math.max(0, start - 7), start))) return;
    this.meter.steps += 4 * word.length; // the checks read the word a bounded number of times
    // Paths and dotted names (`@scope/pkg-win32-x64`, `Constants.PSS_256`) are judged part by part,
    // when a part is a word; random base64 is judged whole, slashes and all.
    const parts = word.split(/[/.]/);
    const named = parts.length > 1 && parts.some((part) => part.length >= 4 && isWordLike(part));
    if (named ? parts.some(looksRandom) : looksRandom(word)) this.add(start, end, 'high-entropy');
  }
}

// ---------------------------------------------------------------------------------------------
// Randomness

/**
 * A string that looks machine-generated: long, mixed character classes and close to the entropy of
 * random data. Ordinary identifiers (camelCase, CONSTANT_CASE, snake_case, dotted names) stay out:
 * their letters are nearly all lower or all upper case and they hold few digits. So do ids that say
 * what they are: UUIDs and 40-digit hex (git commits and other SHA-1 object ids).
 */
export function looksRandom(word: string): boolean {
  if (word.length < 20) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(word) || /^[0-9a-f]{40}$/i.test(word)) return false;
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
  // Numbers inside a name (`ChaCha20Poly1305`) are its own pieces, and do not make it random.
  const numbers = pieces.filter((p) => /^\d+$/.test(p)).length;
  return averageLength >= 3 && pronounceable >= 0.75 && letterPieces.length >= (pieces.length - numbers) * 0.75;
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

// ---------------------------------------------------------------------------------------------
// The same rules on n-grams (what the memory holds and peers exchange)

/** Command names as the tokenizer splits them (`redis-cli` → `redis`, `-`, `cli`): their first parts. */
const COMMAND_PARTS = new Set([...CREDENTIAL_COMMANDS.keys()].map((name) => name.split('-')[0]));
const QUOTE_TOKENS = new Set(['"', "'", '`']);

/** True for a token that may start a secret in context: a secret name, a credential command or call, a URL's `@`. */
export function opensSecretContext(token: string): boolean {
  if (token === '@') return true;
  const lower = token.toLowerCase();
  return lower === 'key' || lower === 'bearer' || COMMAND_PARTS.has(lower) || isCredentialCall(token) || secretStrength(token) !== undefined;
}

/**
 * True when token `i` of `tokens` opens a context whose secret may lie further on than an n-gram
 * reaches: a credential call's `(` (`connect("db.internal", "root", "…")`) or a credential command
 * (`redis-cli -h cache -a …`).
 */
export function opensLongContext(tokens: readonly string[], i: number): boolean {
  const lower = tokens[i].toLowerCase();
  if (isCredentialCall(tokens[i]) && tokens[i + 1] === '(') return true;
  return CREDENTIAL_COMMANDS.has(lower) || (tokens[i + 1] === '-' && tokens[i + 2] !== undefined && CREDENTIAL_COMMANDS.has(`${lower}-${tokens[i + 2].toLowerCase()}`));
}

/**
 * Where an n-gram of tokens (the tokenizer's words and punctuation, spacing unknown) gives a secret
 * away: the index of the value's first token, or -1. A secret name followed, through operators and
 * quotes only, by a value; a credential flag of a command with its value; a credential call with a
 * literal after its first argument; `user:pw@`. The value may be cut short and spacing is lost, so
 * this errs towards withholding code like `password = pw` as well: what is withheld is only not shared.
 */
export function secretValueInNgram(tokens: readonly string[]): number {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === '@') {
      if (i >= 3 && tokens[i - 2] === ':' && isValueToken(tokens[i - 1]) && isValueToken(tokens[i - 3])) return i - 1;
      continue;
    }
    const lower = token.toLowerCase();
    // The tokenizer splits `redis-cli` at its dash.
    const dashed = tokens[i + 1] === '-' && tokens[i + 2] ? CREDENTIAL_COMMANDS.get(`${lower}-${tokens[i + 2].toLowerCase()}`) : undefined;
    const command = dashed ?? CREDENTIAL_COMMANDS.get(lower);
    const flagValue = command ? flagValueIndex(tokens, dashed ? i + 3 : i + 1, command) : -1;
    if (flagValue >= 0) return flagValue;
    const literal = isCredentialCall(token) && tokens[i + 1] === '(' ? literalAfterFirstArgument(tokens, i + 2) : -1;
    if (literal >= 0) return literal;
    const strength =
      secretStrength(token) ?? (lower === 'bearer' || (lower === 'key' && i > 0 && KEY_QUALIFIERS.has(tokens[i - 1].toLowerCase())) ? 'key' : undefined);
    const value = strength ? valueIndex(tokens, i, strength) : -1;
    if (value >= 0) return value;
  }
  return -1;
}

function isValueToken(token: string | undefined): boolean {
  if (!token) return false;
  const c = token.charCodeAt(0);
  return isAlnum(c) || (c > 127 && /^\p{L}/u.test(token));
}

/**
 * After the secret name at `i`, the index of its value's first token, or -1: the text scan's grammar
 * on tokens. An operator (`=`, `:`, `:=`, `=>`, `==`, XML's `>`, a quoted key's `,`, `value=`) or
 * prose's `is`, then the value. Spacing and line ends are lost, so a config file's
 * `PASSWORD=hunter` and code's `password = hunter` look alike: what is withheld is only not
 * shared, so after an operator any literal or bare word counts (a plain word too: passwords are
 * words often enough), unless it is a reference (`os.environ`, `DB_PASSWORD`, `string`, a
 * placeholder) or code continues it (`invite.password`, `getToken(`, `secret[i]`). After prose's
 * verb, a bare value counts only when it reads as a password.
 */
function valueIndex(tokens: readonly string[], i: number, strength: Strength): number {
  let j = i + 1;
  let quotedKey = false;
  for (let k = 0; k < 2 && (QUOTE_TOKENS.has(tokens[j]) || tokens[j] === ']'); k++, j++) if (QUOTE_TOKENS.has(tokens[j])) quotedKey = true;
  const t = tokens[j];
  let quotedOnly = false;
  if (t === '=') {
    j++;
    while (tokens[j] === '=' || tokens[j] === '>') j++;
  } else if (t === ':') {
    if (tokens[j + 1] === ':') return -1;
    j += tokens[j + 1] === '=' ? 2 : 1;
  } else if (t === '>' && tokens[i - 1] === '<') j++;
  else if ((t === ',' && quotedKey) || t === '(') {
    j++;
    quotedOnly = true;
  } else if (t === 'value' && quotedKey && tokens[j + 1] === '=') j += 2;
  else if (t !== undefined && PROSE_VERBS.has(t)) j++;
  else if (/^[a-z]+$/.test(tokens[i])) {
    // "password for the staging db is …"
    let k = j;
    while (k < tokens.length && k - j < MAX_PROSE_GAP && /^[a-z]+$/.test(tokens[k]) && !PROSE_VERBS.has(tokens[k])) k++;
    if (k > j && (PROSE_VERBS.has(tokens[k]) || tokens[k] === ':')) j = k + 1;
  }
  const quoted = QUOTE_TOKENS.has(tokens[j]);
  if (quoted) j++;
  else if (quotedOnly) return -1;
  const value = tokens[j];
  if (!isValueToken(value)) return -1;
  const next = tokens[j + 1];
  if (!quoted && (next === '(' || next === '.' || next === '[' || (next === '-' && tokens[j + 2] === '>'))) return -1;
  if (quoted ? isSecretLiteral(value, strength, true) : looksLikePassword(value)) return j;
  const operator = tokens[j - (quoted ? 2 : 1)];
  return (operator === '=' || operator === ':' || operator === '>' || operator === ',' || quoted) && isWithheldWord(value) ? j : -1;
}

/** A word given to a secret's name that is withheld from a share though it reads as a word (`hunter`, `letmein`). */
function isWithheldWord(value: string): boolean {
  return value.length >= 3 && value.length <= MAX_JUDGED && !isReference(value) && !/^\d{1,5}$/.test(value);
}

/** Plain words and names made of them: a secret value that is one is not looked for everywhere. */
export function isWordLikeValue(value: string): boolean {
  return isWordLike(value) || /^\d{1,6}$/.test(value);
}

function flagValueIndex(tokens: readonly string[], from: number, spec: CommandFlags): number {
  for (let k = from; k < tokens.length; k++) {
    if (tokens[k] === '\n') return -1;
    if (tokens[k] !== '-') continue;
    const dashes = tokens[k + 1] === '-' ? 2 : 1;
    const name = tokens[k + dashes];
    if (!name) return -1;
    const flag = '-'.repeat(dashes) + name;
    // `-pSECRET` is one token after the dash: the whole of it is the value's carrier.
    if (spec.glued?.some((g) => flag.startsWith(g) && flag.length > g.length)) return k + dashes;
    let v = k + dashes + 1;
    if (tokens[v] === '"' || tokens[v] === "'") v++;
    if (spec.spaced?.includes(flag) && isValueToken(tokens[v])) return v;
    if (spec.userPassword?.includes(flag)) {
      for (let u = v; u < Math.min(tokens.length - 1, v + 4); u++) if (tokens[u] === ':' && isValueToken(tokens[u + 1])) return u + 1;
    }
  }
  return -1;
}

/** Every literal after the first argument of each credential call in `tokens` (a user name, a password, a database). */
export function credentialCallLiterals(tokens: readonly string[]): number[] {
  const found: number[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i + 1] !== '(' || !isCredentialCall(tokens[i])) continue;
    for (let k = literalAfterFirstArgument(tokens, i + 2); k >= 0; k = literalAfterFirstArgument(tokens, k + 1, 1)) found.push(k);
  }
  return found;
}

/** The first literal at depth 1 after the first argument, from `from` (`index`: arguments already passed), or -1. */
function literalAfterFirstArgument(tokens: readonly string[], from: number, index = 0): number {
  let depth = 1;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k];
    if (t === '(' || t === '[' || t === '{') depth++;
    else if (t === ')' || t === ']' || t === '}') {
      if (--depth === 0) return -1;
    } else if (t === ',' && depth === 1) index++;
    else if (depth === 1 && index >= 1 && (t === '"' || t === "'") && isValueToken(tokens[k + 1]) && !isReference(tokens[k + 1])) return k + 1;
  }
  return -1;
}
