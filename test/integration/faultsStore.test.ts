/**
 * Fault injection, the cluster store: a private dockerd 20.10 (in a network namespace of this
 * test's own, joined by a veth pair) on a real etcd this test starts; the store is then cut off
 * from the daemon by stopping that etcd process (the test's own PID). What the user sees:
 *   - the doctor: the store refused the connection (DNE170), at the store setting of the host's
 *     daemon.json, within the probe timeout;
 *   - an overlay create: Docker's own refusal, as the operation's error, nothing thrown unhandled;
 *   - the host's view: still connected, and equal to what the daemon lists (within 30 s).
 * Cluster stores are gone from Engine 23: skipped there.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagnoseLive, type LiveHost } from '../../src/core/diagnostics/live';
import { Codes } from '../../src/core/diagnostics/codes';
import { DockerClient } from '../../src/core/docker/dockerClient';
import { HostMonitor } from '../../src/core/docker/hostMonitor';
import { SnapshotLoader } from '../../src/core/docker/snapshotLoader';
import { NetworkOperations } from '../../src/core/operations/networkOperations';
import { defaultNetworkSpec } from '../../src/core/operations/networkSpec';
import { startEtcd, VethNamespace, type RunningStore } from '../support/clusterStores';
import { PrivateDockerd, unixEndpoint, unixHost } from '../support/dockerFixture';
import { skipWithoutClusterStore } from '../support/engine';
import { waitForState, isConnected } from '../support/hostStates';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe(
  'fault injection: the cluster store cut off from a daemon',
  { skip: skipWithoutClusterStore('a daemon on a cluster store'), timeout: 240_000 },
  () => {
    const namespace = new VethNamespace();
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    let daemon: PrivateDockerd | undefined;
    let etcd: RunningStore | undefined;
    let monitor: HostMonitor | undefined;
    const daemonJsonPath = () => path.join(daemon!.dir, 'daemon.json');

    before(async () => {
      process.on('unhandledRejection', record);
      await namespace.create();
      etcd = await startEtcd({ enableV2: true, host: namespace.hostAddress });
      daemon = new PrivateDockerd(undefined, namespace.path, [], {
        daemonJson: `{\n  "cluster-store": "${etcd.url}",\n  "cluster-advertise": "${namespace.namespaceAddress}:2376"\n}\n`,
      });
      await daemon.start();
      monitor = new HostMonitor(unixHost(daemon.socketPath, 'stored'), { timeoutMs: 5000, retryInitialMs: 200, retryMaxMs: 1000 });
      await monitor.start();
    });
    after(async () => {
      monitor?.dispose();
      await daemon?.dispose();
      await etcd?.stop();
      await namespace.dispose();
      process.off('unhandledRejection', record);
    });

    it("the store stopped: the doctor says refused at the store setting, an overlay create is refused in Docker's words, the view stays true", async (t) => {
      const client = new DockerClient(unixEndpoint(daemon!.socketPath), 'stored', { timeoutMs: 20_000 });
      const truth = new SnapshotLoader(client, 'stored');
      await waitForState(monitor!, isConnected, 'connected');
      await etcd!.stop();

      const host: LiveHost = {
        name: 'stored',
        url: `unix://${daemon!.socketPath}`,
        files: { daemonJson: { file: daemonJsonPath(), text: fs.readFileSync(daemonJsonPath(), 'utf8') } },
      };
      const started = Date.now();
      const findings = await diagnoseLive([host], { timeoutMs: 3000 });
      t.diagnostic(`doctor answered in ${Date.now() - started} ms`);
      const refused = findings.find((finding) => finding.code === Codes.storeRefused);
      assert.ok(refused, JSON.stringify(findings));
      assert.equal(refused.file, daemonJsonPath());
      assert.equal(refused.range.startLine, 1);

      const error = await new NetworkOperations(client)
        .createNetwork({ ...defaultNetworkSpec('overlay', 'dne-dr-fault-ov'), subnet: '10.214.9.0/24' }, await truth.load())
        .catch((caught: unknown) => caught);
      assert.ok(error instanceof Error, `the overlay was created without its store: ${String(error)}`);
      t.diagnostic(`the user is told: ${error.message}`);
      assert.match(error.message, /connection refused|unavailable|store/i);

      // The daemon itself still answers: the view stays connected and equal to what it lists.
      const deadline = Date.now() + 30_000;
      let same = false;
      while (!same && Date.now() < deadline) {
        const state = monitor!.state;
        const listed = await truth.load().catch(() => undefined);
        same =
          state.kind === 'connected' &&
          listed !== undefined &&
          JSON.stringify(state.snapshot.networks.map((network) => network.name).sort()) ===
            JSON.stringify(listed.networks.map((network) => network.name).sort());
        if (!same) await sleep(200);
      }
      assert.ok(same, `the view did not converge: ${JSON.stringify(monitor!.state.kind)}`);
      assert.deepEqual(unhandled.map(String), []);
    });
  },
);
