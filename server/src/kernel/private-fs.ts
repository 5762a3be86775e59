// Folders and files only the service's own account may read: the data folder and the files
// folder 0700, the SQLite database 0600 (SQLite gives its -wal and -shm the database file's
// mode), the vault key file and every stored file 0600. Created so from the start (umask only
// ever removes bits); a folder or file that exists with a looser mode (an older install) is
// tightened, when this account owns it.
import fs from 'node:fs';

function tighten(p: string, mode: number): void {
  try {
    const st = fs.statSync(p);
    const own = typeof process.getuid !== 'function' || st.uid === process.getuid();
    if (own && (st.mode & 0o777 & ~mode) !== 0) fs.chmodSync(p, st.mode & 0o7777 & mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** Create (with parents) a folder with mode 0700, or tighten an existing one to it. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
}

/** Create an empty file with mode 0600 if absent (an empty file is a valid SQLite database), or tighten it. */
export function privateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  tighten(file, 0o600);
}

/** Tighten a file to 0600 if it exists (a database's -wal and -shm from an older install). */
export function tightenFile(file: string): void {
  tighten(file, 0o600);
}
