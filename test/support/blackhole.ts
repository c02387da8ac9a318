/** A TCP server that accepts connections and never answers (a Relay that hangs): calls to it run until their deadline. */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Blackhole {
  /** "127.0.0.1:<port>". */
  address: string;
  /** Connections accepted so far (still open). */
  held: Set<net.Socket>;
  close(): Promise<void>;
}

export async function startBlackhole(): Promise<Blackhole> {
  const server = net.createServer(() => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const held = new Set<net.Socket>();
  server.on('connection', (c) => held.add(c));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    close: () =>
      new Promise<void>((r) => {
        for (const c of held) c.destroy();
        server.close(() => r());
      }),
  };
}
