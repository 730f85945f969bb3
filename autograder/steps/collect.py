"""`SafeExchangeCollect`: `nbgrader collect`, copying a student's exchange folder as it is.

The student writes their folder in the exchange, links included, and `nbgrader collect` runs
as the instructor: nbgrader's copy follows links, so a link there would bring the instructor's
own files (the gradebook, the solutions) into submitted/ as plain files that nothing could tell
apart any more. Here a link is copied as a link, so the intake (submission_files.py) sees it,
refuses it and names it in the feedback; FIFOs, sockets and devices are left out (reading a
FIFO would hang the collection). Everything else is nbgrader's: its size limits, ignore and
include globs, and group permissions.
"""

from __future__ import annotations

import os
import shutil
import stat

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import ignore_patterns


class SafeExchangeCollect(ExchangeCollect):
    """nbgrader's collect step, never following a link of the student's."""

    def do_copy(self, src, dest, log=None):
        max_bytes = 1000 * self.coursedir.max_dir_size
        size = self.get_size(src)
        if size > max_bytes:
            self.log.error("Directory size is too big")
            raise RuntimeError(f"Directory size is too big. Size is {size}, maximum is {max_bytes}")
        nbgrader_ignore = ignore_patterns(
            exclude=self.coursedir.ignore,
            include=self.coursedir.include,
            max_file_size=self.coursedir.max_file_size,
            log=self.log,
        )

        def ignore(directory: str, names: list[str]) -> set[str]:
            links = []
            for name in names:
                if os.path.islink(os.path.join(directory, name)):
                    links.append(name)
            # nbgrader's globs and size limits look through links: links are judged later.
            plain = [name for name in names if name not in links]
            skipped = set(nbgrader_ignore(directory, plain))
            for name in plain:
                mode = os.lstat(os.path.join(directory, name)).st_mode
                if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    self.log.warning("Not collecting %s: not a file or folder", name)
                    skipped.add(name)
            return skipped

        shutil.copytree(src, dest, symlinks=True, ignore=ignore)
        if self.coursedir.groupshared:
            # As nbgrader does: copytree copies modes, and a shared course needs group access.
            for dirname, _, filenames in os.walk(dest):
                self._share(dirname, 0o2770, 0o2777)
                for filename in filenames:
                    path = os.path.join(dirname, filename)
                    if not os.path.islink(path):
                        self._share(path, 0o660, 0o777)

    def _share(self, path: str, bits: int, mask: int) -> None:
        mode = os.stat(path).st_mode
        if mode & bits != bits:
            try:
                os.chmod(path, (mode | bits) & mask)
            except PermissionError:
                self.log.warning("Could not update permissions of %s to make it groupshared", path)
