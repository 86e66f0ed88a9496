/**
 * One ssh endpoint's host key check, as the Docker client's modems use it: ssh2's hostVerifier
 * (without one ssh2 accepts any key), the host key algorithms to ask for, and what the client
 * needs to explain a refusal and to not time out while the user is asked.
 */
import type { HostEndpoint } from '../hosts/dockerHost';
import { defaultKnownHostsFiles, knownKeyTypes, type HostKeyTrust } from '../ssh/hostKeyTrust';
import { preferredHostKeyAlgorithms } from '../ssh/knownHosts';
import { errorMessage } from '../util/errors';

type SshEndpoint = Extract<HostEndpoint, { kind: 'ssh' }>;

/** ssh2's words when a hostVerifier says no: the reason we gave is `refusal`. */
const SSH2_HOST_DENIED = 'Host denied (verification failed)';

export class SshHostCheck {
  private readonly files: string[];
  /** Why the last key was refused, to show instead of ssh2's bare "Host denied". */
  private refusal: string | undefined;
  /** When the user last answered a question about this host's key (0: never). */
  answeredAt = 0;
  /** Known key types first, as ssh orders HostKeyAlgorithms (read once, when the client is made). */
  readonly algorithms: ReturnType<typeof preferredHostKeyAlgorithms>;

  constructor(
    private readonly endpoint: SshEndpoint,
    private readonly trust: HostKeyTrust,
  ) {
    this.files = endpoint.knownHostsFiles ?? defaultKnownHostsFiles();
    this.algorithms = preferredHostKeyAlgorithms(knownKeyTypes(this.files, endpoint.host, endpoint.port));
  }

  /** ssh2's hostVerifier (no hostHash): the raw key blob in, the verdict out asynchronously. */
  readonly verify = (key: Buffer, done: (accept: boolean) => void): void => {
    const pending = this.trust.decide(this.endpoint, key, this.files);
    const askedUser = this.askingUser();
    pending.then(
      (decision) => {
        this.refusal = decision.accept ? undefined : decision.reason;
        if (askedUser) this.answeredAt = Date.now();
        done(decision.accept);
      },
      (error: unknown) => {
        this.refusal = `the ssh host key could not be checked: ${errorMessage(error)}`;
        done(false);
      },
    );
  };

  /** True while the user is asked about this host's key. */
  askingUser(): boolean {
    return this.trust.isAsking(this.endpoint.host, this.endpoint.port);
  }

  /** An explicit Retry: a declined key is asked about again. */
  forgetDeclined(): void {
    this.trust.forgetDeclined(this.endpoint.host, this.endpoint.port);
  }

  /** Our reason, when `error` is ssh2 refusing the connection because we said no. */
  refusalBehind(error: unknown): string | undefined {
    const text = errorMessage(error);
    return this.refusal && text.includes(SSH2_HOST_DENIED) ? this.refusal : undefined;
  }
}
