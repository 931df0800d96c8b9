// What a failed file-system call means for the user, in words: "permission denied", not "EACCES: ...".
// Only the codes that come from the user's environment (permissions, full disks, a file where a folder
// should be) are translated; anything else is left as it is, so a real bug still looks like one.

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'something else already exists there',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EBUSY: 'the file is busy',
  EIO: 'input/output error',
  EXDEV: 'it is on another device',
};

/** The user-facing reason for a file-system error, or undefined when it is not one the user can fix. */
export function fsErrorReason(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined ? REASONS[code] : undefined;
}

export function fsErrorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
