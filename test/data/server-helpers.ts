/** A tiny local HTTP server that serves one file, with Range support and ways to misbehave. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const PATH = '/aclImdb_v1.tar.gz';

export interface ServerBehaviour {
  /** Answer Range requests with 200 and the whole file, as some servers do. */
  readonly ignoreRange?: boolean;
  /** For the first N requests, send the headers and half the body, then drop the connection. */
  readonly cutFirst?: number;
  /** For the first N requests, send the headers and half the body, then go silent. */
  readonly stallFirst?: number;
}

export interface FileServer {
  readonly url: string;
  /** The Range header of each request, or null when it had none. */
  readonly ranges: (string | null)[];
  close(): Promise<void>;
}

/** Serves `body` at `${url}`, on 127.0.0.1 and a free port. */
export async function serveFile(body: Buffer, behaviour: ServerBehaviour = {}): Promise<FileServer> {
  const ranges: (string | null)[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const range = request.headers.range ?? null;
    ranges.push(range);
    if (request.url !== PATH) {
      response.writeHead(404).end();
      return;
    }
    const match = range === null || behaviour.ignoreRange ? null : /^bytes=(\d+)-$/.exec(range);
    const start = match ? Number(match[1]) : 0;
    if (match && start >= body.length) {
      response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const part = body.subarray(start);
    const headers: Record<string, string | number> = {
      'content-type': 'application/gzip',
      'content-length': part.length,
      'accept-ranges': 'bytes',
    };
    if (match) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    response.writeHead(match ? 206 : 200, headers);
    if (ranges.length <= (behaviour.stallFirst ?? 0)) {
      response.write(part.subarray(0, Math.floor(part.length / 2)));
      return;
    }
    if (ranges.length <= (behaviour.cutFirst ?? 0)) {
      response.write(part.subarray(0, Math.floor(part.length / 2)), () => {
        setTimeout(() => request.socket.destroy(), 20);
      });
      return;
    }
    response.end(part);
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${PATH}`,
    ranges,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
