// A corpus of secrets and of ordinary text that only looks secret, with fresh random values on every
// run (crypto.randomBytes), so no test passes by knowing a fixed value. Used by the learning-path
// tests (workspace) and the share tests.
import { randomBytes, randomUUID } from 'node:crypto';
import { tokenize, type Memory } from '../../../src/memory';

export interface SecretCase {
  name: string;
  text: string;
  /** The secret as written in `text`: none of its tokens may be learned, completed or shared. */
  secret: string;
}

export interface BenignCase {
  name: string;
  text: string;
  /** Text that looks secret but is not: it must be learned as written. */
  keep: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits, with at least one of each kind so it reads as one token of a password. */
export function randomAlnum(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  // Start with a letter and hold a digit and both cases, as generated passwords do.
  return 'Q' + out.slice(1, -2) + 'z' + String(bytes[0] % 10);
}

/**
 * A password of letters only that reads as a word: random syllables (`bofamirelu`), as people pick
 * passwords they can say. No rule on its shape can find it: only its context gives it away.
 */
export function randomWordPassword(syllables = 5): string {
  const consonants = 'bdfgklmnprstvz';
  const vowels = 'aeiou';
  let out = '';
  for (const b of randomBytes(syllables)) out += consonants[b % consonants.length] + vowels[(b >> 4) % vowels.length];
  return out;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Every class of secret the issue names, and their siblings, each with a fresh value. */
export function secretCases(): SecretCase[] {
  const cases: SecretCase[] = [];
  const add = (name: string, make: (secret: string) => string, secret = randomAlnum(18)) => cases.push({ name, text: make(secret), secret });
  // Config syntaxes
  add('compose environment list', (s) => `services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_USER=app\n      - POSTGRES_PASSWORD=${s}\n`);
  add('compose environment map', (s) => `services:\n  db:\n    environment:\n      MYSQL_ROOT_PASSWORD: ${s}\n      MYSQL_DATABASE: shop\n`);
  add('maven settings.xml', (s) => `<servers>\n  <server>\n    <id>nexus</id>\n    <username>deploy</username>\n    <password>${s}</password>\n  </server>\n</servers>\n`);
  add('nuget.config', (s) => `<packageSourceCredentials>\n  <feed>\n    <add key="Username" value="ci" />\n    <add key="ClearTextPassword" value="${s}" />\n  </feed>\n</packageSourceCredentials>\n`);
  add('php define()', (s) => `<?php\ndefine('DB_NAME', 'shop');\ndefine('DB_PASSWORD', '${s}');\n`);
  add('json', (s) => `{\n  "db": {\n    "user": "app",\n    "password": "${s}"\n  }\n}\n`);
  add('properties', (s) => `spring.datasource.url=jdbc:mysql://db/shop\nspring.datasource.password=${s}\n`);
  add('ini', (s) => `[database]\nuser = app\npassword = ${s}\n`);
  add('toml', (s) => `[database]\npassword = "${s}"\n`);
  add('terraform hcl', (s) => `resource "aws_db_instance" "main" {\n  username = "admin"\n  password = "${s}"\n}\n`);
  add('shell export', (s) => `export DB_PASSWORD="${s}"\n./run.sh\n`);
  add('dockerfile env', (s) => `FROM node:20\nENV API_TOKEN=${s}\n`);
  add('kubernetes secret', (s) => `kind: Secret\nstringData:\n  password: ${s}\n`);
  add('ansible vars', (s) => `ansible_user: deploy\nansible_become_pass: ${s}\n`);
  add('my.cnf content', (s) => `[client]\nuser=root\npassword=${s}\n`);
  add('connection string', (s) => `"ConnectionStrings": { "Db": "Server=db;Database=shop;User Id=sa;Password=${s};" }\n`);
  add('sql', (s) => `CREATE USER app WITH PASSWORD '${s}';\n`);
  add('go struct', (s) => `cfg := Config{\n\tUser:     "app",\n\tPassword: "${s}",\n}\n`);
  add('ruby hash', (s) => `ActiveRecord::Base.establish_connection(:adapter => "mysql2", :password => '${s}')\n`);
  add('python kwarg', (s) => `conn = psycopg2.connect(host="db", user="app", password="${s}")\n`);
  add('secret key in code', (s) => `SECRET_KEY = "${s}"\n`);
  add('client secret json', (s) => `{"client_id": "shop-web", "client_secret": "${s}"}\n`);
  add('go short assignment', (s) => `dbPassword := "${s}"\n`);
  // Letters-only passwords that read as words: the context gives them away (and a share withholds them with it)
  add('word password in code', (s) => `const password = "${s}";\n`, randomWordPassword());
  add('word password in .env', (s) => `DB_HOST=db.internal\nDB_PASSWORD=${s}\n`, randomWordPassword());
  add('word password in yaml', (s) => `database:\n  user: app\n  password: ${s}\n`, randomWordPassword());
  add('word password in xml', (s) => `<user>deploy</user>\n<password>${s}</password>\n`, randomWordPassword());
  // URLs and command lines
  add('url credentials', (s) => `DATABASE_URL=postgres://app:${s}@db.internal:5432/shop\n`);
  add('mysql -p', (s) => `mysql -u root -p${s} -h db.internal shop < dump.sql\n`);
  add('mysqldump --password=', (s) => `mysqldump --user=root --password=${s} shop > backup.sql\n`);
  add('curl -u', (s) => `curl -u deploy:${s} https://ci.example.com/api/build\n`);
  add('curl bearer', (s) => `curl -H "Authorization: Bearer ${s}" https://api.example.com/v1/me\n`, randomAlnum(32));
  add('sshpass', (s) => `sshpass -p '${s}' ssh deploy@web1\n`);
  add('redis-cli -a', (s) => `redis-cli -h cache -a ${s} ping\n`);
  add('docker login -p', (s) => `docker login -u ci -p ${s} registry.example.com\n`);
  add('env before a command', (s) => `PGPASSWORD=${s} psql -h db -U app shop\n`);
  add('docker run -e', (s) => `docker run -e MYSQL_ROOT_PASSWORD=${s} -d mysql:8\n`);
  add('kubectl from-literal', (s) => `kubectl create secret generic db --from-literal=password=${s}\n`);
  add('openssl passout', (s) => `openssl pkcs12 -export -in cert.pem -out cert.p12 -passout pass:${s}\n`);
  add('ldapsearch -w', (s) => `ldapsearch -x -D "cn=admin,dc=example,dc=org" -w ${s} -b "dc=example,dc=org"\n`);
  add('sqlcmd -P', (s) => `sqlcmd -S db -U sa -P ${s} -Q "SELECT 1"\n`);
  add('npmrc auth token line', (s) => `//registry.example.com/:_authToken=${s}\n`);
  add('git remote with a token', (s) => `git remote add origin https://ci:${s}@git.example.com/shop.git\n`);
  // Calls taking credentials by position
  add('python connect positional', (s) => `conn = pymysql.connect("db.internal", "root", "${s}", "shop")\n`);
  add('jdbc getConnection', (s) => `Connection c = DriverManager.getConnection(url, "admin", "${s}");\n`);
  add('php pdo', (s) => `$pdo = new PDO($dsn, 'root', '${s}');\n`);
  add('smtp login', (s) => `server.login("alerts@example.com", "${s}")\n`);
  add('setter', (s) => `dataSource.setPassword("${s}");\n`);
  // Prose
  add('prose', (s) => `The admin password is ${s} until we rotate it.\n`);
  add('prose with a gap', (s) => `Note: the password for the staging db is ${s}\n`);
  add('prose quoted', (s) => `Log in as root, password "${s}".\n`);
  // Known token shapes and keys
  add('github token', (s) => `token: ${s}\n`, 'ghp_' + randomAlnum(36));
  add('aws key id', (s) => `aws_access_key_id = ${s}\n`, 'AKIA' + randomBytes(16).toString('hex').toUpperCase().slice(0, 16));
  add('random api key', (s) => `const client = new Client({ apiKey: "${s}" });\n`, randomAlnum(40));
  return cases;
}

/** Ordinary text that only looks secret: the benign list of the issue and its siblings. */
export function benignCases(): BenignCase[] {
  const sha = randomHex(20);
  const uuid = randomUUID();
  const integrity = 'sha512-' + randomBytes(64).toString('base64');
  return [
    { name: 'header name', text: 'const SECRET_HEADER = "X-Secret-Key";\nreq.headers["X-Secret-Key"] = apiKey;\n', keep: 'X-Secret-Key' },
    { name: 'token type', text: "const auth = { tokenType: 'Bearer', scheme: 'Bearer' };\n", keep: "'Bearer'" },
    { name: 'commit sha', text: `git checkout ${sha}\n`, keep: sha },
    { name: 'uuid', text: `const id = "${uuid}";\n`, keep: uuid },
    { name: 'integrity hash', text: `"integrity": "${integrity}",\n`, keep: integrity },
    { name: 'code naming a password', text: 'const password = form.password;\nif (!password) return;\n', keep: 'password = form.password' },
    { name: 'typed field', text: 'interface Login {\n  username: string;\n  password: string;\n}\n', keep: 'password: string' },
    { name: 'env reference', text: 'password = os.environ["DB_PASSWORD"]\n', keep: 'os.environ' },
    { name: 'prose about passwords', text: 'The password must be at least eight characters long, and the password is hashed with bcrypt.\n', keep: 'is hashed with bcrypt' },
    { name: 'ports and folders', text: 'mkdir -p build/output\nssh -p 2222 deploy@web1\ndocker run -p 8080:80 nginx\n', keep: 'mkdir -p build' },
    { name: 'template placeholder', text: 'password: ${DB_PASSWORD}\ntoken: "{{ vault_token }}"\n', keep: 'password: ${DB_PASSWORD}' },
  ];
}

/** The pieces of a secret a memory could hold: its tokens of four characters or more. */
export function secretPieces(secret: string): string[] {
  return tokenize(secret).filter((t) => t.length >= 4);
}

/** Words of the memory that hold a piece of the secret (`-pSECRET` is one token holding `SECRET`). */
export function learnedPieces(memory: Memory, secret: string): string[] {
  const pieces = secretPieces(secret);
  return memory
    .topWords(Number.MAX_SAFE_INTEGER)
    .map((w) => w.word)
    .filter((word) => pieces.some((piece) => word.includes(piece)));
}
