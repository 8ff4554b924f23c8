"""Entry point: `python -m notes_kit` and the `notes-kit` console script."""

from __future__ import annotations

import sys


def main() -> None:
    from notes_kit.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
