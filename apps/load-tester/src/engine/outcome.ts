/** What came back for one request: an HTTP-like status, or a transport failure kind. */
export type Outcome = { status: number } | { error: string };

/** Error kinds for failures that never produced a status. */
export const TRANSPORT_ERRORS = Object.freeze({
  TIMEOUT: 'timeout',
  CONNECTION: 'connection',
  OTHER: 'other',
});

/** Sends one pre-encoded body and calls back exactly once; `close` frees sockets and clients. */
export interface Target {
  readonly kind: 'http' | 'sagemaker' | 'lambda';
  send(body: Buffer, done: (outcome: Outcome) => void): void;
  /** Cold-start figures for in-process handlers (ms), measured before the first scheduled request. */
  readonly cold?: { initMs: number; firstCallMs: number };
  close(): Promise<void>;
}
