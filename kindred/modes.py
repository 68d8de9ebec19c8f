"""The permissions of what Kindred writes in a temporary place and then moves into place:
a build's output folder, an exported file or folder.

Python makes temporary folders and files private to their owner (0700 and 0600), whatever
the umask says. Moved into place as they are, a web server running as another user could
not read the site. So a folder gets the mode `mkdir` would give it (0755 under the usual
umask), as Pelican's own output folder would, and a file the mode of the file it replaces,
as when a shell writes over one, or else the mode a new file gets (0644).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o077)  # elsewhere, set to read it (private meanwhile), then put back
    os.umask(mask)
    return mask


def as_new_folder(folder: Path) -> None:
    """Give ``folder`` the mode a folder made by `mkdir` gets."""
    os.chmod(folder, 0o777 & ~_umask())


def as_replacing_file(new: Path | str, replaced: Path) -> None:
    """Give the file ``new``, about to replace ``replaced``, that file's mode if it exists,
    else the mode a new file gets."""
    if replaced.is_file():
        shutil.copymode(replaced, new)
    else:
        os.chmod(new, 0o666 & ~_umask())
