/**
 * A TCP proxy on a local port to a real server (PostgreSQL, say), for tests where the server must
 * appear late or vanish: `close()` refuses new connections and cuts the open ones, `open()` listens
 * on the same port again.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  open(): Promise<void>;
  close(): Promise<void>;
}

export function tcpProxy(port: number, target: URL): TcpProxy {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  return {
    port,
    open() {
      const opened = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      server = opened;
      return new Promise((resolve) => opened.listen(port, '127.0.0.1', () => resolve()));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
      server = undefined;
    },
  };
}
