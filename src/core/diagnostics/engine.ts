/**
 * Which Docker Engine the files are for, and what that engine says about the cluster-store
 * settings it removed. Every quote below is dockerd's own text, cited beside it; 26.1's is also
 * checked against its binary (test/integration/engineWords.test.ts).
 */

/** Leading numeric parts of a version ("20.10.24", "26.1.5+dfsg1", "5.10.0-23-amd64", "17.06.0-ce"). */
export function versionParts(version: string): number[] {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  return match
    ? match
        .slice(1)
        .filter((part) => part !== undefined)
        .map(Number)
    : [];
}

/** False for a version we cannot read: an unknown version is never "too old". */
export function versionBelow(version: string, minimum: number[]): boolean {
  const parts = versionParts(version);
  if (parts.length === 0) return false;
  for (let i = 0; i < minimum.length; i++) {
    const part = parts[i] ?? 0;
    if (part !== minimum[i]) return part < minimum[i];
  }
  return false;
}

/** What an engine does with --cluster-store & co: runs with them (≤ 22), or refuses them in its 23.0 or 24+ words. */
export type ClusterStoreSupport = 'supported' | 'removed-23' | 'removed-24';

/** `engine` as given to `diagnose --engine` or found live; undefined when it says nothing we can read. */
export function clusterStoreSupport(engine: string | undefined): ClusterStoreSupport | undefined {
  if (engine === undefined || versionParts(engine).length === 0) return undefined;
  if (versionBelow(engine, [23])) return 'supported';
  return versionBelow(engine, [24]) ? 'removed-23' : 'removed-24';
}

/** The daemon.json keys and flags of the legacy cluster store (flag → daemon.json key). */
export const CLUSTER_STORE_FLAGS: Record<string, string> = {
  'cluster-store': 'cluster-store',
  'cluster-advertise': 'cluster-advertise',
  'cluster-store-opt': 'cluster-store-opts',
};
export const CLUSTER_STORE_KEYS = Object.values(CLUSTER_STORE_FLAGS);

/**
 * 23.0.x, flag or daemon.json key alike, exit status 1: moby v23.0.0…v23.0.18
 * cmd/dockerd/daemon.go, checkDeprecatedOptions (called by DaemonCli.start before --validate
 * answers), printed by cmd/dockerd/docker.go's onError ("%s\n", os.Exit(1)).
 */
export const REMOVED_23 =
  "Host-discovery and overlay networks with external k/v stores are deprecated. The 'cluster-advertise', " +
  "'cluster-store', and 'cluster-store-opt' options have been removed";

/**
 * 23.0.x also warns for a flag (it still parses it): moby v23.0.0 cmd/dockerd/config.go
 * MarkDeprecated("cluster-store", "Swarm classic is deprecated. Please use Swarm-mode (docker swarm init)"),
 * printed by pflag as "Flag --%s has been deprecated, %s\n" (v23.0.0 vendor/github.com/spf13/pflag/flag.go).
 */
export function deprecatedFlag23(flag: string): string {
  return `Flag --${flag} has been deprecated, Swarm classic is deprecated. Please use Swarm-mode (docker swarm init)`;
}

/**
 * 24.0 and later: the flags are gone, so cobra refuses them before anything else. moby v24.0.0,
 * v25.0.0, v26.1.5, v28.0.0 cmd/dockerd/cobra.go FlagErrorFunc ("%s\nSee '%s --help'.") wrapped
 * in cmd/dockerd/error.go StatusError ("Status: %s, Code: %d", 125); docker-v29.0.0 the same in
 * daemon/command/. Printed by main's onError, exit status 1. Only the first unknown flag is named.
 * Verified on 26.1.5: "Status: unknown flag: --cluster-store\nSee 'dockerd --help'., Code: 125".
 */
export function unknownFlag24(flag: string): string[] {
  return [`Status: unknown flag: --${flag}`, "See 'dockerd --help'., Code: 125"];
}

/**
 * 24.0 and later, daemon.json: the keys are no configuration option any more. moby v24.0.0 …
 * docker-v29.0.0 daemon/config/config.go findConfigurationConflicts ("the following directives
 * don't match any configuration option: %s", strings.Join(unknown, ", ")), wrapped by
 * cmd/dockerd/daemon.go loadDaemonCliConfig ("unable to configure the Docker daemon with file %s").
 * The keys come from a Go map: dockerd lists them in an order that changes from run to run
 * (seen on 26.1.5), so we list them in file order. Other unknown keys would be listed too.
 */
export function unknownDirectives24(file: string, keys: readonly string[]): string {
  return `unable to configure the Docker daemon with file ${file}: the following directives don't match any configuration option: ${keys.join(', ')}`;
}
