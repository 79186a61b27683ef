import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted portal API on 127.0.0.1 for the `gongkai pull` unit tests: the change feed, manifests
 * and files of the bundles it is given, with strong ETags and 304s like the real one, a log of every
 * request, and faults a test can inject into any answer.
 */

/** A fault for one answer. */
export type Fault =
  | { kind: 'status'; status: number }
  /** Announces the full Content-Length, sends half the body, closes the connection. */
  | { kind: 'truncate' }
  /** Sends other bytes of the same length (and an ETag that matches them: the server lies consistently). */
  | { kind: 'corrupt' }
  /** Never answers (the client's time-out must fire). */
  | { kind: 'hang' };

export interface FakeBundle {
  bundleId: string;
  manifest: Record<string, unknown>;
  files: Map<string, Uint8Array>;
}

export interface FakeEvent {
  type: 'PUBLISHED' | 'WITHDRAWN' | 'SUPERSEDED' | 'CORRECTED';
  bundleId: string;
  validity?: 'VALID' | 'EXPIRED' | 'REPEALED';
  explanation?: string;
  supersededBy?: string;
}

/** A valid-looking ULID for test bundle `n`. */
export function bundleIdOf(n: number): string {
  return `01HX${String(n).padStart(22, '0')}`;
}

function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

function etagOf(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/** A bundle with a policy and one interpretation, each as HTML and text. */
export function aBundle(
  n: number,
  overrides: { files?: Record<string, string>; fileNames?: string[] } = {},
): FakeBundle {
  const bundleId = bundleIdOf(n);
  const contents = overrides.files ?? {
    'policy.html': `<!doctype html><html lang="zh-CN"><title>政策 ${n}</title><p>原文 ${n}</p></html>`,
    'policy.txt': `关于第 ${n} 号政策的通知\n`,
    'interpretation-1.html': `<!doctype html><html lang="zh-CN"><title>解读 ${n}</title><p>解读 ${n}</p></html>`,
    'interpretation-1.txt': `第 ${n} 号政策解读\n`,
  };
  const files = new Map(
    Object.entries(contents).map(([name, text]) => [name, new TextEncoder().encode(text)]),
  );
  const names = overrides.fileNames ?? [...files.keys()];
  const manifest = {
    formatVersion: '1.0',
    bundleId,
    submissionId: bundleId,
    revision: 1,
    indexNumber: `640100-141/2024-${String(n).padStart(5, '0')}`,
    title: `第 ${n} 号政策`,
    issuingBody: '银川市大数据产业发展服务中心',
    responsibleDepartment: '综合科',
    writtenDate: '2024-01-02',
    publishedAt: `2024-01-03T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
    publishedDate: '2024-01-03',
    subjectCategory: '综合政务',
    files: names.map((name, index) => {
      const body = [...files.values()][index] ?? new Uint8Array();
      return {
        name,
        role: 'policy',
        document: 'policy',
        mediaType: 'text/plain',
        sha256: sha256Hex(body),
        size: body.byteLength,
      };
    }),
  };
  return {
    bundleId,
    manifest,
    files: new Map(names.map((name, index) => [name, [...files.values()][index]!])),
  };
}

export interface LoggedRequest {
  path: string;
  ifNoneMatch?: string;
  status: number;
}

export class FakePortal {
  readonly bundles = new Map<string, FakeBundle>();
  readonly events: (FakeEvent & { sequence: number })[] = [];
  readonly requests: LoggedRequest[] = [];
  /** Decides a fault for a request path (called once per request). */
  fault: (path: string) => Fault | undefined = () => undefined;
  /** Called before a file is served (the interrupted-run test kills its child here). */
  onFile: (path: string) => void | Promise<void> = () => undefined;
  private server: Server | undefined;
  private hung: ServerResponse[] = [];
  url = '';

  publish(bundle: FakeBundle): void {
    this.bundles.set(bundle.bundleId, bundle);
    this.append({ type: 'PUBLISHED', bundleId: bundle.bundleId });
  }

  append(event: FakeEvent): void {
    this.events.push({ ...event, sequence: this.events.length + 1 });
  }

  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number {
    return this.requests.filter((request) => request.path.startsWith(prefix)).length;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.answer(request, response);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.hung) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const ifNoneMatch = request.headers['if-none-match'];
    const log: LoggedRequest = {
      path: url.pathname,
      status: 200,
      ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
    };
    this.requests.push(log);
    const fault = this.fault(url.pathname);
    const send = (status: number, body: Uint8Array, type = 'application/json; charset=utf-8') => {
      log.status = status;
      if (fault?.kind === 'status') {
        log.status = fault.status;
        response.writeHead(fault.status, { 'content-type': 'text/plain' }).end('busy');
        return;
      }
      if (fault?.kind === 'hang') {
        this.hung.push(response);
        return;
      }
      const etag = etagOf(body);
      if (status === 200 && ifNoneMatch === etag) {
        log.status = 304;
        response.writeHead(304, { etag }).end();
        return;
      }
      if (fault?.kind === 'truncate') {
        response.writeHead(status, { 'content-type': type, 'content-length': String(body.byteLength), etag });
        response.write(body.subarray(0, Math.floor(body.byteLength / 2)));
        response.socket?.destroy();
        return;
      }
      if (fault?.kind === 'corrupt') {
        const other = new Uint8Array(body);
        other[0] = (other[0] ?? 0) ^ 0xff;
        response
          .writeHead(status, {
            'content-type': type,
            'content-length': String(other.byteLength),
            etag: etagOf(other),
          })
          .end(other);
        return;
      }
      response
        .writeHead(status, { 'content-type': type, 'content-length': String(body.byteLength), etag })
        .end(body);
    };
    const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

    if (url.pathname === '/portal/changes') {
      const after = Number(url.searchParams.get('after') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? '100');
      const items = this.events
        .filter((event) => event.sequence > after)
        .slice(0, limit)
        .map((event) => ({
          formatVersion: '1.0',
          eventId: `${event.type}#${event.bundleId}#${event.sequence}`,
          at: '2024-01-03T00:00:00.000Z',
          validity: event.validity ?? 'VALID',
          manifestKey: `bundles/${event.bundleId}/manifest.json`,
          ...event,
        }));
      send(200, json({ formatVersion: '1.0', items, nextCursor: items.at(-1)?.sequence ?? after }));
      return;
    }
    const manifest = /^\/portal\/bundles\/([^/]+)\/manifest$/.exec(url.pathname);
    if (manifest !== null) {
      const bundle = this.bundles.get(decodeURIComponent(manifest[1]!));
      if (bundle === undefined) send(404, json({ message: 'no such bundle' }));
      else send(200, json(bundle.manifest));
      return;
    }
    const file = /^\/portal\/bundles\/([^/]+)\/files\/([^/]+)$/.exec(url.pathname);
    if (file !== null) {
      await this.onFile(url.pathname);
      const body = this.bundles.get(decodeURIComponent(file[1]!))?.files.get(decodeURIComponent(file[2]!));
      if (body === undefined) send(404, json({ message: 'no such file' }));
      else send(200, body, 'text/plain; charset=utf-8');
      return;
    }
    send(404, json({ message: 'no such route' }));
  }
}
