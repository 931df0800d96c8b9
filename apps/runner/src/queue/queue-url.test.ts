import { describe, expect, it } from 'vitest';
import { hidePassword, parseQueueUrl } from './queue-url.js';

describe('--queue URL', () => {
  it('reads host, port, database, user and password; the label hides the password', () => {
    const target = parseQueueUrl('redis://alice:s%40cret@queue.lab:6380/2', {});
    expect(target.connection).toEqual({ host: 'queue.lab', port: 6380, db: 2, username: 'alice', password: 's@cret' });
    expect(target.label).toBe('redis://alice:***@queue.lab:6380/2');
    expect(parseQueueUrl('redis://127.0.0.1', {}).connection).toEqual({ host: '127.0.0.1', port: 6379, db: 0 });
  });

  it('rediss:// turns on TLS, checked against the host name', () => {
    const target = parseQueueUrl('rediss://:pw@redis.example.org:6380', {});
    expect(target.connection.tls).toEqual({ servername: 'redis.example.org' });
    expect(target.label).toBe('rediss://:***@redis.example.org:6380/0');
    expect(parseQueueUrl('rediss://127.0.0.1:6380', {}).connection.tls).toEqual({});
  });

  it('takes the password from BNX_QUEUE_PASSWORD when the URL has none', () => {
    expect(parseQueueUrl('redis://h:1', { BNX_QUEUE_PASSWORD: 'from-env' }).connection.password).toBe('from-env');
    expect(parseQueueUrl('redis://:in-url@h:1', { BNX_QUEUE_PASSWORD: 'from-env' }).connection.password).toBe('in-url');
  });

  it('refuses what it cannot use, without echoing the text (it may hold a password)', () => {
    expect(() => parseQueueUrl('http://:topsecret@h', {})).toThrow(/the scheme http:\/\/ is not supported/);
    expect(() => parseQueueUrl(':topsecret@h', {})).toThrow(/--queue: not a URL/);
    expect(() => parseQueueUrl('redis://h/queue', {})).toThrow(/the database 'queue' is not a number/);
    for (const text of ['http://:topsecret@h', ':topsecret@h']) {
      try {
        parseQueueUrl(text, {});
      } catch (err) {
        expect((err as Error).message).not.toContain('topsecret');
      }
    }
  });

  it('hidePassword removes the password in every form from a message', () => {
    expect(hidePassword('auth a b@c failed for a%20b%40c and a b@c', { password: 'a b@c' })).toBe('auth *** failed for *** and ***');
    expect(hidePassword('nothing here', {})).toBe('nothing here');
  });
});
