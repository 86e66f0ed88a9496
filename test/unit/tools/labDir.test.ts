/**
 * The lab's teardown deletes DNELAB_DIR whole (after unmounting under it and stopping every process
 * that names it): only a directory the lab marked may be torn down. Tested on temp directories
 * only; the lab itself is never run here.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importTool } from '../../support/toolModule';
import { afterEach, before, beforeEach, describe, it } from 'node:test';

interface LabDirModule {
  LAB_MARKER: string;
  labDirProblem(dir: string, options?: { legacyDir?: string }): string | undefined;
  assertLabDir(dir: string, options?: { legacyDir?: string }): void;
  claimLabDir(dir: string, options?: { legacyDir?: string }): void;
}

describe('the lab directory guard (DNELAB_DIR)', () => {
  let lab: LabDirModule;
  let tmp = '';
  before(async () => {
    lab = await importTool<LabDirModule>(path.resolve(__dirname, '../../../..'), 'lab', 'labDir.mjs');
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dne-labdir-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('refuses system directories and any directory the lab did not mark, before anything is torn down', () => {
    for (const dir of ['/run', '/', '/usr', '/etc', os.homedir()]) {
      assert.match(lab.labDirProblem(dir) ?? '', /not made by the lab|root directory/, dir);
      assert.throws(() => lab.assertLabDir(dir), /refusing to unmount, stop processes under or delete it|root directory/);
    }
    fs.writeFileSync(path.join(tmp, 'precious'), 'data');
    assert.match(lab.labDirProblem(tmp) ?? '', new RegExp(`DNELAB_DIR=${tmp} was not made by the lab \\(no \\.dnelab file in it\\)`));
  });

  it('refuses relative, unnormalised and symlinked paths, and a forged marker', () => {
    assert.match(lab.labDirProblem('run/dnelab') ?? '', /must be an absolute path/);
    assert.match(lab.labDirProblem(`${tmp}/../x`) ?? '', /without "\.\."/);
    assert.match(lab.labDirProblem(`${tmp}/`) ?? '', /trailing "\/"/);
    const marked = path.join(tmp, 'marked');
    lab.claimLabDir(marked);
    const link = path.join(tmp, 'link');
    fs.symlinkSync(marked, link);
    assert.match(lab.labDirProblem(link) ?? '', /not a directory of its own/);
    const forged = path.join(tmp, 'forged');
    fs.mkdirSync(forged);
    fs.writeFileSync(path.join(forged, lab.LAB_MARKER), 'anything');
    assert.ok(lab.labDirProblem(forged));
    const markerLink = path.join(tmp, 'marker-link');
    fs.mkdirSync(markerLink);
    fs.symlinkSync(path.join(marked, lab.LAB_MARKER), path.join(markerLink, lab.LAB_MARKER));
    assert.ok(lab.labDirProblem(markerLink), 'a marker that is a symlink to a real one');
  });

  it('up makes and marks a new or empty directory, which down may then remove; a missing one has nothing to remove', () => {
    const fresh = path.join(tmp, 'a', 'lab');
    assert.equal(lab.labDirProblem(fresh), undefined, 'nothing there: nothing to delete');
    lab.claimLabDir(fresh);
    assert.ok(fs.statSync(path.join(fresh, lab.LAB_MARKER)).isFile());
    assert.equal(lab.labDirProblem(fresh), undefined);
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    lab.claimLabDir(empty);
    assert.equal(lab.labDirProblem(empty), undefined);
    lab.claimLabDir(empty); // up again: still the lab's
    assert.equal(lab.labDirProblem(empty), undefined);
  });

  it('up refuses a directory holding anything else, and leaves it alone', () => {
    fs.writeFileSync(path.join(tmp, 'precious'), 'data');
    assert.throws(() => lab.claimLabDir(tmp), /was not made by the lab/);
    assert.deepEqual(fs.readdirSync(tmp), ['precious']);
  });

  it('takes a lab made before the marker existed only at the default place, by its state file', () => {
    fs.writeFileSync(path.join(tmp, 'lab.json'), '{"store":"etcd"}');
    assert.ok(lab.labDirProblem(tmp), "lab.json alone does not make any directory the lab's");
    assert.equal(lab.labDirProblem(tmp, { legacyDir: tmp }), undefined);
    lab.claimLabDir(tmp, { legacyDir: tmp });
    assert.equal(lab.labDirProblem(tmp), undefined, 'up marks it');
  });
});
