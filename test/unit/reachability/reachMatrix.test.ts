/** The matrix: every ordered pair, progress in slices, cancel between slices. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainMatrix, matrixMembers } from '../../../src/core/reachability/matrix';
import { ReachIndex } from '../../../src/core/reachability/reachIndex';
import { host } from '../reachWorld';

describe('reachability matrix', () => {
  const world = host(
    '20.10',
    'h',
    [
      { name: 'app', subnet: '10.30.0.0/24' },
      { name: 'other', subnet: '10.31.0.0/24' },
    ],
    [
      { name: 'a', networks: { app: { ip: '10.30.0.2' } } },
      { name: 'b', networks: { app: { ip: '10.30.0.3' } } },
      { name: 'c', networks: { other: { ip: '10.31.0.2' } } },
    ],
  );
  const index = new ReachIndex([world]);

  it("a network's members, each ordered pair once, ✓/✗ with the leading reason", async () => {
    const app = world.snapshot.networks.find((network) => network.name === 'app')?.id as string;
    assert.deepEqual(
      matrixMembers(index, { networkId: app }).map((node) => node.container.name),
      ['a', 'b'],
    );
    const cells = await explainMatrix(index, matrixMembers(index, {}));
    assert.deepEqual(
      cells?.map((cell) => `${cell.from}>${cell.target}:${cell.verdict}:${cell.reason.code}`),
      [
        'a>b:reachable:shared-network',
        'a>c:unreachable:no-shared-network',
        'b>a:reachable:shared-network',
        'b>c:unreachable:no-shared-network',
        'c>a:unreachable:no-shared-network',
        'c>b:unreachable:no-shared-network',
      ],
    );
  });

  it('reports progress per slice and stops when cancelled', async () => {
    const progress: number[] = [];
    let cancel = false;
    const cells = await explainMatrix(index, matrixMembers(index, {}), {
      slice: 2,
      onProgress: (done) => {
        progress.push(done);
        cancel = done >= 4;
      },
      isCancelled: () => cancel,
    });
    assert.equal(cells, undefined);
    assert.deepEqual(progress, [2, 4]);
  });
});
