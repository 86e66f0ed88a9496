/**
 * A swarm overlay in the Networks view, as a user sees it in code-server: the lab in swarm mode,
 * an encrypted attachable overlay made on docker3 with a standalone container on docker3 and one
 * on docker1. Its row says scope swarm and the badges, lists both members with their hosts, and
 * its tooltip names the nodes carrying it (Peers) and every node's containers (verbose inspect); a
 * service on it is a row under it, with its VIP and its task on the node that runs it. In the
 * topology the service is one node (however many managers list it) joined to the overlay, its
 * task in its details, with no context menu.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import type { Page } from 'playwright-core';
import { claimLab, labLayout, labUpOrExplain, type Lab, type LabHostName } from '../support/lab';
import {
  foldRows,
  openViewContainer,
  readViewRows,
  revealNetworksRow,
  runCommand,
  screenshot,
  unfoldRow,
  viewRow,
  widenSideBar,
} from '../support/playwrightBrowser';
import { openLabWorkbench, type WorkbenchSession } from '../support/workbenchSession';

const NETWORK = 'dne-swarmui-enc';
const SERVICE = 'dne-swarmui-svc';
const MEMBERS: Array<{ name: string; host: LabHostName }> = [
  { name: 'dne-swarmui-a', host: 'docker3' },
  { name: 'dne-swarmui-b', host: 'docker1' },
];
const dockerOf = (host: LabHostName) => new Dockerode({ socketPath: labLayout().socket(host) });

describe('a swarm overlay in the Networks view', { skip: process.getuid?.() !== 0 && 'needs root: the lab', timeout: 300_000 }, () => {
  let lab: Lab | undefined;
  let session: WorkbenchSession | undefined;
  let page: Page;

  before(async () => {
    lab = await claimLab();
    const up = await labUpOrExplain(lab, { store: 'swarm' });
    await dockerOf('docker3').createNetwork({
      Name: NETWORK,
      Driver: 'overlay',
      Attachable: true,
      Options: { encrypted: '' },
      IPAM: { Driver: 'default', Config: [{ Subnet: '10.10.70.0/24' }] },
    });
    for (const { name, host } of MEMBERS) {
      const container = await dockerOf(host).createContainer({
        name,
        Image: 'dne-busybox:lab',
        Cmd: ['sleep', '3600'],
        StopTimeout: 1,
        HostConfig: { NetworkMode: NETWORK },
      });
      await container.start();
    }
    // A service with one task on the overlay: a row under it, with the task and its node.
    await dockerOf('docker3').createService({
      Name: SERVICE,
      TaskTemplate: { ContainerSpec: { Image: 'dne-busybox:lab', Command: ['sleep', '3600'] }, Networks: [{ Target: NETWORK }] },
      Mode: { Replicated: { Replicas: 1 } },
    });
    session = await openLabWorkbench(up.hosts);
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await lab?.labDown();
  });

  it('shows it once with scope swarm, attachable and encrypted, its members by host, and its nodes in the tooltip', async (t) => {
    await openViewContainer(page, 'Docker Networks');
    await widenSideBar(page, 760);
    // The Networks view alone (Containers folded), so the overlay, its members and its service fit.
    const containersHeader = page.locator('.pane-header[aria-label="Containers Section"]');
    if ((await containersHeader.getAttribute('aria-expanded')) === 'true') await containersHeader.click();
    await viewRow(page, 'Networks', 'docker3').waitFor({ state: 'visible', timeout: 60_000 });
    await foldRows(page, 'Networks', ['local', 'docker1', 'docker2', 'docker3'], ['docker1', 'docker2', 'docker3']);
    const overlay = await unfoldRow(page, 'Networks', NETWORK);
    // docker1's member arrives with docker1's snapshot.
    let read = await readViewRows(page, 'Networks');
    for (let wait = 0; wait < 60 && !MEMBERS.every((member) => read.some((row) => row.label === member.name)); wait++) {
      await page.waitForTimeout(500);
      read = await readViewRows(page, 'Networks');
    }
    // A host whose snapshot came late may have opened meanwhile: fold them again.
    await foldRows(page, 'Networks', ['local', 'docker1', 'docker2', 'docker3'], ['docker1', 'docker2', 'docker3']);
    read = await readViewRows(page, 'Networks');
    t.diagnostic(read.map((row) => `${row.label} — ${row.description}`).join(' | '));
    assert.match(
      read.find((row) => row.label === NETWORK)?.description ?? '',
      /^overlay · swarm · 10\.10\.70\.0\/24 gw 10\.10\.70\.1 · attachable encrypted · on docker1, docker2, docker3$/,
    );
    for (const member of MEMBERS)
      assert.match(
        read.find((row) => row.label === member.name)?.description ?? '',
        new RegExp(`^${member.host} · 10\\.10\\.70\\.\\d+/24`),
      );

    // The service's row comes with the managers' verbose inspect once its task has joined.
    const service = viewRow(page, 'Networks', SERVICE);
    await service.waitFor({ state: 'visible', timeout: 60_000 });
    if ((await service.getAttribute('aria-expanded')) !== 'true') await service.locator('.monaco-tl-twistie').click();
    read = await readViewRows(page, 'Networks');
    for (let wait = 0; wait < 40 && !read.some((row) => row.label.startsWith(`${SERVICE}.1.`)); wait++) {
      await page.waitForTimeout(500);
      read = await readViewRows(page, 'Networks');
    }
    assert.match(read.find((row) => row.label === SERVICE)?.description ?? '', /^service · VIP 10\.10\.70\.\d+ · 1 task$/);
    // The task is a row under its service, and its container, on a host of ours, a member row too.
    const task = read[read.findIndex((row) => row.label === SERVICE) + 1];
    assert.ok(task?.label.startsWith(`${SERVICE}.1.`), JSON.stringify(read));
    assert.match(task.description, /^10\.10\.70\.\d+ · on node 192\.168\.\d+\.1[123]$/);
    assert.ok(read.some((row) => row.label === task.label && /^docker[123] · 10\.10\.70\.\d+\/24$/.test(row.description)));
    await screenshot(page, 'swarm-explorer');

    // A hover can be swallowed (the row moved as a host's snapshot arrived): move away and hover again.
    const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible').first();
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(1200, 500);
      await overlay.locator('.label-name').hover();
      const shown = await hover
        .waitFor({ state: 'visible', timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      if (shown) break;
      if (attempt === 4) throw new Error('no tooltip on the overlay row after 4 hovers');
    }
    const text = (await hover.textContent()) ?? '';
    t.diagnostic(text);
    assert.match(text, /Encrypted: yes \(IPsec between nodes\)/);
    const layout = labLayout();
    assert.ok(
      text.includes(layout.hostIp('docker1')) && text.includes(layout.hostIp('docker3')),
      `Peers name docker1 and docker3: ${text}`,
    );
    assert.match(text, /Containers on every node: dne-swarmui-a 10\.10\.70\.\d+ on /);
    await screenshot(page, 'swarm-explorer-tooltip', { keepHover: true });

    // ingress, below the overlay's members and service: scrolled to, as the tree draws only the rows that fit.
    const ingress = await revealNetworksRow(page, 'ingress');
    assert.match(
      (await ingress.locator('.label-description').first().innerText()).trim(),
      /^overlay · swarm · 10\.0\.0\.0\/24 gw 10\.0\.0\.1 · ingress · on docker1, docker2, docker3$/,
    );
  });

  it('draws the service in the topology once, joined to the overlay, its task in its details, no menu', async (t) => {
    await runCommand(page, 'Docker Networks: Show Network Topology');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const lines = frame.locator('#summary li');
    const serviceLine = /^Service dne-swarmui-svc \(swarm, VIP, 1 task\)$/;
    const edgeLine = /^Edge dne-swarmui-svc — dne-swarmui-enc: VIP 10\.10\.70\.\d+$/;
    // The service comes with the managers' verbose inspects, after the hosts' first snapshots.
    let texts = (await lines.allTextContents()).map((text) => text.trim());
    for (let wait = 0; wait < 120 && !(texts.some((text) => serviceLine.test(text)) && texts.some((text) => edgeLine.test(text))); wait++) {
      await page.waitForTimeout(500);
      texts = (await lines.allTextContents()).map((text) => text.trim());
    }
    t.diagnostic(texts.filter((text) => text.includes('swarmui')).join(' | '));
    assert.equal(
      texts.filter((text) => text.startsWith(`Service ${SERVICE} `)).length,
      1,
      'one service node, however many managers list it',
    );
    assert.equal(texts.filter((text) => edgeLine.test(text)).length, 1, 'one edge, to the overlay');
    const service = frame.locator('#summary li', { hasText: serviceLine });
    assert.match((await service.getAttribute('data-id')) ?? '', new RegExp(`^svc:[0-9a-z]+:${SERVICE}$`));

    await service.locator('button').click();
    const details = (await frame.locator('#details').innerText()).replace(/\s+/g, ' ');
    t.diagnostic(details);
    assert.match(
      details,
      new RegExp(
        `VIP 10\\.10\\.70\\.\\d+ on ${NETWORK} Tasks 1 Task ${SERVICE}\\.1\\.[0-9a-z]+ 10\\.10\\.70\\.\\d+ on ${NETWORK}; node 192\\.168\\.\\d+\\.1[123] `,
      ),
    );
    // Nothing to act on: a right-click opens no menu.
    await service.locator('button').click({ button: 'right' });
    assert.equal(await frame.locator('#menu').isHidden(), true, 'a service has a context menu');
    await screenshot(page, 'swarm-topology');
  });
});
