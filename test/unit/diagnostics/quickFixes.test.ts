/**
 * Every quick fix of the host rules, applied to its fixture, leaves a configuration in which
 * the rules find no error (test/integration/dockerdWords.test.ts then starts dockerd with those
 * that a private daemon can run; compose fixes are proven in composeAndFiles.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseHost, type DockerdFiles } from '../../../src/core/diagnostics/diagnoseHost';
import type { Finding } from '../../../src/core/diagnostics/finding';
import type { ConfigFile } from '../../../src/core/diagnostics/text';
import { applyEdits } from '../../support/applyEdits';

const JSON_FILE = '/etc/docker/daemon.json';
const UNIT = '/lib/systemd/system/docker.service';
const DROP_IN = '/etc/systemd/system/docker.service.d/override.conf';
const ENV = '/etc/default/docker';
const STORE = '--cluster-store=etcd://10.0.0.5:2379';
const unit = (args: string) => ({ file: UNIT, text: `[Service]\nExecStart=/usr/bin/dockerd ${args}\n` });
const eth0 = { name: 'eth0', ipv4: ['10.0.0.11'], ipv6: [] };
const lo = { name: 'lo', ipv4: ['127.0.0.1'], ipv6: ['::1'] };

interface Row {
  name: string;
  code: string;
  files: DockerdFiles;
  /** The fixed value or text we expect to see, to know the fix is the one meant. */
  expect: RegExp;
}

const ROWS: Row[] = [
  {
    name: 'comment removed',
    code: 'DNE101',
    files: { daemonJson: { file: JSON_FILE, text: '{\n  // x\n  "debug": true\n}\n' } },
    expect: /^\{\n {2}\n {2}"debug": true\n\}\n$/,
  },
  {
    name: 'trailing comma removed',
    code: 'DNE102',
    files: { daemonJson: { file: JSON_FILE, text: '{"debug": true,}' } },
    expect: /^\{"debug": true\}$/,
  },
  {
    name: 'tcp:// dropped from advertise',
    code: 'DNE114',
    files: { serviceUnit: unit(`${STORE} --cluster-advertise=tcp://10.0.0.11:2376`) },
    expect: /--cluster-advertise=10\.0\.0\.11:2376\n/,
  },
  {
    name: 'tcp:// dropped in daemon.json',
    code: 'DNE114',
    files: {
      daemonJson: { file: JSON_FILE, text: '{"cluster-store": "etcd://10.0.0.5:2379", "cluster-advertise": "tcp://10.0.0.11:2376/"}' },
    },
    expect: /"cluster-advertise": "10\.0\.0\.11:2376"/,
  },
  {
    name: "the daemon's one TCP port added",
    code: 'DNE114',
    files: { serviceUnit: unit(`-H tcp://127.0.0.1:2376 ${STORE} --cluster-advertise=eth0`) },
    expect: /--cluster-advertise=eth0:2376\n/,
  },
  {
    name: "the daemon's port bracketed after a bare IPv6",
    code: 'DNE114',
    files: { serviceUnit: unit(`-H tcp://127.0.0.1:2376 ${STORE} --cluster-advertise=fd00::1`) },
    expect: /--cluster-advertise=\[fd00::1\]:2376\n/,
  },
  {
    name: "a bad port replaced by the daemon's",
    code: 'DNE114',
    files: { serviceUnit: unit(`-H tcp://127.0.0.1:2376 ${STORE} --cluster-advertise=10.0.0.11:99999`) },
    expect: /--cluster-advertise=10\.0\.0\.11:2376\n/,
  },
  {
    name: 'the one usable interface',
    code: 'DNE116',
    files: { serviceUnit: unit(`${STORE} --cluster-advertise=eth9:2376`), interfaces: [lo, eth0] },
    expect: /--cluster-advertise=eth0:2376\n/,
  },
  {
    name: 'the one usable interface instead of loopback',
    code: 'DNE117',
    files: { serviceUnit: unit(`${STORE} --cluster-advertise=lo:2376`), interfaces: [lo, eth0] },
    expect: /--cluster-advertise=eth0:2376\n/,
  },
  {
    name: 'the one local address',
    code: 'DNE118',
    files: { serviceUnit: unit(`${STORE} --cluster-advertise=10.9.9.9:2376`), interfaces: [lo, eth0] },
    expect: /--cluster-advertise=10\.0\.0\.11:2376\n/,
  },
  {
    name: 'the daemon.json key removed',
    code: 'DNE120',
    files: {
      daemonJson: { file: JSON_FILE, text: '{\n  "debug": true,\n  "hosts": ["unix:///var/run/docker.sock"]\n}\n' },
      serviceUnit: unit('-H fd://'),
    },
    expect: /^\{\n {2}"debug": true\n\}\n$/,
  },
  {
    name: '${DOCKER_OPTS} from an env file unbraced',
    code: 'DNE131',
    files: {
      serviceUnit: { file: UNIT, text: `[Service]\nEnvironmentFile=-${ENV}\nExecStart=/usr/bin/dockerd \${DOCKER_OPTS}\n` },
      envFiles: [{ file: ENV, text: 'DOCKER_OPTS="--debug --ipv6"\n' }],
    },
    expect: /dockerd \$DOCKER_OPTS\n/,
  },
  {
    name: '${DOCKER_OPTS} from Environment= unbraced',
    code: 'DNE131',
    files: {
      serviceUnit: { file: UNIT, text: '[Service]\nEnvironment="DOCKER_OPTS=--debug --ipv6"\nExecStart=/usr/bin/dockerd ${DOCKER_OPTS}\n' },
    },
    expect: /dockerd \$DOCKER_OPTS\n/,
  },
  {
    name: '--tlsverify added (certificates given)',
    code: 'DNE140',
    files: { serviceUnit: unit('-H tcp://0.0.0.0:2376 --tlscacert=/c/ca.pem --tlscert=/c/cert.pem --tlskey=/c/key.pem') },
    expect: /-H tcp:\/\/0\.0\.0\.0:2376 --tlsverify --tlscacert/,
  },
  {
    name: "an empty ExecStart= before the drop-in's",
    code: 'DNE150',
    files: { serviceUnit: unit('-H fd://'), serviceDropIns: [{ file: DROP_IN, text: '[Service]\nExecStart=/usr/bin/dockerd --debug\n' }] },
    expect: /^\[Service\]\nExecStart=\nExecStart=\/usr\/bin\/dockerd --debug\n$/,
  },
];

