"""Entry point: `python -m notes_kit` and the `notes-kit` console script."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from notes_kit.cli.main import run

    code = run()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    except OSError:
        sys.exit(code)  # let the interpreter report what it can
    if "coverage" in sys.modules:
        sys.exit(code)  # coverage saves its data at exit
    if "concurrent.futures.process" in sys.modules:
        sys.exit(code)  # a process pool ran: its exit hook makes sure no worker outlives us
    # Everything is written and closed (files go through files.atomic_write). Tearing the
    # interpreter down would cost a pre-commit run ~12 ms, 4% of the whole process.
    os._exit(code)


if __name__ == "__main__":
    main()
