import net from 'node:net';

/**
 * A TCP proxy between clients and the server, for tests: it can take a
 * client offline (every connection cut, new ones refused) and cut open
 * connections at random, as a flaky network does.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private online = true;
  private silent = false;
  private chaos: NodeJS.Timeout | null = null;
  /** Bytes written to clients on connections already closed (benchmarks: bytes on the wire). */
  private closedBytesToClients = 0;
  cuts = 0;

  private constructor(
    private readonly server: net.Server,
    readonly url: string,
    private readonly port: number,
  ) {}

  static async start(target: string): Promise<TcpProxy> {
    const { hostname, port } = new URL(target);
    let proxy: TcpProxy | null = null;
    const server = net.createServer((client) => {
      if (!proxy?.online) {
        client.destroy();
        return;
      }
      const upstream = net.connect(Number(port), hostname);
      proxy.track(client, upstream);
      if (!proxy.silent) proxy.flow(client, upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as net.AddressInfo;
    proxy = new TcpProxy(server, `http://127.0.0.1:${address.port}`, address.port);
    return proxy;
  }

  private flow(client: net.Socket, upstream: net.Socket): void {
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private track(client: net.Socket, upstream: net.Socket): void {
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    client.once('close', () => {
      this.pairs.delete(pair);
      this.closedBytesToClients += client.bytesWritten;
    });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  }

  /** Every byte the server sent through this proxy so far, as it went over the wire (compressed or not). */
  get bytesToClients(): number {
    let open = 0;
    for (const [client] of this.pairs) open += client.bytesWritten;
    return this.closedBytesToClients + open;
  }

  /** Cuts every open connection now. */
  cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.cuts++;
  }

  /**
   * Offline closes the listening socket too, so new connections are refused
   * at once (ECONNREFUSED), as for a server that is down.
   */
  async setOnline(online: boolean): Promise<void> {
    if (online === this.online) return;
    this.online = online;
    if (online) {
      await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    } else {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.cutAll();
      await closed;
    }
  }

  /**
   * A silent partition: connections stay open (and new ones are accepted) but
   * no byte passes either way until it ends; what was sent meanwhile then
   * arrives, as TCP delivers it after a short outage.
   */
  setSilent(silent: boolean): void {
    if (silent === this.silent) return;
    this.silent = silent;
    for (const [client, upstream] of this.pairs) {
      if (silent) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      } else this.flow(client, upstream);
    }
  }

  /** Every `everyMs` on average, cuts one random open connection. */
  startChaos(everyMs: number, random: () => number = Math.random): void {
    this.stopChaos();
    const tick = () => {
      const open = [...this.sockets];
      if (open.length > 0) {
        open[Math.floor(random() * open.length)]!.destroy();
        this.cuts++;
      }
      this.chaos = setTimeout(tick, everyMs / 2 + random() * everyMs);
    };
    this.chaos = setTimeout(tick, everyMs);
  }

  stopChaos(): void {
    if (this.chaos) clearTimeout(this.chaos);
    this.chaos = null;
  }

  async close(): Promise<void> {
    this.stopChaos();
    await this.setOnline(false);
  }
}