/** The same files with `file`'s text replaced. */
function replaced(files: DockerdFiles, file: string, text: string): DockerdFiles {
  const swap = (entry: ConfigFile | undefined) => (entry?.file === file ? { ...entry, text } : entry);
  return {
    ...files,
    daemonJson: swap(files.daemonJson),
    serviceUnit: swap(files.serviceUnit),
    serviceDropIns: files.serviceDropIns?.map((entry) => swap(entry)!),
    envFiles: files.envFiles?.map((entry) => swap(entry)!),
  };
}

const textOf = (files: DockerdFiles, file: string) =>
  [files.daemonJson, files.serviceUnit, ...(files.serviceDropIns ?? []), ...(files.envFiles ?? [])].find((entry) => entry?.file === file)!
    .text;

const errors = (findings: Finding[]) => findings.filter((finding) => finding.severity === 'error');

describe('every quick fix leaves no error behind', () => {
  for (const row of ROWS) {
    it(`${row.code}: ${row.name}`, () => {
      const finding = diagnoseHost(row.files).find((candidate) => candidate.code === row.code && candidate.fix);
      assert.ok(finding?.fix, JSON.stringify(diagnoseHost(row.files), null, 1));
      const fixedText = applyEdits(textOf(row.files, finding.file), finding.fix.edits);
      assert.match(fixedText, row.expect);
      const after = diagnoseHost(replaced(row.files, finding.file, fixedText));
      assert.deepEqual(errors(after), []);
      assert.ok(!after.some((candidate) => candidate.code === row.code), JSON.stringify(after, null, 1));
    });
  }

  it('no fix where it cannot be certain', () => {
    const uncertain: DockerdFiles[] = [
      // No TCP listener: which port to advertise is not known.
      { serviceUnit: unit(`${STORE} --cluster-advertise=eth0`) },
      // Two TCP ports: either could be meant.
      { serviceUnit: unit(`-H tcp://127.0.0.1:2376 -H tcp://127.0.0.1:2377 ${STORE} --cluster-advertise=10.0.0.11`) },
      // Two usable interfaces.
      {
        serviceUnit: unit(`${STORE} --cluster-advertise=eth9:2376`),
        interfaces: [lo, eth0, { name: 'eth1', ipv4: ['10.1.0.1'], ipv6: [] }],
      },
      // --tlsverify without the certificates.
      { serviceUnit: unit('-H tcp://0.0.0.0:2376') },
    ];
    for (const files of uncertain) {
      const fixed = diagnoseHost(files).filter((finding) => finding.fix);
      assert.deepEqual(
        fixed.map((finding) => finding.code),
        [],
        JSON.stringify(files),
      );
    }
  });
});
