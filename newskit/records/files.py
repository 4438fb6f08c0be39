"""Output files: a regular file (or a new path) is replaced atomically; a device or FIFO is
written straight into; a symlink's target is replaced, never the link.

An existing file keeps its permission bits (and, where we may, its owner); a new file gets
0666 minus the umask, as a shell's `>` would give it. Every OS error becomes an OutputError
that names the file as the user wrote it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO, cast

from newskit.core.errors import OutputClosedError, OutputError

# Longest file name (bytes) a temporary name is derived from; longer ones get a short name.
_TMP_NAME_BYTES = 200


def output_error(err: OSError, name: str, doing: str = "cannot write") -> OutputError:
    """One OutputError for an OS error on an output: EPIPE means the reader went away."""
    if err.errno == errno.EPIPE:
        return OutputClosedError("output closed by its reader", source=name)
    return OutputError(f"{doing}: {err.strerror or err}", source=name)


def create_file(path: Path, like: os.stat_result | None = None) -> int:
    """Create `path` exclusively for writing: mode 0666 & ~umask, or the mode (and owner) of `like`."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    if like is not None:
        try:
            os.fchmod(fd, stat.S_IMODE(like.st_mode))
            if (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(OSError):  # allowed for root only: best effort
                    os.fchown(fd, like.st_uid, like.st_gid)
        except OSError:
            os.close(fd)
            os.unlink(path)
            raise
    return fd


def create_beside(path: Path, like: os.stat_result | None = None) -> tuple[int, Path]:
    """A new hidden temporary file in `path`'s directory (see create_file); (fd, its path)."""
    stem = path.name if len(os.fsencode(path.name)) <= _TMP_NAME_BYTES else "newskit"
    while True:
        tmp = path.with_name(f".{stem}.{os.urandom(4).hex()}.tmp")
        try:
            return create_file(tmp, like), tmp
        except FileExistsError:
            continue


def replace_file(tmp: Path, path: Path) -> None:
    """Move a finished temporary file over its target and make the rename durable."""
    os.replace(tmp, path)
    with contextlib.suppress(OSError):  # some file systems cannot fsync a directory
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def target_stat(path: Path, name: str) -> os.stat_result | None:
    """What is at an output path now (None: nothing); refuses what cannot take output."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise OutputError(f"directory {path.parent} does not exist", source=name) from None
        return None
    except OSError as err:
        raise output_error(err, name) from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError("is a directory", source=name)
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise OutputError("not a regular file, FIFO or character device", source=name)
    return st


def check_output(path: str | Path, name: str | None = None) -> None:
    """Refuse early an output path that could never be written (see target_stat)."""
    target_stat(Path(os.path.realpath(path)), name or str(path))


class _Guarded:
    """A binary stream whose OS errors become OutputErrors naming the output."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, data: bytes) -> int:
        """Write bytes."""
        try:
            return self._stream.write(data)
        except OSError as err:
            raise output_error(err, self._name) from None

    def flush(self) -> None:
        """Flush."""
        try:
            self._stream.flush()
        except OSError as err:
            raise output_error(err, self._name) from None

    def fileno(self) -> int:
        """The file descriptor."""
        return self._stream.fileno()

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._stream, attr)


class OutputFile:
    """The file behind `-o`/`--report`: appears whole on commit, or is written straight in.

    A regular file or a new path is written beside its target and renamed over it on
    commit; a character device (/dev/null) or a FIFO is opened and written into, since
    renaming over it would replace the node itself. `name` is the path as the user wrote
    it, for messages.
    """

    def __init__(self, path: str | Path, name: str | None = None) -> None:
        self.name = name or str(path)
        self.path = Path(os.path.realpath(path))  # through symlinks: replace the target
        self.tmp: Path | None = None
        st = target_stat(self.path, self.name)
        try:
            if st is None or stat.S_ISREG(st.st_mode):
                fd, self.tmp = create_beside(self.path, st)
            else:
                fd = os.open(self.path, os.O_WRONLY | os.O_CLOEXEC)
        except OSError as err:
            raise output_error(err, self.name) from None
        self._file = os.fdopen(fd, "wb")
        self.stream = cast(BinaryIO, _Guarded(self._file, self.name))

    def commit(self) -> None:
        """Flush and finish: fsync and rename a regular file into place; close a device."""
        try:
            self._file.flush()
            if self.tmp is not None:
                os.fsync(self._file.fileno())
            self._file.close()
            if self.tmp is not None:
                replace_file(self.tmp, self.path)
        except OSError as err:
            self.discard()
            raise output_error(err, self.name) from None

    def discard(self) -> None:
        """Drop the temporary file; the target is left as it was."""
        with contextlib.suppress(OSError):
            self._file.close()
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)


def write_file(path: str | Path, data: bytes, name: str | None = None) -> None:
    """Write a whole file through OutputFile (atomic for regular files)."""
    target = OutputFile(path, name)
    try:
        target.stream.write(data)
    except BaseException:
        target.discard()
        raise
    target.commit()
