/**
 * The three-host lab (tools/lab/) as a user sees it in code-server: the hosts setting names the
 * lab's three daemons, the topology draws the overlay `multihost` once, joined to its members on
 * every host, and the Networks view lists it once under "Multi-host networks" with each member
 * labelled with its host. IDs and addresses are checked against what the lab daemons report.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import type { Frame, Page } from 'playwright-core';
import { graphFrame, graphMeasureScript, type GraphMeasure } from '../support/graphMeasure';
import { labLayout, labUpOrExplain, loadLab, type Lab, type LabHostName } from '../support/lab';
import {
  openViewContainer,
  readViewRows,
  runCommand,
  screenshot,
  foldRows,
  unfoldRow,
  viewRow,
  widenSideBar,
} from '../support/playwrightBrowser';
import { openLabWorkbench, type WorkbenchSession } from '../support/workbenchSession';
import { engineHasClusterStore } from '../support/engine';

const OVERLAY = 'multihost';
const MEMBERS: Array<{ name: string; host: LabHostName }> = [
  { name: 'web1', host: 'docker3' },
  { name: 'web2', host: 'docker2' },
  { name: 'front', host: 'docker1' },
];

interface Member {
  name: string;
  host: LabHostName;
  id: string;
  ipv4: string;
  prefix: number;
  networkId: string;
}

/** Each member's container ID and overlay address, as its own daemon reports them. */
async function inspectMembers(): Promise<Member[]> {
  return Promise.all(
    MEMBERS.map(async ({ name, host }) => {
      const info = await new Dockerode({ socketPath: labLayout().socket(host) }).getContainer(name).inspect();
      const endpoint = info.NetworkSettings.Networks[OVERLAY];
      assert.ok(endpoint?.IPAddress, `${name} on ${host} has no address on ${OVERLAY}`);
      return { name, host, id: info.Id, ipv4: endpoint.IPAddress, prefix: endpoint.IPPrefixLen, networkId: endpoint.NetworkID };
    }),
  );
}

