// Reaching the queue's Redis server. bnx checks once, quickly, before it starts (a wrong host, port or
// password is one clear line, not a client retrying forever); after that BullMQ's clients reconnect on
// their own through network trouble, and their errors are reported without the password.
import { BnxError } from '@bnx/ir';
import { hidePassword, type QueueTarget } from './queue-url.js';

const CONNECT_TIMEOUT_MS = 5000;

export function errorText(err: unknown, target: QueueTarget): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  return hidePassword(message, target.connection);
}

/** Connects, logs in and pings; throws a BnxError naming the queue by its label when that fails. */
export async function checkQueueServer(target: QueueTarget, flag = '--queue'): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({
    ...target.connection,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  client.on('error', (err: unknown) => {
    lastError = err;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const cause = errorText(lastError ?? err, target);
    throw new BnxError(`${flag} ${target.label}: cannot use the queue's Redis server (${cause})`, 'E_QUEUE_CONNECT');
  } finally {
    client.disconnect();
  }
}

/**
 * An 'error' listener for BullMQ's clients: without one an error event would crash the process. Each
 * distinct message is shown once (a server that is down would otherwise fill the log with the same line).
 */
export function reportClientErrors(target: QueueTarget, write: (line: string) => void): (err: unknown) => void {
  const seen = new Set<string>();
  return (err) => {
    const text = errorText(err, target);
    if (seen.has(text)) return;
    seen.add(text);
    write(`bnx: queue ${target.label}: ${text}`);
  };
}
