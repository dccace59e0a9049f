import { connect, type Socket } from 'node:net';

/** A raw TCP connection to a local HTTP server, for clients that stall, stay silent or send bad bytes. */
export interface RawClient {
  readonly socket: Socket;
  /** Resolves when the server closes the connection, with what it sent and the seconds since opening. */
  readonly closed: Promise<{ received: string; seconds: number }>;
}

/** Connects to 127.0.0.1:`port` (rejects if refused) and sends `send` (nothing if empty), then waits. */
export async function rawClient(port: number, send: string): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve).once('error', reject);
  });
  const opened = performance.now();
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => {});
  const closed = new Promise<{ received: string; seconds: number }>((resolve) =>
    socket.once('close', () => resolve({ received, seconds: (performance.now() - opened) / 1000 })),
  );
  if (send !== '') socket.write(send);
  return { socket, closed };
}

/** The headers of a `POST /v1/predict` whose JSON body is announced as `length` bytes. */
export const predictHead = (port: number, length: number): string =>
  `POST /v1/predict HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;

/** A predict request's headers and the start of a 100-byte body that never comes whole. */
export const stalledPredict = (port: number): string => `${predictHead(port, 100)}{"texts": ["a go`;
