import net from 'node:net';

/**
 * A loopback TCP proxy the demo puts between one app and the sync server, so it
 * can take that app offline for a moment and stage a real conflict.
 */
export async function startDemoProxy(
  target: string,
): Promise<{ url: string; setOnline(online: boolean): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let online = true;
  const server = net.createServer((client) => {
    if (!online) return void client.destroy();
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  const setOnline = (next: boolean) => {
    online = next;
    if (!next) for (const socket of sockets) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    setOnline,
    close: async () => {
      setOnline(false);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
