import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daemonJsonEntry, parseDaemonJson } from '../../../src/core/diagnostics/parsers/daemonJson';

const parse = (text: string) => parseDaemonJson({ file: '/etc/docker/daemon.json', text });
const r = (startLine: number, startColumn: number, endLine: number, endColumn: number) => ({ startLine, startColumn, endLine, endColumn });

describe('daemon.json tolerant parser', () => {
  it('keeps key and value ranges of a strict file', () => {
    const json = parse(
      '{\n  "cluster-store": "consul://10.0.0.5:8500",\n  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"]\n}\n',
    );
    assert.deepEqual(json.problems, []);
    const store = daemonJsonEntry(json, 'cluster-store');
    assert.ok(store);
    assert.deepEqual(store.keyRange, r(1, 2, 1, 17));
    assert.deepEqual(store.valueRange, r(1, 19, 1, 43));
    assert.deepEqual(store.strings, [{ value: 'consul://10.0.0.5:8500', range: r(1, 19, 1, 43) }]);
    const hosts = daemonJsonEntry(json, 'hosts');
    assert.deepEqual(
      hosts?.strings.map((item) => [item.value, item.range]),
      [
        ['unix:///var/run/docker.sock', r(2, 12, 2, 41)],
        ['tcp://0.0.0.0:2376', r(2, 43, 2, 63)],
      ],
    );
  });

  // Each case: its text, the problems found (kind and range, in order), and the keys still read.
  type Problem = [kind: string, range: ReturnType<typeof r>];
  const problemCases: Array<[name: string, text: string, problems: Problem[], keys: string[]]> = [
    [
      'line comment',
      '{\n  // overlay setup\n  "cluster-store": "etcd://10.0.0.5:2379",\n  "cluster-advertise": "eth0:2376"\n}',
      [['comment', r(1, 2, 1, 18)]],
      ['cluster-store', 'cluster-advertise'],
    ],
    [
      'block comment and trailing comma',
      '{\n  /* store */ "cluster-store": "zk://zk1:2181",\n  "tlsverify": true,\n}\n',
      [
        ['comment', r(1, 2, 1, 13)],
        ['trailing-comma', r(2, 19, 2, 20)],
      ],
      ['cluster-store', 'tlsverify'],
    ],
    [
      'trailing comma in an array',
      '{"hosts": ["fd://", "tcp://0.0.0.0:2375",], "tls": false}',
      [['trailing-comma', r(0, 40, 0, 41)]],
      ['hosts', 'tls'],
    ],
    [
      'missing comma between members',
      '{\n  "cluster-store": "consul://c:8500"\n  "cluster-advertise": "eth0:2376"\n}',
      [['syntax', r(2, 2, 2, 3)]],
      ['cluster-store', 'cluster-advertise'],
    ],
    [
      'single-quoted value and shell comment',
      '# docker\n{"cluster-store": \'consul://c:8500\', "tls": true}',
      [
        ['comment', r(0, 0, 0, 8)],
        ['syntax', r(1, 18, 1, 35)],
      ],
      ['cluster-store', 'tls'],
    ],
    ['unterminated object', '{"cluster-store": "etcd://e:2379"', [['syntax', r(0, 0, 0, 1)]], ['cluster-store']],
    ['empty file', '', [], []],
  ];
  for (const [name, text, problems, keys] of problemCases) {
    it(`reports and recovers: ${name}`, () => {
      const json = parse(text);
      assert.deepEqual(
        json.problems.map((problem) => [problem.kind, problem.range]),
        problems,
      );
      assert.deepEqual(
        json.entries.map((entry) => entry.key),
        keys,
      );
    });
  }

  it('removal ranges leave valid JSON', () => {
    const texts = [
      '{\n  "hosts": ["fd://"],\n  "debug": true\n}\n',
      '{\n  "debug": true,\n  "hosts": ["fd://"]\n}\n',
      '{"hosts": ["fd://"]}',
      '{"a": 1, "hosts": ["fd://"], "b": 2}',
    ];
    for (const text of texts) {
      const json = parse(text);
      const entry = daemonJsonEntry(json, 'hosts');
      assert.ok(entry);
      const lines = text.split('\n');
      const { startLine, startColumn, endLine, endColumn } = entry.removalRange;
      const before = lines.slice(0, startLine).join('\n') + (startLine > 0 ? '\n' : '') + lines[startLine].slice(0, startColumn);
      const after = lines[endLine].slice(endColumn) + (endLine < lines.length - 1 ? '\n' : '') + lines.slice(endLine + 1).join('\n');
      const edited = before + after;
      assert.doesNotThrow(() => JSON.parse(edited), edited);
      assert.equal((JSON.parse(edited) as Record<string, unknown>).hosts, undefined);
    }
  });

  it('flags a root that is not an object', () => {
    assert.deepEqual(parse(' ["hosts"]').nonObjectRoot, r(0, 1, 0, 10));
    assert.equal(parse('{}').nonObjectRoot, undefined);
  });

  it('keeps the last of repeated keys, as Go does', () => {
    const json = parse('{"cluster-store": "etcd://a:1", "cluster-store": "consul://b:2"}');
    assert.equal(daemonJsonEntry(json, 'cluster-store')?.strings[0].value, 'consul://b:2');
  });
});
