/** Types shared by the live doctor's probes and rules. */
import type { DockerHost } from '../../hosts/dockerHost';
import type { HostKeyTrust } from '../../ssh/hostKeyTrust';
import type { Range } from '../finding';
import type { DockerdFiles } from '../dockerdConfig';

export interface LiveHost {
  name: string;
  /** Docker host URL such as unix:///var/run/docker.sock or tcp://10.0.0.2:2376. */
  url: string;
  /** That host's config files, to anchor findings at the store setting. */
  files?: DockerdFiles;
  /** The default socket nobody chose (DockerHost.implicit): its silence is no error. */
  implicit?: boolean;
  /**
   * How to reach it (TLS files, ssh login and known_hosts), as the explorer or the CLI's flags
   * resolved it. Absent: `url` alone, so a tcp:// host is asked over plain HTTP.
   */
  config?: DockerHost;
}

export interface LiveOptions {
  /** Per probe; default 3000. */
  timeoutMs?: number;
  /** Also say what moving each host to Docker 28/29 breaks (DNE166); lists and inspects its containers. */
  upgradeCheck?: boolean;
  /** How an ssh host's key is judged; absent: an unknown key is refused (DockerClient's default). */
  hostKeys?: HostKeyTrust;
  /**
   * Also dial each swarm node's TCP ports from the other nodes (DNE220): a short-lived helper
   * container on each node that answered, so off unless asked for.
   */
  probeFromNodes?: boolean;
  /** Images that helper may be made from, first present one wins; none is pulled. Default busybox, alpine. */
  helperImages?: readonly string[];
}

/** Where a live finding is shown: a setting in the host's files, or the host URL itself. */
export interface Anchor {
  file: string;
  range: Range;
}

/** Why a store or daemon could not be asked at all. */
export interface NetFailure {
  /** 'tls': the TLS handshake failed (a certificate refused either way, or no TLS on the other side). */
  kind: 'refused' | 'timeout' | 'unreachable' | 'tls';
  reason: string;
}

/** One store address as the daemon dials it. */
export interface StoreAddress {
  host: string;
  port: number;
}

/** The client side of TLS to a store, as --cluster-store-opt kv.cacertfile/kv.certfile/kv.keyfile give it. */
export interface StoreTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  /** The options' file paths, for messages. */
  files: { ca: string; cert: string; key: string };
}
