"""A bench's own scratch folder (data folder, written files), removed when the bench exits, so
runs leave nothing behind in /tmp."""

import atexit
import shutil
import tempfile


def scratch_dir(prefix: str) -> str:
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path
