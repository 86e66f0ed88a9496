// The cluster store every lab dockerd shares: etcd 3.4 with its v2 API (the only one Docker's
// store client speaks; 3.4 serves it only with --enable-v2=true), or ZooKeeper. It runs in the
// LAN namespace on the bridge address, so the hosts reach it over the LAN as real hosts would,
// and its ports cannot collide with anyone's etcd/ZooKeeper on the machine's loopback.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ETCD_PORT, LAN_IP, LAN_NS, ZK_PORT, storeLayout } from './config.mjs';
import { alive, readPid, sh, sleep, startDetached, stopPid } from './proc.mjs';

export const STORE_KINDS = ['etcd', 'zookeeper'];

function commandFor(kind, dir) {
  if (kind === 'etcd') {
    const client = `http://${LAN_IP}:${ETCD_PORT}`;
    const peer = 'http://127.0.0.1:2380'; // a one-member cluster: peers only on the LAN namespace's loopback
    return [
      'etcd',
      [
        '--name',
        'dnelab',
        '--data-dir',
        path.join(dir, 'data'),
        '--enable-v2=true',
        '--listen-client-urls',
        client,
        '--advertise-client-urls',
        client,
        '--listen-peer-urls',
        peer,
        '--initial-advertise-peer-urls',
        peer,
        '--initial-cluster',
        `dnelab=${peer}`,
      ],
    ];
  }
  const config = path.join(dir, 'zoo.cfg');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(
    config,
    [
      'tickTime=2000',
      `dataDir=${path.join(dir, 'data')}`,
      `clientPort=${ZK_PORT}`,
      `clientPortAddress=${LAN_IP}`,
      'admin.enableServer=false',
      '4lw.commands.whitelist=srvr,ruok',
      '',
    ].join('\n'),
  );
  // java directly rather than zkServer.sh: Debian's zkEnv.sh pins the config to /etc/zookeeper.
  return [
    'java',
    [
      '-Xmx128m',
      '-Dzookeeper.root.logger=INFO,CONSOLE',
      `-Dzookeeper.log.dir=${dir}`,
      '-cp',
      '/etc/zookeeper/conf:/usr/share/java/zookeeper.jar',
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      config,
    ],
  ];
}

/** Asked from inside the LAN namespace (the store is not reachable from the root namespace). */
export function storeAnswers(kind) {
  // bash's /dev/tcp: no curl or nc needed (Debian's static busybox wget segfaults on the host).
  const request = kind === 'etcd' ? 'GET /v2/keys/ HTTP/1.0\\r\\n\\r\\n' : 'srvr\\n';
  const port = kind === 'etcd' ? ETCD_PORT : ZK_PORT;
  const script = `exec 3<>/dev/tcp/${LAN_IP}/${port} && printf '${request}' >&3 && cat <&3`;
  const probe = ['timeout', '3', 'bash', '-c', script];
  const { status, stdout } = sh('ip', ['netns', 'exec', LAN_NS, ...probe], { allowFail: true });
  return status === 0 && (kind === 'etcd' ? stdout.includes('"action"') : stdout.includes('Zookeeper version'));
}

/** Starts the store unless it runs; waits until it answers. Returns its PID and whether it was started. */
export async function ensureStore(kind, timeoutMs = 60_000) {
  const layout = storeLayout(kind);
  let pid = readPid(layout.pidfile);
  let started = false;
  if (!alive(pid)) {
    fs.mkdirSync(layout.dir, { recursive: true });
    const [command, args] = commandFor(kind, layout.dir);
    pid = startDetached('ip', ['netns', 'exec', LAN_NS, command, ...args], layout.log);
    fs.writeFileSync(layout.pidfile, `${pid}\n`);
    started = true;
  }
  const deadline = Date.now() + timeoutMs;
  while (!storeAnswers(kind)) {
    if (!alive(pid)) throw new Error(`${kind} exited; see ${layout.log}:\n${tail(layout.log)}`);
    if (Date.now() > deadline) throw new Error(`${kind} did not answer within ${timeoutMs} ms; see ${layout.log}`);
    await sleep(250);
  }
  return { pid, started };
}

export async function stopStore(kind) {
  const pid = readPid(storeLayout(kind).pidfile);
  if (pid) await stopPid(pid);
  return pid;
}

export function storeStatus(kind) {
  const pid = readPid(storeLayout(kind).pidfile);
  return { kind, pid, alive: alive(pid), answers: alive(pid) && storeAnswers(kind) };
}

export function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