/** The webview's page as a Frame (a FrameLocator cannot evaluate): the one holding #summary. */
async function summaryFrame(page: Page): Promise<Frame> {
  for (const frame of page.frames())
    if (
      await frame
        .locator('#summary li')
        .count()
        .catch(() => 0)
    )
      return frame;
  throw new Error('no topology webview frame with an element list');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const notRoot = process.getuid?.() !== 0;

describe(
  'the three-host lab in the topology and the Networks view',
  {
    skip: notRoot && 'needs root: the lab makes network namespaces and runs dockerd (run as root, or `sudo npm run lab -- up` by hand)',
    timeout: 240_000,
  },
  () => {
    let lab: Lab | undefined;
    let session: WorkbenchSession | undefined;
    let page: Page;
    let members: Member[] = [];

    before(async () => {
      const loaded = await loadLab();
      const status = await loaded.labStatus();
      if (status.up || status.namespaces.length) throw new Error('a lab is already up here: `npm run lab -- down` first');
      lab = loaded;
      // Engines without a cluster store (23+) build the same seed in swarm mode.
      const up = await labUpOrExplain(lab, { store: engineHasClusterStore() ? 'etcd' : 'swarm' });
      members = await inspectMembers();
      session = await openLabWorkbench(up.hosts);
      page = session.page;
    });

    after(async () => {
      await session?.close();
      await lab?.labDown();
    });

    it('lists multihost once under "Multi-host networks", each member labelled with its host', async (t) => {
      await openViewContainer(page, 'Docker Networks');
      await widenSideBar(page, 620);
      // Host rows first, expanded: fold them so the group below fits on screen.
      await foldRows(page, 'Networks', ['local', 'docker1', 'docker2', 'docker3'], ['docker1', 'docker2', 'docker3']);
      await unfoldRow(page, 'Networks', OVERLAY);
      await viewRow(page, 'Networks', 'front').waitFor({ state: 'visible', timeout: 15_000 });
      const read = await readViewRows(page, 'Networks');
      t.diagnostic(read.map((row) => `${row.label} — ${row.description}`).join(' | '));
      const group = read.findIndex((row) => row.label === 'Multi-host networks');
      assert.ok(group >= 0, `no "Multi-host networks" row in ${JSON.stringify(read)}`);
      const below = read.slice(group + 1);
      assert.equal(read.filter((row) => row.label === OVERLAY).length, 1, 'multihost is listed once');
      const scope = engineHasClusterStore() ? 'global' : 'swarm';
      assert.match(
        below.find((row) => row.label === OVERLAY)?.description ?? '',
        new RegExp(`overlay · ${scope} .*· on docker1, docker2, docker3$`),
      );
      for (const member of members) {
        const row = below.find((candidate) => candidate.label === member.name);
        assert.ok(row, `${member.name} is not under the group`);
        assert.ok(row.description.startsWith(`${member.host} · ${member.ipv4}/${member.prefix}`), `${member.name}: "${row.description}"`);
      }
      await screenshot(page, 'lab-explorer');
    });

    it('draws multihost once, joined to web1 (docker3), web2 (docker2) and front (docker1)', async (t) => {
      await runCommand(page, 'Docker Networks: Show Network Topology');
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      const items = frame.locator('#summary li');
      // 20.10 gives each endpoint on a user network its container's name as an alias; 26 (API 1.45)
      // no longer lists it among the aliases (its DNSNames do, shown in the details instead).
      const aliases = (member: Member) => (engineHasClusterStore() ? ` \\(aliases ${member.name}\\)` : '');
      const edge = (member: Member) => new RegExp(`^Edge ${member.name} — ${OVERLAY}: ${escape(member.ipv4)}${aliases(member)}$`);
      await items.first().waitFor({ state: 'attached', timeout: 60_000 });
      const list = await summaryFrame(page);
      // Browser code as a string: the tests' tsconfig has no DOM types.
      const readItems = async () =>
        (await list.evaluate(
          "Array.from(document.querySelectorAll('#summary li')).map((li) => ({ id: li.getAttribute('data-id') || '', text: (li.textContent || '').trim() }))",
        )) as Array<{ id: string; text: string }>;
      // The last of the three hosts' snapshots may arrive after the first items.
      let entries = await readItems();
      for (let wait = 0; wait < 120 && !members.every((m) => entries.some((entry) => edge(m).test(entry.text))); wait++) {
        await page.waitForTimeout(500);
        entries = await readItems();
      }
      const texts = entries.map((entry) => entry.text);
      if (!members.every((m) => texts.some((text) => edge(m).test(text)))) await screenshot(page, 'lab-topology-failure');
      assert.deepEqual(
        texts.filter((text) => text.startsWith(`Network ${OVERLAY} `) || text === `Network ${OVERLAY}`),
        [`Network ${OVERLAY} (overlay)`],
        'the overlay is one node, outside every host',
      );
      for (const host of ['docker1', 'docker2', 'docker3'])
        assert.ok(texts.includes(`Host ${host}`), `no Host ${host} in\n${texts.join('\n')}`);
      assert.equal(new Set(members.map((member) => member.networkId)).size, 1, 'the three daemons disagree on the overlay ID');
      for (const member of members) {
        assert.deepEqual(
          texts.filter((text) => text.startsWith(`Container ${member.name} `)),
          [`Container ${member.name} on ${member.host}`],
        );
        const edges = entries.filter((entry) => edge(member).test(entry.text));
        assert.equal(edges.length, 1, `edges of ${member.name}: ${JSON.stringify(edges)}`);
        // The edge's element ID names the host (from the setting), and the container and network
        // IDs its own daemon gave them: the one overlay node joins members of three daemons.
        assert.equal(edges[0].id, `ep:setting:${member.host}:${member.id}:${member.networkId}`);
      }
      t.diagnostic(texts.filter((text) => text.includes(OVERLAY) || /^Host /.test(text)).join(' | '));
      // The graph alone, fitted to the editor: the side bar was widened for the tree.
      await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
      await page.waitForTimeout(500);
      await frame.locator('#fit').click();
      await page.waitForTimeout(800); // the fit animates
      await screenshot(page, 'lab-topology');
      // Readable at Fit, measured from Cytoscape's rendered boxes: nothing covers anything, and the
      // names are at least 11 px. The graph also holds the default host (this machine's dockerd),
      // which other test runs may fill.
      const graph = await graphFrame(page);
      const measured = (await graph.evaluate(graphMeasureScript())) as GraphMeasure;
      t.diagnostic(
        `at Fit: zoom ${measured.zoom.toFixed(2)}, names ${measured.smallestName.toFixed(1)} px, ${measured.drawnLabels} labels drawn`,
      );
      assert.deepEqual(measured.nodeOverlaps, [], 'nodes overlap');
      assert.deepEqual(measured.labelOnNode, [], 'labels cover nodes');
      assert.deepEqual(measured.labelOnLabel, [], 'labels cover labels');
      assert.ok(measured.smallestName >= 11, `names are ${measured.smallestName.toFixed(1)} px at Fit`);
      // As the seed's diagrams draw it: front between the overlay and docker1's bridge.
      const at = (await graph.evaluate(`(() => {
      const cy = document.getElementById('graph')._cyreg.cy;
      const y = (test) => cy.nodes().filter(test).map((node) => node.position('y'))[0];
      return {
        front: y((node) => node.data('label') === 'front'),
        overlay: y((node) => node.data('label') === ${JSON.stringify(OVERLAY)}),
        bridge: y((node) => node.data('label') === 'bridge' && node.data('host') === 'host:setting:docker1'),
      };
    })()`)) as { front: number; overlay: number; bridge: number };
      assert.ok(at.overlay < at.front && at.front < at.bridge, `front is not between ${OVERLAY} and the bridge: ${JSON.stringify(at)}`);
    });
  },
);
