import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapLimit } from '../../../src/core/util/mapLimit';

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const result = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (value) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running--;
      return value * 10;
    });
    assert.deepEqual(result, [50, 10, 40, 20, 30, 0]);
    assert.equal(peak, 2);
  });
  it('handles an empty list', async () => assert.deepEqual(await mapLimit([], 4, async () => 1), []));
  it('rejects with the first failure', async () => {
    await assert.rejects(
      mapLimit([1, 2], 2, async (value) => {
        if (value === 2) throw new Error('boom');
        return value;
      }),
      /boom/,
    );
  });
});
