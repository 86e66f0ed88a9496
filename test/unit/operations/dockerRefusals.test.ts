import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainDockerRefusal } from '../../../src/core/operations/dockerRefusals';

// Refusals as dockerd 20.10 words them (docker-lab notes and moby's sources).
const cases: Array<[string, RegExp | undefined]> = [
  [
    'service endpoint with name web1 already exists',
    /container named "web1" is already attached to this overlay.*unique across every host/,
  ],
  ['endpoint with name web1 already exists in network multihost', /container named "web1" is already attached to this overlay/],
  [
    'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
    /swarm manager .*cluster store/,
  ],
  [
    'error getting pools config from store: could not get pools config from store: Unexpected response code: 500',
    /Consul .*No cluster leader.*-bootstrap/,
  ],
  [
    'error getting pools config from store: could not get pools config from store: client: response is invalid json. The endpoint is probably not valid etcd cluster endpoint.',
    /--enable-v2=true/,
  ],
  [
    'error getting pools config from store: could not get pools config from store: client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 192.168.77.2:2399: connect: connection refused',
    /cannot reach its cluster store/,
  ],
  ['network with name tb already exists', undefined],
];

describe('explaining Docker refusals', () => {
  for (const [reason, says] of cases) {
    it(reason.slice(0, 60), () => {
      const explanation = explainDockerRefusal(reason);
      if (says) assert.match(explanation ?? '', says);
      else assert.equal(explanation, undefined);
    });
  }
});
