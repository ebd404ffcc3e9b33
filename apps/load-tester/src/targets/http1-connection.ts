import net from 'node:net';

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
/** A response head bigger than this is not something our targets send; the connection is dropped. */
const MAX_HEAD = 64 * 1024;

const enum State {
  Head,
  Body,
  ChunkSize,
  ChunkData,
  Trailer,
  UntilClose,
}

/** Called once per request: an HTTP status, or a failure kind. */
export type Settle = (result: { status: number } | { error: FailureKind }) => void;

/** Why a request ended without a response. */
export type FailureKind = 'connection' | 'other' | 'timeout';

/**
 * One keep-alive HTTP/1.1 connection carrying one request at a time, with a minimal response
 * parser (status line, Content-Length, chunked, close-delimited). Only the status and the end
 * of the response matter to a load generator, so nothing else is parsed or kept.
 */
export class Http1Connection {
  readonly socket: net.Socket;
  /** Date.now() when the request in flight was written, for the timeout sweep. */
  startedAt = 0;
  private settle: Settle | undefined;
  private state = State.Head;
  private rest: Buffer | undefined;
  private status = 0;
  private remaining = 0;
  private closeAfter = false;
  private dead = false;
  /** Whether the TCP connection was ever established (a refused connect fails a queued request instead). */
  connected = false;

  constructor(opts: {
    host: string;
    port: number;
    onIdle: (c: Http1Connection) => void;
    onGone: (c: Http1Connection) => void;
  }) {
    this.socket = net.connect({ host: opts.host, port: opts.port, noDelay: true });
    this.socket.once('connect', () => {
      this.connected = true;
      opts.onIdle(this);
    });
    this.socket.on('data', (chunk: Buffer) => {
      if (!this.parse(chunk)) this.fail('other');
      else if (this.settle === undefined && !this.dead && !this.socket.destroyed) opts.onIdle(this);
    });
    const gone = (): void => {
      if (this.dead) return;
      this.dead = true;
      if (this.state === State.UntilClose && this.settle !== undefined) this.complete();
      else this.fail('connection');
      opts.onGone(this);
    };
    this.socket.on('error', gone);
    this.socket.on('close', gone);
  }

  /** Whether a request is in flight. */
  get busy(): boolean {
    return this.settle !== undefined;
  }

  /** Writes a full pre-encoded request (head and body). */
  send(request: Buffer, settle: Settle): void {
    this.settle = settle;
    this.startedAt = Date.now();
    this.state = State.Head;
    this.socket.write(request);
  }

  /** Ends the request in flight with `error` and drops the connection. */
  fail(error: FailureKind): void {
    const settle = this.settle;
    this.settle = undefined;
    if (!this.dead) this.socket.destroy();
    settle?.({ error });
  }

  private complete(): void {
    const settle = this.settle;
    this.settle = undefined;
    this.state = State.Head;
    if (this.closeAfter) this.socket.destroy();
    settle?.({ status: this.status });
  }

  /** Consumes a chunk; false on a protocol error. */
  private parse(chunk: Buffer): boolean {
    const buf = this.rest === undefined ? chunk : Buffer.concat([this.rest, chunk]);
    this.rest = undefined;
    let off = 0;
    while (off < buf.length) {
      if (this.settle === undefined) return false;
      switch (this.state) {
        case State.Head: {
          const end = buf.indexOf(HEAD_END, off);
          if (end < 0) return this.keep(buf, off, MAX_HEAD);
          if (!this.readHead(buf.toString('latin1', off, end))) return false;
          off = end + 4;
          if ((this.state as State) === State.Body && this.remaining === 0) this.complete();
          break;
        }
        case State.Body:
        case State.ChunkData: {
          const take = Math.min(this.remaining, buf.length - off);
          off += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            if (this.state === State.Body) this.complete();
            else this.state = State.ChunkSize;
          }
          break;
        }
        case State.ChunkSize:
        case State.Trailer: {
          const eol = buf.indexOf(CRLF, off);
          if (eol < 0) return this.keep(buf, off, 1024);
          const line = buf.toString('latin1', off, eol);
          off = eol + 2;
          if (this.state === State.Trailer) {
            if (line === '') this.complete();
            break;
          }
          const size = parseInt(line, 16);
          if (!Number.isFinite(size) || size < 0) return false;
          if (size === 0) this.state = State.Trailer;
          else {
            this.remaining = size + 2;
            this.state = State.ChunkData;
          }
          break;
        }
        case State.UntilClose:
          off = buf.length;
          break;
      }
    }
    return true;
  }

  private keep(buf: Buffer, off: number, max: number): boolean {
    this.rest = buf.subarray(off);
    return this.rest.length <= max;
  }

  private readHead(head: string): boolean {
    if (!head.startsWith('HTTP/1.')) return false;
    this.status = Number(head.slice(9, 12));
    if (!(this.status >= 100 && this.status < 600)) return false;
    if (this.status < 200) {
      this.state = State.Head;
      return true;
    }
    const lower = head.toLowerCase();
    this.closeAfter = lower.includes('\r\nconnection: close') || head.startsWith('HTTP/1.0');
    if (this.status === 204 || this.status === 304) {
      this.state = State.Body;
      this.remaining = 0;
    } else if (lower.includes('\r\ntransfer-encoding: chunked')) this.state = State.ChunkSize;
    else {
      const at = lower.indexOf('\r\ncontent-length:');
      if (at < 0) this.state = State.UntilClose;
      else {
        const eol = lower.indexOf('\r\n', at + 17);
        this.remaining = parseInt(lower.slice(at + 17, eol < 0 ? undefined : eol), 10);
        if (!Number.isFinite(this.remaining) || this.remaining < 0) return false;
        this.state = State.Body;
      }
    }
    return true;
  }
}
