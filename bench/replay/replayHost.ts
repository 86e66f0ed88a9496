/**
 * Replay servers in a child process of their own, so the bench's process holds only what the
 * extension would (its heap is measured) and serving costs none of its time. `startReplay` forks
 * this file; the child answers on unix sockets and takes orders over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { ReplayServer } from './replayServer';
import { ReplayState, type ReplaySize } from './replayState';
import { readShapes } from './shapes';

export interface ReplayHostSpec extends ReplaySize {
  socketPath: string;
}

type Order =
  | { op: 'start'; engine: string; delayMs: number; hosts: ReplayHostSpec[] }
  | { op: 'toggle'; seq: number; host: string; container: number; network: number }
  | { op: 'storm'; seq: number; host: string; count: number; intervalMs: number };

type Reply = { seq: number; timeNano?: number; error?: string };

/** The parent's handle: orders to the child, answers by sequence number. */
export class Replay {
  private seq = 0;
  private readonly waiting = new Map<number, (reply: Reply) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      this.waiting.get(reply.seq)?.(reply);
      this.waiting.delete(reply.seq);
    });
  }

  static async start(engine: string, delayMs: number, hosts: ReplayHostSpec[]): Promise<Replay> {
    const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const replay = new Replay(child);
    await replay.send({ op: 'start', engine, delayMs, hosts });
    return replay;
  }

  /** Connects (or disconnects) the host's container to the network; resolves with the event's timeNano. */
  async toggle(host: string, container: number, network: number): Promise<number> {
    return (await this.send({ op: 'toggle', host, container, network })).timeNano!;
  }

  /** `count` toggles on one host, `intervalMs` apart; resolves when all were sent. */
  async storm(host: string, count: number, intervalMs: number): Promise<void> {
    await this.send({ op: 'storm', host, count, intervalMs });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }

  private send(order: Omit<Order, 'seq'> | Order): Promise<Reply> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, (reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply)));
      this.child.send({ ...order, seq });
    });
  }
}

// ---- the child -------------------------------------------------------------------------------

if (require.main === module) {
  const servers = new Map<string, ReplayServer>();
  const reply = (message: Reply) => process.send!(message);
  process.on('message', (order: Order & { seq: number }) => {
    void (async () => {
      try {
        if (order.op === 'start') {
          const shapes = readShapes(order.engine);
          for (const spec of order.hosts) {
            const server = new ReplayServer(new ReplayState(shapes, spec), spec.socketPath, order.delayMs);
            await server.listen();
            servers.set(spec.host, server);
          }
          return reply({ seq: order.seq });
        }
        const server = servers.get(order.host);
        if (!server) throw new Error(`no replay host ${order.host}`);
        if (order.op === 'toggle') return reply({ seq: order.seq, timeNano: server.toggle(order.container, order.network) });
        for (let i = 0; i < order.count; i++) {
          server.toggle(i, i * 7 + 1);
          await new Promise((resolve) => setTimeout(resolve, order.intervalMs));
        }
        reply({ seq: order.seq });
      } catch (error) {
        reply({ seq: order.seq, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  process.on('SIGTERM', () => void Promise.all([...servers.values()].map((server) => server.close())).then(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
}
