// A real redis-server for the queue tests: started on a free loopback port, without persistence, in a
// temporary folder, and stopped by the test. Where redis-server is not installed the tests are skipped with
// a warning, except in CI (CI=true), where its absence fails the run: the queue is never silently untested.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function redisServerInstalled(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  if (process.env.CI === 'true')
    throw new Error('CI=true but redis-server is not installed: the queue tests need it (apt-get install redis-server); .ci/run installs it');
  process.stderr.write('warning: redis-server is not installed; the queue tests are SKIPPED (apt-get install redis-server to run them)\n');
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RedisServer {
  port: number;
  /** redis://127.0.0.1:PORT, rediss:// with TLS, with the password when one was set. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A self-signed certificate for 127.0.0.1, made with the openssl command; trust it in a child process with
 * NODE_EXTRA_CA_CERTS=<cert>.
 */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=bnx-test',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr}`);
  return { cert, key };
}

export async function startRedisServer(options: { password?: string; tls?: { cert: string; key: string } } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bnx-redis-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const listen = options.tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          options.tls.cert,
          '--tls-key-file',
          options.tls.key,
          '--tls-ca-cert-file',
          options.tls.cert,
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(port)];
    const args = [
      ...listen,
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...(options.password ? ['--requirepass', options.password] : []),
    ];
    const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = await new Promise<boolean>((resolve) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve(true);
      };
      child.stdout!.on('data', onData);
      child.once('exit', () => resolve(false));
      setTimeout(() => resolve(false), 10_000);
    });
    if (!ready) {
      child.kill('SIGKILL');
      if (attempt < 3) continue; // the port was taken between the probe and the start
      throw new Error(`redis-server did not start on 127.0.0.1:${port}`);
    }
    const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
    return {
      port,
      url: `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    };
  }
}
