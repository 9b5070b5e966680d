import { type AddressInfo, createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 for tests that need a dependency to go away (a broker, a database) without
 * touching the shared server: `cut()` resets every connection and refuses new ones, `restore()` lets them
 * in again on the same port.
 *
 * @example
 * ```ts
 * const proxy = new TcpProxy('127.0.0.1', 5672);
 * const port = await proxy.start();
 * // connect the code under test to amqp://guest:guest@127.0.0.1:${port}
 * proxy.cut();
 * await proxy.restore();
 * await proxy.stop();
 * ```
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private refusing = false;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts listening on a free port of 127.0.0.1 and returns it. */
  async start(): Promise<number> {
    if (this.server) throw new Error('TcpProxy already started');
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Resets every open connection and refuses new ones until `restore()`, like a network cut. */
  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) reset(socket);
    this.sockets.clear();
  }

  /** Accepts connections again, on the same port (the listener never closed, so no one else can take it). */
  async restore(): Promise<void> {
    this.refusing = false;
  }

  /** Resets every connection and stops listening. */
  async stop(): Promise<void> {
    this.cut();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    // An 'error' without a listener would crash the test process; a reset is the point here.
    client.on('error', () => undefined);
    if (this.refusing) return reset(client);
    const upstream = connect(this.targetPort, this.targetHost);
    upstream.on('error', () => undefined);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      // Either side closing ends the pair, as a real TCP path would.
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

function reset(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
