import { strict as assert } from 'node:assert';
import { containsSecret, findSecrets, isSecretFileName, looksRandom, redactSecrets, secretValueInNgram } from '../../../src/workspace/secrets';
import { tokenize } from '../../../src/memory';

/** The spans' text, to compare with what should be blanked. */
function found(text: string): string[] {
  return findSecrets(text).map((s) => text.slice(s.start, s.end));
}

describe('workspace/secrets', () => {
  it('recognises secret files by name', () => {
    for (const name of ['.env', '.env.local', 'config/.env.production', 'prod.env', 'id_rsa', 'keys/server.pem',
      'cert.p12', '.npmrc', 'C:\\x\\id_ed25519', 'secrets.json', '.git-credentials']) {
      assert.equal(isSecretFileName(name), true, name);
    }
    for (const name of ['.envrc', '.kube/config', 'x/.docker/config.json', '.my.cnf', '.vault_pass', 'vault-password.txt',
      'terraform.tfstate.backup', 'errored.tfstate', 'prod.auto.tfvars.json', '.ssh/config', '.aws/credentials', '.config/gh/hosts.yml']) {
      assert.equal(isSecretFileName(name), true, name);
    }
    for (const name of ['src/env.ts', 'environment.md', 'README.md', 'keyboard.ts', 'index.js', 'config.json', '.docker/Dockerfile', 'kube/config.go']) {
      assert.equal(isSecretFileName(name), false, name);
    }
  });

  it('finds private key blocks whole', () => {
    const text = 'a\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQQQQ\n-----END OPENSSH PRIVATE KEY-----\nz';
    const spans = findSecrets(text);
    assert.equal(spans.length, 1);
    assert.equal(text.slice(spans[0].start, spans[0].end).split('\n').length, 4);
  });

  it('finds tokens of known services', () => {
    const samples = [
      'AKIAIOSFODNN7EXAMPLE',
      'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
      'xoxb-123456789012-1234567890123-AbCdEfGhIjKl',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc',
      'AIza' + 'SyA1234567890abcdefghijklmnopqrstu',
    ];
    for (const sample of samples) {
      const text = `const value = ${sample};`;
      const spans = findSecrets(text);
      assert.ok(spans.some((s) => text.slice(s.start, s.end).includes(sample.slice(0, 12))), sample);
    }
  });

  it('finds literal values assigned to secret names, not code that names them', () => {
    assert.ok(containsSecret('password = "hunter2xyz"'));
    assert.ok(containsSecret('DB_PASSWORD=correcthorse9'));
    assert.ok(containsSecret('"client_secret": "abcDEF123456"'));
    assert.ok(containsSecret('api_key: 8f8e7d6c5b4a'));
    assert.ok(!containsSecret('const password = form.password;'));
    assert.ok(!containsSecret('token = getToken(request)'));
    assert.ok(!containsSecret('password = process.env.DB_PASSWORD'));
    assert.ok(!containsSecret('passwordField: "<your password>"'));
    assert.ok(!containsSecret('The password must be at least eight characters long.'));
  });

  it('finds credentials in URLs and bearer headers', () => {
    assert.ok(containsSecret('postgres://admin:s3cr3tpw@db.example.com/app'));
    assert.ok(containsSecret('Authorization: Bearer abcdef0123456789abcdef'));
    assert.ok(!containsSecret('see https://example.com/docs/page'));
  });

  it('tells random strings from identifiers by entropy and shape', () => {
    for (const random of ['Xy7pQ2rT9sLm4NvB8cKd', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'd41d8cd98f00b204e9800998ecf8427e', 'k8s9d7f6g5h4j3k2l1m0qq']) {
      assert.equal(looksRandom(random), true, random);
    }
    // Ids that say what they are: a git commit (40 hex digits) and a UUID.
    for (const id of ['9fceb02d0ae598e95dc970b74767f19372d61af8', '123e4567-e89b-12d3-a456-426614174000']) {
      assert.equal(looksRandom(id), false, id);
    }
    for (const word of ['someVeryLongCamelCaseIdentifierName', 'HTMLInputElementPrototype', 'CONSTANT_CASE_VALUE_NAME',
      'getElementsByTagNameNS2', 'useCallbackWithDependencies123', 'node_modules/some-package/dist/index', 'short1A']) {
      assert.equal(looksRandom(word), false, word);
    }
  });

  it('keeps API names and documentation markup that only look like secrets', () => {
    // Seen redacted in Python's docs before: long CamelCase/CONSTANT_CASE API names, "pass" the
    // verb, reST roles and module headers.
    for (const name of ['PyDict_GetItemWithError', 'PyDateTime_DATE_GET_MICROSECOND', 'PyTimeZone_FromOffsetAndName', 'PyErr_SetExcFromWindowsErr']) {
      assert.equal(looksRandom(name), false, name);
    }
    for (const text of [
      'Note that if you only pass :c:expr:`PyObject *` arguments',
      'will bypass :meth:`__getattr__`',
      'is given in the :token:`~python-grammar:with_item` rule',
      '.. module:: pwd\n   :platform: Unix',
      'Check Unix passwords\n====================',
    ]) {
      assert.deepEqual(findSecrets(text), [], text);
    }
    // …while a random key of the same length and real assignments are still caught.
    assert.equal(looksRandom('aB3xK9pQ2mZ7vL1nR8sTw'), true);
    assert.equal(containsSecret("urlopen(user='klem', passwd='kadidd!ehopper')"), true);
  });

  it('redacts with blanks, keeping offsets, line breaks and the words around', () => {
    const text = 'const key = "Xy7pQ2rT9sLm4NvB8cKd";\n-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\nnext line';
    const { text: clean, redacted } = redactSecrets(text);
    assert.equal(redacted, 2);
    assert.equal(clean.length, text.length);
    assert.equal(clean.split('\n').length, text.split('\n').length);
    assert.ok(!clean.includes('Xy7pQ2'));
    assert.ok(!clean.includes('PRIVATE'));
    assert.ok(clean.startsWith('const key = "'));
    assert.ok(clean.endsWith('next line'));
  });

  it('leaves ordinary code and prose untouched', () => {
    const code = 'export function computeLayout(nodes: Node[], edges: Edge[]): Layout {\n  return new Layout(nodes, edges);\n}\n';
    const prose = 'The quick brown fox jumps over the lazy dog, and the password policy is described below.';
    assert.equal(redactSecrets(code).redacted, 0);
    assert.equal(redactSecrets(prose).redacted, 0);
  });

  it('finds values given to secret names in any common config syntax', () => {
    const cases: [string, string][] = [
      ['      - POSTGRES_PASSWORD=s3cretPw9', 's3cretPw9'], // compose environment list
      ['      MYSQL_ROOT_PASSWORD: hunter22', 'hunter22'], // compose map, YAML
      ['    <password>deployPw1</password>', 'deployPw1'], // Maven settings.xml
      ['    <add key="ClearTextPassword" value="nugetPw7" />', 'nugetPw7'], // NuGet
      ["define('DB_PASSWORD', 'wpPass99');", 'wpPass99'], // PHP define()
      ['spring.datasource.password=plainword', 'plainword'], // .properties: a bare value is a literal
      ['password = plainword', 'plainword'], // INI line
      ['"Server=db;User Id=sa;Password=connPw12;"', 'connPw12'], // connection string
      ["CREATE USER app WITH PASSWORD 'sqlPw123';", 'sqlPw123'],
      ["  :password => 'rubyPw42',", 'rubyPw42'],
      ['if (password == "cmpPw777") {', 'cmpPw777'],
      ['dataSource.setPassword("setterPw1");', 'setterPw1'],
      ['ansible_become_pass: becomePw3', 'becomePw3'],
      ['MYSQL_ROOT_PASSWORD=123456', '123456'], // a password may be all digits
    ];
    for (const [text, secret] of cases) assert.deepEqual(found(text), [secret], text);
  });

  it('finds credentials on command lines and in calls that take them by position', () => {
    const cases: [string, string[]][] = [
      ['mysql -u root -pS3cretPw shop', ['S3cretPw']],
      ['curl -u deploy:curlPw99 https://ci/api', ['curlPw99']],
      ["sshpass -p 'sshPw123' ssh web1", ['sshPw123']],
      ['redis-cli -h cache -a redisPw1 ping', ['redisPw1']],
      ['docker login -u ci -p dockerPw1 registry', ['dockerPw1']],
      ['wget --http-password=wgetPw12 https://x/y', ['wgetPw12']],
      ['ldapsearch -x -D "cn=admin" -w ldapPw12 -b "dc=org"', ['ldapPw12']],
      ['sqlcmd -S db -U sa -P sqlPw123', ['sqlPw123']],
      ['conn = pymysql.connect("db", "root", "pyPw1234", "shop")', ['root', 'pyPw1234', 'shop']],
      ['DriverManager.getConnection(url, "admin", "jdbcPw12");', ['admin', 'jdbcPw12']],
      ["$pdo = new PDO($dsn, 'root', 'pdoPw123');", ['root', 'pdoPw123']],
    ];
    for (const [text, secrets] of cases) assert.deepEqual(found(text), secrets, text);
    // Flags that carry no credential: ports, folders, a database name after a prompting -p.
    for (const text of ['mkdir -p build/out', 'ssh -p 2222 web1', 'docker run -p 8080:80 nginx', 'mysql -u root -p shop', 'curl -u deploy https://x']) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('finds a password named in prose, not prose about passwords', () => {
    assert.deepEqual(found('The admin password is Tr0ub4dor&3 until Friday.'), ['Tr0ub4dor&3']);
    assert.deepEqual(found('the password for the staging db is xKqP7zRtLmW'), ['xKqP7zRtLmW']);
    assert.deepEqual(found('Log in as root, password "letmein".'), ['letmein']);
    for (const text of ['The password is hashed with bcrypt.', 'the password policy is described below', 'Your password is 8 characters or more.']) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('leaves what only looks secret: header names, Bearer, digests, ids, code and placeholders', () => {
    for (const text of [
      'const SECRET_HEADER = "X-Secret-Key";',
      'req.headers["X-Secret-Key"] = apiKey;',
      "const auth = { tokenType: 'Bearer' };",
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'id: 123e4567-e89b-12d3-a456-426614174000',
      '"integrity": "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="',
      'image: nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
      '  password: string;',
      'password = os.environ["DB_PASSWORD"]',
      'password: ${DB_PASSWORD}',
      'token: "{{ vault_token }}"',
      'passwordLabel: "Enter your password"',
      // Seen in node_modules' code and docs before:
      "readFile('/etc/passwd', 'utf8', callback);",
      "const key = scryptSync('password', 'salt', 64);",
      'Pass `--locale` to the command; to override this pass `--no-yarn`.',
      'credential: OAuth2TokenCredential<TFlow>;',
      'Refresh token expired/invalid or revoked',
      'used for a single private key and/or a PFX',
      "client.connect(41234, 'localhost', (err) => {});",
      "credential.getToken('499b84ac-1321-427f-aa17-267ca6975798/.default')",
      '"@secretlint/secretlint-rule-1password": "^10.2.2",',
      "PWD: '/Users/maciej',",
      'authRequest.ccsCredential = ccsCred;',
      ' * Bearer authorization_uri="https://login.example.com"',
    ]) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('scans in linear time: steps per character stay bounded on long lines and many near-matches', () => {
    const length = 120_000;
    const fill = (unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    const lines = {
      'one long word': fill('a'),
      'base64 blob': Buffer.alloc(90_000, 'light network').toString('base64').slice(0, length),
      'secret names': fill('password'),
      'dotted secret names': fill('pwd.'), // took the old regular expressions 3.4 s
      'assignments without values': fill('password='),
      'unclosed quotes': fill('password="'),
      'mixed quotes': fill(`token="a secret='b pass=\`c `),
      'URL schemes': fill('x://'),
      'URLs with user info': fill('http://u:p'),
      'open calls': fill('connect('),
      'call arguments': fill('connect("a", '),
      'command flags': fill('mysql -p'),
      'bearer words': fill('Bearer '),
      'key headers': fill('-----BEGIN '),
      'prose near-matches': fill('password for the db '),
    };
    for (const [name, text] of Object.entries(lines)) {
      const meter = { steps: 0 };
      findSecrets(text, meter);
      assert.ok(meter.steps <= 16 * text.length, `${name}: ${meter.steps} steps for ${text.length} characters`);
    }
  });

  it('reads secrets in n-grams of tokens, as the memory holds and peers exchange them', () => {
    const value = (text: string) => {
      const tokens = tokenize(text);
      const at = secretValueInNgram(tokens);
      return at < 0 ? undefined : tokens[at];
    };
    assert.equal(value('POSTGRES_PASSWORD = hunter22x'), 'hunter22x');
    assert.equal(value('password = "hunter'), 'hunter'); // quoted: any literal
    assert.equal(value('<password>deployPw1<'), 'deployPw1');
    assert.equal(value('ClearTextPassword" value="nugetPw7'), 'nugetPw7');
    assert.equal(value("DB_PASSWORD', 'wpPass99"), 'wpPass99');
    assert.equal(value('mysql -u root -pS3cret'), 'pS3cret');
    assert.equal(value('curl -u deploy:curlPw99'), 'curlPw99');
    assert.equal(value('login("me", "pw1234567")'), 'pw1234567');
    assert.equal(value('app:s3cr3tpw@db'), 's3cr3tpw');
    assert.equal(value('password is Tr0ub4dor'), 'Tr0ub4dor');
    // Spacing and line ends are lost in n-grams: `PASSWORD=hunter` in a config file and code's
    // `password = hunter` look alike, and a share withholds both; references and code stay shared.
    assert.equal(value('password = hunter'), 'hunter');
    assert.equal(value('PASSWORD: letmein'), 'letmein');
    assert.equal(value('<password>swordfish<'), 'swordfish');
    assert.equal(value('secret: bofamirelu'), 'bofamirelu');
    for (const text of ['password = request', 'password = DB_PASSWORD', 'password = 8', 'password: invite.password', 'password = getPassword(', 'password is hunter', 'secret[i]', 'token, as the', 'password: string',
      'tokenType = "Bearer', 'password is hashed', 'mysql -u root -p shop', 'mkdir -p build']) {
      assert.equal(value(text), undefined, text);
    }
  });
});
