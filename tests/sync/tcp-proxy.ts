import net from 'node:net';
import { LineCapacity, ShapedLink, type LinkShape } from './link-shaper';

/** A slow network between the client and the server: bandwidth each way and the round trip. */
export interface NetworkShape {
  bitsPerSecond: number;
  roundTripMs: number;
  /**
   * Each connection gets the bandwidth for itself (before issue 16's streamed pulls, the only way): parallel
   * connections then carry several times the bit rate. By default the proxy is one line whose bandwidth
   * each way all its connections share, as behind one access line.
   */
  perConnection?: boolean;
}

/** A shaped direction stops reading its source while this much waits on the link (as a TCP window would). */
const SHAPED_HIGH_WATER_BYTES = 1024 * 1024;

/**
 * A TCP proxy between clients and the server, for tests: it can take a
 * client offline (every connection cut, new ones refused) and cut open
 * connections at random, as a flaky network does. With a `shape`, its
 * connections share that bandwidth each way and each has that delay.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  /** The shaped link delivering to each socket: when the other side closes, what is on the way still arrives. */
  private readonly linkTo = new Map<net.Socket, ShapedLink>();
  /** How each open pair's bytes flow now; calling it stops the flow (a silent partition). */
  private readonly flows = new Map<[net.Socket, net.Socket], () => void>();
  private online = true;
  private silent = false;
  /** Requests to swallow (see `stallRequests`) and how many more. */
  private stallRule: { request: RegExp; left: number; until: 'request' | 'answer-headers' } | null = null;
  /** Connections stalled by `stallRequests` so far. */
  stalled = 0;
  private chaos: NodeJS.Timeout | null = null;
  /** Bytes written to clients on connections already closed (benchmarks: bytes on the wire). */
  private closedBytesToClients = 0;
  cuts = 0;

  private constructor(
    private readonly server: net.Server,
    readonly url: string,
    private readonly port: number,
    private readonly shape: NetworkShape | undefined,
  ) {}

  /** The line's bandwidth toward the server and toward the clients, shared by every shaped connection. */
  private readonly line = { up: new LineCapacity(), down: new LineCapacity() };

  static async start(target: string, options: { shape?: NetworkShape } = {}): Promise<TcpProxy> {
    const { hostname, port } = new URL(target);
    let proxy: TcpProxy | null = null;
    const server = net.createServer((client) => {
      if (!proxy?.online) {
        client.destroy();
        return;
      }
      const upstream = net.connect(Number(port), hostname);
      const pair = proxy.track(client, upstream);
      if (!proxy.silent) proxy.flow(pair);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as net.AddressInfo;
    proxy = new TcpProxy(server, `http://127.0.0.1:${address.port}`, address.port, options.shape);
    return proxy;
  }

  private flow(pair: [net.Socket, net.Socket]): void {
    const [client, upstream] = pair;
    if (!this.shape && this.stallRule) {
      this.inspectingFlow(pair);
      return;
    }
    if (!this.shape) {
      client.pipe(upstream);
      upstream.pipe(client);
      this.flows.set(pair, () => {
        client.unpipe(upstream);
        upstream.unpipe(client);
      });
      return;
    }
    const link: LinkShape = { bitsPerSecond: this.shape.bitsPerSecond, oneWayDelayMs: this.shape.roundTripMs / 2 };
    const line = this.shape.perConnection ? { up: new LineCapacity(), down: new LineCapacity() } : this.line;
    const flows = [shapedFlow(client, upstream, link, line.up), shapedFlow(upstream, client, link, line.down)];
    this.linkTo.set(upstream, flows[0]!.link);
    this.linkTo.set(client, flows[1]!.link);
    this.flows.set(pair, () => flows.forEach((flow) => flow.stop()));
  }

  /** An unshaped flow that reads every request the client sends, to stall those `stallRequests` names. */
  private inspectingFlow(pair: [net.Socket, net.Socket]): void {
    const [client, upstream] = pair;
    let stalled = false;
    let answerHeaders: Buffer | null = null;
    const stall = () => {
      stalled = true;
      this.stalled++;
      // Half-open, as after a network change: no byte will ever pass again, and no close either.
      client.off('data', toServer);
      upstream.off('data', toClient);
      client.pause();
      upstream.pause();
    };
    const toServer = (bytes: Buffer) => {
      const rule = this.stallRule;
      if (rule && rule.left > 0 && rule.request.test(bytes.toString('latin1'))) {
        rule.left--;
        if (rule.until === 'request') return stall();
        answerHeaders = Buffer.alloc(0);
      }
      if (!upstream.write(bytes)) {
        client.pause();
        upstream.once('drain', () => client.resume());
      }
    };
    const toClient = (bytes: Buffer) => {
      if (answerHeaders) {
        // Let the answer's status and headers through (fetch resolves), then stall its body.
        answerHeaders = Buffer.concat([answerHeaders, bytes]);
        const end = answerHeaders.indexOf('\r\n\r\n');
        if (end < 0) return;
        client.write(answerHeaders.subarray(0, end + 4));
        return stall();
      }
      if (!client.write(bytes)) {
        upstream.pause();
        client.once('drain', () => upstream.resume());
      }
    };
    client.on('data', toServer);
    upstream.on('data', toClient);
    this.flows.set(pair, () => {
      if (stalled) return;
      client.off('data', toServer);
      upstream.off('data', toClient);
    });
  }

  /**
   * The next `count` requests whose bytes match `request` (e.g. `/^POST \/v1\/sync\/\w+\/pull /m`) stall
   * for good: their connection stays open and silent, with no close ever reaching the client. `until`
   * says how far they get first: the request is swallowed, or the answer's headers arrive but not its
   * body. Only connections opened after this call are read.
   */
  stallRequests(request: RegExp, count: number, until: 'request' | 'answer-headers' = 'request'): void {
    this.stallRule = { request, left: count, until };
  }

  private track(client: net.Socket, upstream: net.Socket): [net.Socket, net.Socket] {
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    client.once('close', () => {
      this.pairs.delete(pair);
      this.flows.delete(pair);
      this.closedBytesToClients += client.bytesWritten;
    });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        const peer = socket === client ? upstream : client;
        const link = this.linkTo.get(peer);
        this.linkTo.delete(socket);
        if (!link) {
          client.destroy();
          upstream.destroy();
          return;
        }
        // A shaped link still carries what the closed side sent last: close the peer once it arrived.
        link.whenDelivered(() => {
          this.linkTo.delete(peer);
          peer.end();
          setTimeout(() => peer.destroy(), 1000).unref();
        });
      });
    }
    return pair;
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
    for (const pair of this.pairs) {
      if (silent) {
        this.flows.get(pair)?.();
        this.flows.delete(pair);
        pair[0].pause();
        pair[1].pause();
      } else this.flow(pair);
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

/**
 * Carries `from`'s bytes to `to` over a shaped link; `stop` stops reading
 * (bytes already on the link still arrive, as in TCP).
 */
function shapedFlow(
  from: net.Socket,
  to: net.Socket,
  shape: LinkShape,
  line: LineCapacity,
): { link: ShapedLink; stop: () => void } {
  const link = new ShapedLink(
    shape,
    (bytes) => {
      if (!to.destroyed && !to.write(bytes)) link.holdDeliveries();
    },
    undefined,
    () => {
      if (from.isPaused() && link.queuedBytes < SHAPED_HIGH_WATER_BYTES / 2 && reading) from.resume();
    },
    line,
  );
  let reading = true;
  const onData = (bytes: Buffer) => {
    link.send(bytes);
    if (link.queuedBytes >= SHAPED_HIGH_WATER_BYTES) from.pause();
  };
  from.on('data', onData);
  const onDrain = () => link.resumeDeliveries();
  const onClose = () => link.close();
  to.on('drain', onDrain);
  to.once('close', onClose);
  from.resume();
  return {
    link,
    stop: () => {
      reading = false;
      from.off('data', onData);
      // A silent partition stops a flow and starts another on the same sockets: this link's listeners
      // go once its last bytes are delivered, so partitions do not pile them up.
      link.whenDelivered(() => {
        to.off('drain', onDrain);
        to.off('close', onClose);
      });
    },
  };
}
