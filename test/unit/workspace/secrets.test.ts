import { strict as assert } from 'node:assert';
import { containsSecret, findSecrets, isSecretFileName, looksRandom, redactSecrets } from '../../../src/workspace/secrets';

describe('workspace/secrets', () => {
  it('recognises secret files by name', () => {
    for (const name of ['.env', '.env.local', 'config/.env.production', 'prod.env', 'id_rsa', 'keys/server.pem',
      'cert.p12', '.npmrc', 'C:\\x\\id_ed25519', 'secrets.json', '.git-credentials']) {
      assert.equal(isSecretFileName(name), true, name);
    }
    for (const name of ['src/env.ts', 'environment.md', 'README.md', 'keyboard.ts', 'index.js']) {
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
});
