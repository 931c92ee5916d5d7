import { PROTOCOL_VERSION, PROTOCOL_VERSION_HEADER } from '../../shared/protocol';

export interface SseEvent {
  event: string;
  data: unknown;
}

/** A minimal server-sent-events reader over fetch, for tests: collects events and waits for one. */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  ended = false;
  private waiters: (() => void)[] = [];
  private controller = new AbortController();

  static async connect(url: string, token: string): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(`${url}/v1/sync/stream`, {
      headers: { authorization: `Bearer ${token}`, [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION) },
      signal: client.controller.signal,
    });
    client.status = response.status;
    if (!response.ok || !response.body) {
      client.ended = true;
      return client;
    }
    void client.read(response.body);
    await client.waitFor((e) => e.event === 'ready');
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
          this.events.push({ event, data: JSON.parse(data) });
          this.notify();
        }
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves with the first event matching `predicate` (already received or future). */
  async waitFor(predicate: (event: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (this.ended) throw new Error('stream ended before the expected event');
      if (Date.now() > deadline) throw new Error('no matching stream event in time');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async waitForEnd(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    this.controller.abort();
  }
}
