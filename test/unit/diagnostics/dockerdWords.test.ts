/**
 * dockerd's words reproduced without a daemon: Go's JSON scanner messages per engine, Go's
 * net.SplitHostPort errors, the flag-and-file conflict line. The same words are checked against
 * real daemons in test/integration/dockerdWords.test.ts; these cover the cases around them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseHost } from '../../../src/core/diagnostics/diagnoseHost';
import { goSplitHostPort } from '../../../src/core/net/addresses';
import { dockerdJsonError, quoteChar } from '../../../src/core/diagnostics/parsers/dockerdJson';

describe("Go's JSON errors as dockerd prints them", () => {
  const cases: Array<[text: string, old: string | undefined, current: string | undefined]> = [
    ['{"debug": true}', undefined, undefined],
    [
      '{"debug": true,}',
      "invalid character '}' looking for beginning of object key string",
      "invalid character '}' looking for beginning of object key string",
    ],
    [
      '{ // c\n}',
      "invalid character '/' looking for beginning of object key string",
      "invalid character '/' looking for beginning of object key string",
    ],
    ['{"a" 1}', "invalid character '1' after object key", "invalid character '1' after object key"],
    ['{"a": 1 "b": 2}', "invalid character '\"' after object key:value pair", "invalid character '\"' after object key:value pair"],
    ['{"a": [1 2]}', "invalid character '2' after array element", "invalid character '2' after array element"],
    ['{"a": \'b\'}', "invalid character '\\'' looking for beginning of value", "invalid character '\\'' looking for beginning of value"],
    ['{"a": "x\ty"}', "invalid character '\\t' in string literal", "invalid character '\\t' in string literal"],
    ['{"a": "\\q"}', "invalid character 'q' in string escape code", "invalid character 'q' in string escape code"],
    [
      '{"a": "\\u12g4"}',
      "invalid character 'g' in \\u hexadecimal character escape",
      "invalid character 'g' in \\u hexadecimal character escape",
    ],
    ['{"a": -x}', "invalid character 'x' in numeric literal", "invalid character 'x' in numeric literal"],
    [
      '{"a": 1.}',
      "invalid character '}' after decimal point in numeric literal",
      "invalid character '}' after decimal point in numeric literal",
    ],
    ['{"a": 1e}', "invalid character '}' in exponent of numeric literal", "invalid character '}' in exponent of numeric literal"],
    ['{"a": nul}', "invalid character '}' in literal null (expecting 'l')", "invalid character '}' in literal null (expecting 'l')"],
    ['{"debug": tru', 'unexpected EOF', "invalid character ' ' in literal true (expecting 'e')"],
    ['{"debug": true\n', 'unexpected EOF', 'unexpected end of JSON input'],
    ['{"a": "b', 'unexpected EOF', 'unexpected end of JSON input'],
    ['', 'EOF', undefined],
    [' \n', 'EOF', undefined],
    ['\uFEFF{}', "invalid character 'ï' looking for beginning of value", undefined],
    ['{} x', undefined, "invalid character 'x' after top-level value"],
    ['null', undefined, undefined],
    [
      '[1]',
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    ],
    [
      '"x"',
      'json: cannot unmarshal string into Go value of type map[string]interface {}',
      'json: cannot unmarshal string into Go value of type map[string]interface {}',
    ],
    [
      'true',
      'json: cannot unmarshal bool into Go value of type map[string]interface {}',
      'json: cannot unmarshal bool into Go value of type map[string]interface {}',
    ],
    ['{"é": é}', "invalid character 'Ã' looking for beginning of value", "invalid character 'Ã' looking for beginning of value"],
    ['['.repeat(10001), 'exceeded max depth', 'exceeded max depth'],
  ];
  for (const [text, old, current] of cases) {
    it(JSON.stringify(text.slice(0, 30)), () => {
      assert.equal(dockerdJsonError(text, '20.10'), old);
      assert.equal(dockerdJsonError(text, '26'), current);
    });
  }

  it('quotes a byte as Go does', () => {
    assert.deepEqual([0x27, 0x22, 0x0a, 0x5c, 0x01, 0x7f, 0x85, 0xa0, 0xad, 0xe9].map(quoteChar), [
      "'\\''",
      "'\"'",
      "'\\n'",
      "'\\\\'",
      "'\\x01'",
      "'\\x7f'",
      "'\\u0085'",
      "'\\u00a0'",
      "'\\u00ad'",
      "'é'",
    ]);
  });

  it('with the engine known, only its words; nothing where it reads the file', () => {
    const file = '/etc/docker/daemon.json';
    const [old] = diagnoseHost({ daemonJson: { file, text: '{"debug": tru' } }, { engine: '20.10.24' });
    assert.match(
      old.message,
      /dockerd 20\.10 refuses the file and does not start: "unable to configure the Docker daemon with file \/etc\/docker\/daemon\.json: unexpected EOF"\./,
    );
    const [current] = diagnoseHost({ daemonJson: { file, text: '{"debug": tru' } }, { engine: '26.1.5' });
    assert.match(
      current.message,
      /dockerd 26 refuses the file and does not start: "[^"]*: invalid character ' ' in literal true \(expecting 'e'\)"\./,
    );
    assert.deepEqual(diagnoseHost({ daemonJson: { file, text: '{"debug": true} x' } }, { engine: '20.10' }), []);
    assert.deepEqual(diagnoseHost({ daemonJson: { file, text: '' } }, { engine: '26' }), []);
    assert.equal(diagnoseHost({ daemonJson: { file, text: '' } }, { engine: '20.10' })[0].code, 'DNE100');
  });

  it('the finding says which engine refuses and which accepts when they differ', () => {
    const [finding] = diagnoseHost({ daemonJson: { file: '/etc/docker/daemon.json', text: '' } });
    assert.equal(finding.code, 'DNE100');
    assert.match(
      finding.message,
      /dockerd 20\.10 does not start: "unable to configure the Docker daemon with file \/etc\/docker\/daemon\.json: EOF"; dockerd 26 accepts the file\./,
    );
  });
});

describe("Go's net.SplitHostPort, as dockerd quotes it for --cluster-advertise", () => {
  const cases: Array<[string, ReturnType<typeof goSplitHostPort>]> = [
    ['eth0:2376', { host: 'eth0', port: '2376' }],
    [':2376', { host: '', port: '2376' }],
    ['10.0.0.11:', { host: '10.0.0.11', port: '' }],
    ['[fd00::1]:2376', { host: 'fd00::1', port: '2376' }],
    ['eth0', { error: 'address eth0: missing port in address' }],
    ['tcp://10.0.0.11:2376', { error: 'address tcp://10.0.0.11:2376: too many colons in address' }],
    ['fd00::1', { error: 'address fd00::1: too many colons in address' }],
    ['[fd00::1]', { error: 'address [fd00::1]: missing port in address' }],
    ['[fd00::1', { error: "address [fd00::1: missing ']' in address" }],
    ['[fd00::1]x:1', { error: 'address [fd00::1]x:1: missing port in address' }],
    ['[a]:1:2', { error: 'address [a]:1:2: too many colons in address' }],
    ['a]:1', { error: "address a]:1: unexpected ']' in address" }],
    ['', { error: 'missing port in address' }],
  ];
  for (const [value, expected] of cases) it(JSON.stringify(value), () => assert.deepEqual(goSplitHostPort(value), expected));
});

describe('the flag-and-file conflict line', () => {
  it('every conflict, in long-flag-name order, each value printed as Go prints it', () => {
    const unit =
      '[Service]\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://127.0.0.1:2375 --tlsverify=1 --mtu 1400 --log-opt max-size=1m --log-opt max-file=2 --label a=b --add-runtime x=/bin/x\n';
    const json =
      '{"mtu": 1500, "tlsverify": false, "hosts": ["unix:///x.sock"], "log-opts": {"max-size": "10m"}, "labels": ["c=d"], "runtimes": {}}';
    const findings = diagnoseHost({
      daemonJson: { file: '/etc/docker/daemon.json', text: json },
      serviceUnit: { file: 'docker.service', text: unit },
    });
    const onKey = findings.find((finding) => finding.code === 'DNE120')!;
    assert.ok(
      onKey.message.includes(
        '"unable to configure the Docker daemon with file /etc/docker/daemon.json: the following directives are specified both as a flag and in the configuration file: ' +
          'hosts: (from flag: [fd:// tcp://127.0.0.1:2375], from file: [unix:///x.sock]), labels: (from flag: [a=b], from file: [c=d]), ' +
          'log-opts: (from flag: map[max-file:2 max-size:1m], from file: map[max-size:10m]), mtu: (from flag: 1400, from file: 1500), ' +
          'tlsverify: (from flag: true, from file: false)"',
      ),
      onKey.message,
    );
    // runtimes merge (dockerd's skipDuplicates): no conflict.
    assert.ok(!findings.some((finding) => finding.code === 'DNE120' && finding.message.startsWith('"runtimes"')));
  });

  it('a value we cannot print as Go would: the line is described, not invented', () => {
    const findings = diagnoseHost({
      daemonJson: { file: '/etc/docker/daemon.json', text: '{"mtu": 1.5e9}' },
      serviceUnit: { file: 'docker.service', text: '[Service]\nExecStart=/usr/bin/dockerd --mtu=1400\n' },
    });
    assert.match(
      findings[0].message,
      /dockerd says "unable to configure the Docker daemon with file \/etc\/docker\/daemon\.json: the following directives are specified both as a flag and in the configuration file: …" with each such key/,
    );
  });
});
