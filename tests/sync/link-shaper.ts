/**
 * One direction of a slow network link, for the test proxy: bytes leave at
 * most at `bitsPerSecond` (a token bucket without burst: each segment waits
 * for the link to be free, then occupies it for size / rate) and arrive
 * `oneWayDelayMs` after they left. Segments arrive in the order they were
 * sent, as over one TCP connection.
 */
export interface LinkShape {
  bitsPerSecond: number;
  /** Half the round trip: each direction has its own link. */
  oneWayDelayMs: number;
}

/** The clock a link runs on; tests pass a manual one. */
export interface LinkClock {
  now(): number;
  /** Calls `run` after `ms`; returns a function that cancels it. */
  after(ms: number, run: () => void): () => void;
}

export const realClock: LinkClock = {
  now: () => performance.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

/** Larger chunks are cut into segments of this size, so a 64 KiB read does not arrive as one lump. */
export const SEGMENT_BYTES = 16 * 1024;

/**
 * The bandwidth of one direction of a line, shared by every connection over it (as behind one access line):
 * when it has sent everything queued on it so far. A link of its own by default.
 */
export class LineCapacity {
  freeAt = 0;
}

interface InFlight {
  bytes: Buffer;
  arrivesAt: number;
}

export class ShapedLink {
  private readonly inFlight: InFlight[] = [];
  private cancelTimer: (() => void) | null = null;
  private closed = false;
  /** The receiver takes no more for now (`holdDeliveries`): what arrives waits for `resumeDeliveries`. */
  private held = false;
  private readonly waitingForEmpty: (() => void)[] = [];
  /** Bytes sent but not delivered yet (for backpressure on the sending side). */
  queuedBytes = 0;

  constructor(
    private readonly shape: LinkShape,
    private readonly deliver: (bytes: Buffer) => void,
    private readonly clock: LinkClock = realClock,
    /** Called after each delivery, so a sender paused on `queuedBytes` may go on. */
    private readonly onDelivered: () => void = () => undefined,
    /** The line's bandwidth, when other links share it; segments take turns on it in the order they are sent. */
    private readonly line: LineCapacity = new LineCapacity(),
  ) {
    if (!(shape.bitsPerSecond > 0)) throw new Error(`A link needs a positive bit rate; got ${shape.bitsPerSecond}.`);
    if (!(shape.oneWayDelayMs >= 0)) throw new Error(`A link's delay cannot be negative; got ${shape.oneWayDelayMs}.`);
  }

  /** When `bytes` sent now would have arrived entirely (ms on the link's clock). */
  send(bytes: Buffer): number {
    let arrivesAt = this.clock.now();
    for (let offset = 0; offset < bytes.length; offset += SEGMENT_BYTES) {
      const segment = bytes.subarray(offset, offset + SEGMENT_BYTES);
      const leavesAt =
        Math.max(this.clock.now(), this.line.freeAt) + (segment.length * 8 * 1000) / this.shape.bitsPerSecond;
      this.line.freeAt = leavesAt;
      arrivesAt = leavesAt + this.shape.oneWayDelayMs;
      this.inFlight.push({ bytes: segment, arrivesAt });
      this.queuedBytes += segment.length;
    }
    this.schedule();
    return arrivesAt;
  }

  /** Runs `run` once everything sent so far has arrived (at once when nothing is on the way). */
  whenDelivered(run: () => void): void {
    if (this.inFlight.length === 0 || this.closed) run();
    else this.waitingForEmpty.push(run);
  }

  /**
   * The receiver's buffer is full (a socket's `write` returned false): what arrives from now on waits for
   * `resumeDeliveries`, counted in `queuedBytes`, so the sender pauses behind it as a closed TCP window makes
   * it. Without it a receiver that reads slower than the link took everything into memory, and the sender
   * never waited. Call it from inside `deliver` too.
   */
  holdDeliveries(): void {
    this.held = true;
  }

  /** The receiver drained: what arrived meanwhile is delivered now, in order, and the rest on time. */
  resumeDeliveries(): void {
    if (!this.held) return;
    this.held = false;
    this.deliverDue();
  }

  /** Drops what is still on the way (the connection is gone). */
  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.inFlight.length = 0;
    this.queuedBytes = 0;
  }

  /** One timer for the head of the queue: arrival times never decrease, so the head is always next. */
  private schedule(): void {
    if (this.cancelTimer || this.closed || this.held) return;
    const head = this.inFlight[0];
    if (!head) return;
    this.cancelTimer = this.clock.after(Math.max(0, head.arrivesAt - this.clock.now()), () => {
      this.cancelTimer = null;
      this.deliverDue();
    });
  }

  private deliverDue(): void {
    const now = this.clock.now();
    while (!this.closed && !this.held && this.inFlight[0] && this.inFlight[0].arrivesAt <= now) {
      const { bytes } = this.inFlight.shift()!;
      this.queuedBytes -= bytes.length;
      this.deliver(bytes);
    }
    if (!this.closed) this.onDelivered();
    if (this.inFlight.length === 0) for (const run of this.waitingForEmpty.splice(0)) run();
    this.schedule();
  }
}
