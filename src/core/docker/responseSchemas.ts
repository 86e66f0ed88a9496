/**
 * What a Docker daemon's answers must look like before the model reads them: the fields we
 * read, with the types Go's encoder gives them (null where Go has a nil map, slice or pointer),
 * everything else passed through. A daemon that answers something else (a broken proxy, a
 * hostile or buggy daemon) gets a clear error naming the field, never a TypeError deep inside
 * the model. zod/mini: the same checks as zod's classic API at a fifth of the bundle. Plain
 * `z.object` (unknown keys dropped from zod's copy): six times faster than `looseObject` on a
 * 300-container list, and the callers keep the daemon's own object anyway (dockerClient.ts).
 */
import * as z from 'zod/mini';
import { UnexpectedAnswerError } from './unexpectedAnswer';

/** Absent, or null where Go encodes a nil map, slice or pointer. */
const maybe = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));
const text = z.optional(z.string());
const flag = z.optional(z.boolean());
const count = z.optional(z.number());
const strings = maybe(z.array(z.string()));
const stringMap = maybe(z.record(z.string(), z.string()));

const ipamPool = z.object({ Subnet: text, Gateway: text, IPRange: text });

/** A network's `Containers` entry (filled by an inspect; the list leaves it empty). */
const networkMember = z.object({ Name: text, EndpointID: text, MacAddress: text, IPv4Address: text, IPv6Address: text });

/** Swarm networks' inspect: `Peers` always, `Services` only with `verbose=true`. */
const swarmPeer = z.object({ Name: text, IP: text });
const swarmTask = z.object({ Name: text, EndpointID: text, EndpointIP: text, Info: stringMap });
const swarmService = z.object({ VIP: text, Tasks: maybe(z.array(swarmTask)) });

/** GET /networks (each item) and GET /networks/{id}. */
export const networkAnswer = z.object({
  Id: z.string(),
  Name: z.string(),
  Created: text,
  Scope: text,
  Driver: text,
  EnableIPv6: flag,
  EnableIPv4: flag,
  Internal: flag,
  Attachable: flag,
  Ingress: flag,
  ConfigOnly: flag,
  ConfigFrom: maybe(z.object({ Network: text })),
  IPAM: maybe(z.object({ Driver: text, Config: maybe(z.array(ipamPool)) })),
  Containers: maybe(z.record(z.string(), networkMember)),
  Options: stringMap,
  Labels: stringMap,
  Peers: maybe(z.array(swarmPeer)),
  Services: maybe(z.record(z.string(), swarmService)),
});

/** One network of a container (`NetworkSettings.Networks[name]`), in the list and in an inspect. */
const endpointSettings = z.object({
  NetworkID: text,
  EndpointID: text,
  Gateway: text,
  IPAddress: text,
  IPPrefixLen: count,
  GlobalIPv6Address: text,
  GlobalIPv6PrefixLen: count,
  MacAddress: text,
  Aliases: strings,
  Links: strings,
  DNSNames: strings,
  GwPriority: count,
});

const networkSettings = maybe(z.object({ Networks: maybe(z.record(z.string(), endpointSettings)) }));

const port = z.object({ IP: text, PrivatePort: z.number(), PublicPort: count, Type: text });

/** GET /containers/json?all=1 (each item). */
export const containerAnswer = z.object({
  Id: z.string(),
  Names: strings,
  Image: text,
  State: text,
  Status: text,
  Created: count,
  Ports: maybe(z.array(port)),
  Labels: stringMap,
  NetworkSettings: networkSettings,
});

/** GET /containers/{id}/json. */
export const containerInspectAnswer = z.object({
  Id: z.string(),
  State: maybe(z.object({ StartedAt: text, FinishedAt: text, Error: text })),
  HostConfig: maybe(z.object({ Sysctls: stringMap })),
  NetworkSettings: networkSettings,
});

/** GET /version. `ApiVersion` is checked further by negotiateVersion (it must be "major.minor"). */
export const versionAnswer = z.object({ Version: text, ApiVersion: text, MinAPIVersion: text, KernelVersion: text });

/** GET /info: the fields the explorer and the doctor read. */
export const infoAnswer = z.object({
  Name: text,
  ServerVersion: text,
  KernelVersion: text,
  ClusterStore: text,
  ClusterAdvertise: text,
  Swarm: maybe(
    z.object({
      LocalNodeState: text,
      ControlAvailable: flag,
      Error: text,
      NodeID: text,
      /** The node's advertise address (no port). */
      NodeAddr: text,
      /** Managers only: counts from the raft store; null on a manager without quorum. */
      Nodes: maybe(z.number()),
      Managers: maybe(z.number()),
      RemoteManagers: maybe(z.array(z.object({ NodeID: text, Addr: text }))),
      Cluster: maybe(z.object({ ID: text, DefaultAddrPool: strings, SubnetSize: count, DataPathPort: count })),
    }),
  ),
});

/** GET /nodes (managers only): the fields the swarm doctor reads. */
export const nodeListAnswer = z.array(
  z.object({
    ID: z.string(),
    Description: maybe(z.object({ Hostname: text })),
    Status: maybe(z.object({ State: text, Message: text, Addr: text })),
    ManagerStatus: maybe(z.object({ Leader: flag, Reachability: text, Addr: text })),
  }),
);

/** One line of GET /events. */
export const eventAnswer = z.object({
  Type: z.string(),
  Action: z.string(),
  Actor: maybe(z.object({ ID: text, Attributes: maybe(z.record(z.string(), z.unknown())) })),
  timeNano: count,
});

export const networkListAnswer = z.array(networkAnswer);
export const containerListAnswer = z.array(containerAnswer);

export { UnexpectedAnswerError };

/** One line of the event stream, checked; undefined when it is no event. */
export function parseEventAnswer(raw: unknown): z.infer<typeof eventAnswer> | undefined {
  const checked = z.safeParse(eventAnswer, raw);
  return checked.success ? checked.data : undefined;
}

/** The answer, checked against `schema`; throws UnexpectedAnswerError naming the first bad field. */
export function checkAnswer<S extends z.ZodMiniType>(schema: S, answer: unknown): z.infer<S> {
  const result = z.safeParse(schema, answer, { reportInput: true });
  if (result.success) return result.data;
  throw new UnexpectedAnswerError(describeIssue(result.error.issues[0]));
}

/** "[2].IPAM.Config: expected array, got object" — the path as code would spell it, then the problem. */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'unreadable answer';
  const where =
    issue.path
      .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
      .join('')
      .replace(/^\./, '') || '(the answer)';
  return `${where}: ${problemOf(issue)}`;
}

function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, got ${typeName(issue.input)}`;
  return issue.message && issue.message !== 'Invalid input' ? issue.message : issue.code.replace(/_/g, ' ');
}

function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
