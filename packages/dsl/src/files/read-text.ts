// Reading the text files a user hands to bnx (.bnx sources here; the runner's results.json, plan.json and run
// records too). A path that
// is a directory, a device, a binary file or text in another encoding gets one line that says so and where,
// instead of a parser's page of "unexpected character" errors or Node's "EISDIR: illegal operation".
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';
import { fsErrorCode, fsErrorReason } from './fs-errors.js';

/** Why a file cannot be read as text. The message is a phrase that follows "cannot read 'PATH': ". */
export class TextFileError extends Error {
  override readonly name = 'TextFileError';
  constructor(
    message: string,
    /** 'ENOENT' for a missing file, as Node's own errors say it (callers print "no such file"). */
    readonly code: string,
  ) {
    super(message);
  }
}

/** Line and column (1-based) of byte `offset`, counting columns in characters as the .bnx diagnostics do. */
function position(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, offset);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (before[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = before.subarray(lineStart).toString('utf8').length + 1;
  return { line, column };
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    let extra: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      extra = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      extra = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      extra = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + extra >= bytes.length) return i; // the sequence is cut off by the end of the file
    let code = b & (0xff >> (extra + 2));
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += extra + 1;
  }
  return -1;
}

/** Checks that `bytes` are UTF-8 text; `what` names the file's kind in the message ("a .bnx file"). */
export function assertUtf8Text(bytes: Uint8Array, what: string): void {
  // Windows PowerShell's `>` writes UTF-16 with a byte-order mark; say so rather than "binary".
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new TextFileError('it is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8', 'E_ENCODING');
  }
  const zero = bytes.indexOf(0);
  if (zero >= 0) {
    const at = position(bytes, zero);
    throw new TextFileError(`it is a binary file, not ${what} (a zero byte at line ${at.line}, column ${at.column})`, 'E_BINARY');
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const at = position(bytes, bad);
    const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
    throw new TextFileError(`it is not UTF-8 text (byte 0x${hex} at line ${at.line}, column ${at.column}); save it as UTF-8`, 'E_ENCODING');
  }
}

export interface ReadTextOptions {
  /** A larger file is refused before it is read (TextFileError code 'E_TOO_LARGE'). */
  maxBytes?: number;
}

/** "1 MiB", "512 KiB", "300 bytes": a limit as the messages state it. */
export function formatBytes(bytes: number): string {
  const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/** Why a path that stat() describes cannot be read as text, or undefined for a regular file. */
function notRegularFile(stats: Stats, what: string): TextFileError | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return new TextFileError(`it is a directory, not ${what}`, 'EISDIR');
  // Opening a FIFO waits for a writer, possibly forever; a device may never end. Neither is a file to parse.
  if (stats.isFIFO()) return new TextFileError(`it is a pipe (FIFO), not ${what}; bnx reads only regular files (save the text to a file first)`, 'E_NOT_FILE');
  return new TextFileError(`it is not a regular file (a device or socket), not ${what}`, 'E_NOT_FILE');
}

/**
 * The text of a UTF-8 file, without a leading byte-order mark. Throws TextFileError for a missing file,
 * anything that is not a regular file (a directory, pipe, device or socket: checked before opening it, so a
 * FIFO without a writer cannot hang the process), a file over `maxBytes`, binary data, or another encoding.
 */
export function readTextFile(path: string, what = 'a text file', options: ReadTextOptions = {}): string {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (err) {
    const code = fsErrorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new TextFileError('no such file', 'ENOENT');
    throw new TextFileError(fsErrorReason(err) ?? (err as Error).message, code ?? 'E_READ');
  }
  const refused = notRegularFile(stats, what);
  if (refused !== undefined) throw refused;
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // Non-blocking, and checked again once open: the path may have been swapped for a FIFO since the stat.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const opened = fstatSync(fd);
    const swapped = notRegularFile(opened, what);
    if (swapped !== undefined) throw swapped;
    if (options.maxBytes !== undefined && opened.size > options.maxBytes) {
      throw new TextFileError(
        `it is ${formatBytes(opened.size)} (${opened.size} bytes); ${what} may be at most ${formatBytes(options.maxBytes)}`,
        'E_TOO_LARGE',
      );
    }
    bytes = readFileSync(fd);
  } catch (err) {
    if (err instanceof TextFileError) throw err;
    const reason = fsErrorReason(err);
    if (reason === undefined) throw err;
    throw new TextFileError(reason, fsErrorCode(err) ?? 'E_READ');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  // A file that grew between fstat and read is still held to the limit.
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    throw new TextFileError(`it is over ${formatBytes(options.maxBytes)}; ${what} may be at most ${formatBytes(options.maxBytes)}`, 'E_TOO_LARGE');
  }
  assertUtf8Text(bytes, what);
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
