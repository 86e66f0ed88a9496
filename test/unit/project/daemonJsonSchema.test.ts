/**
 * The daemon.json schema that package.json contributes (jsonValidation): VS Code's JSON service
 * completes and explains its keys, and reports neither trailing commas nor comments, which our
 * DNE101/DNE102 report once (the extension-host test watches that in a real VS Code).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const repo = path.resolve(__dirname, '../../../..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(repo, file), 'utf8')) as Record<string, unknown>;

interface Schema {
  allowComments: boolean;
  allowTrailingCommas: boolean;
  additionalProperties: boolean;
  properties: Record<string, { markdownDescription?: string }>;
}

describe('the daemon.json schema', () => {
  const manifest = read('package.json') as { contributes: { jsonValidation: Array<{ fileMatch: string; url: string }> } };
  const [contribution] = manifest.contributes.jsonValidation;
  const schema = read(contribution.url) as unknown as Schema;

  it('is contributed for every file named daemon.json, the files the doctor diagnoses', () => {
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: 'daemon.json', url: './schemas/daemon-json.schema.json' }]);
  });

  it('leaves trailing commas and comments to our findings, and refuses unknown keys as dockerd does', () => {
    assert.equal(schema.allowTrailingCommas, true);
    assert.equal(schema.allowComments, true);
    assert.equal(schema.additionalProperties, false);
  });

  it('explains every key, and marks the cluster-store keys as removed in Docker 23', () => {
    for (const [key, property] of Object.entries(schema.properties)) assert.ok(property.markdownDescription, `${key} has no description`);
    for (const key of ['cluster-store', 'cluster-store-opts', 'cluster-advertise']) {
      assert.match(schema.properties[key].markdownDescription ?? '', /Deprecated, removed in Docker 23/);
    }
  });

  it('knows the keys the lab and the test fixtures write', () => {
    const fixture = fs.readFileSync(path.join(repo, 'test/fixtures/diagnostics/host/etc/docker/daemon.json'), 'utf8');
    const fixtureKeys = [...fixture.matchAll(/^\s*"([^"]+)":/gm)].map((match) => match[1]);
    const lab = fs.readFileSync(path.join(repo, 'tools/lab/daemons.mjs'), 'utf8');
    const labKeys = [...lab.matchAll(/JSON\.stringify\(\{ '([^']+)'/g)].map((match) => match[1]);
    assert.ok(labKeys.length > 0, 'the lab writes no daemon.json key any more: update this test');
    for (const key of [...fixtureKeys, ...labKeys]) assert.ok(key in schema.properties, `${key} is not in the schema`);
  });
});
