// The `--queue` flag: where the Redis server behind the run queue is, and how to log in. The password may
// come in the URL (`redis://:PASSWORD@host:6379`) or, so that it stays out of the process list, from the
// BNX_QUEUE_PASSWORD environment variable. It is never printed: everything bnx shows names the queue by
// `label`, and error messages from the Redis client pass through `hidePassword`.
import { isIP } from 'node:net';
import { BnxError } from '@bnx/ir';

export const QUEUE_PASSWORD_ENV = 'BNX_QUEUE_PASSWORD';

/** The options BullMQ and ioredis take to connect (a subset of ioredis' RedisOptions). */
export interface QueueConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /**
   * Present for rediss://: TLS, checking the server's certificate against the system's CAs (plus any in
   * NODE_EXTRA_CA_CERTS). The server name is sent for host names only: TLS forbids it for IP addresses.
   */
  tls?: { servername?: string };
}

export interface QueueTarget {
  connection: QueueConnection;
  /** The URL without its password, for messages: `redis://host:6379/0`, `rediss://user:***@host:6380/0`. */
  label: string;
}

const USAGE = 'expected redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or rediss://… for TLS';

export function parseQueueUrl(text: string, env: NodeJS.ProcessEnv = process.env): QueueTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text itself is not echoed: it may hold a password.
    throw new BnxError(`--queue: not a URL; ${USAGE}`, 'E_CLI_QUEUE');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new BnxError(`--queue: the scheme ${url.protocol}// is not supported; ${USAGE}`, 'E_CLI_QUEUE');
  }
  if (url.hostname === '') throw new BnxError(`--queue: no host; ${USAGE}`, 'E_CLI_QUEUE');
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) throw new BnxError(`--queue: the database '${path}' is not a number; ${USAGE}`, 'E_CLI_QUEUE');
  if (url.search !== '' || url.hash !== '') throw new BnxError(`--queue: query strings and fragments are not supported; ${USAGE}`, 'E_CLI_QUEUE');
  const db = path === '' ? 0 : Number(path);
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const fromUrl = url.password === '' ? undefined : decodeURIComponent(url.password);
  const password = fromUrl ?? (env[QUEUE_PASSWORD_ENV] || undefined);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals lose their brackets for the client
  const secure = url.protocol === 'rediss:';
  const credentials = username !== undefined || password !== undefined ? `${username ?? ''}${password !== undefined ? ':***' : ''}@` : '';
  return {
    connection: {
      host,
      port,
      db,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(secure ? { tls: isIP(host) ? {} : { servername: host } } : {}),
    },
    label: `${url.protocol}//${credentials}${url.hostname}:${port}/${db}`,
  };
}

/** `message` with every occurrence of the password (as given and URL-encoded) replaced by ***. */
export function hidePassword(message: string, connection: Pick<QueueConnection, 'password'>): string {
  const secret = connection.password;
  if (secret === undefined || secret === '') return message;
  let out = message;
  for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  return out;
}
