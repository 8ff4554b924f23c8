"""The options of `lint` and `fix` that CI and editors expect from a linter: `--show-files`,
`--show-settings`, `--output-file`, `--color`, `--statistics`, `--exit-zero` and
`--exit-non-zero-on-fix`. commands.cmd_lint calls these; each is small and separate.
Every run needs only the exit status and the colour choice: those are in status.py,
so that this module is imported only when one of its options is given.
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

from notes_kit.core.findings import InputError

if TYPE_CHECKING:
    from notes_kit.lint.config import Config, Configs

def to_file(path: str, body: Callable[[TextIO], int]) -> int:
    """Run `body` with what it would write to standard output collected, then write that to
    `path` atomically (also when the run found something: exit code 1)."""
    from notes_kit.core.files import atomic_write

    sink = io.StringIO()
    status = body(sink)
    atomic_write(path, sink.getvalue())
    return status


def show_files(args: argparse.Namespace, configs: Configs, out: TextIO) -> int:
    """What a run over `args.paths` would lint, one path a line, after excludes."""
    from notes_kit.lint.ignore import Excluder
    from notes_kit.run.discover import expand

    for path in expand(args.paths, Excluder(configs), args.force_exclude):
        print(path, file=out)
    return 0


def settings_of(config: Config) -> dict[str, Any]:
    """The resolved settings as plain data, keys spelt as in the config file."""
    data = asdict(config)
    data["allow_words"] = sorted(config.allow_words)
    data["per_file_ignores"] = {pattern: list(ids) for pattern, ids in config.per_file_ignores}
    data["links"] = dict(config.links)
    return {key.replace("_", "-"): list(value) if isinstance(value, tuple) else value
            for key, value in data.items()}


def show_settings(args: argparse.Namespace, configs: Configs, out: TextIO) -> int:
    """The settings that apply to the first path (its nearest config, the options over it),
    as TOML-like text or, with `--format json`, JSON."""
    import json

    path = args.stdin_filename or args.paths[0]
    settings = {"file": path, **settings_of(configs(path))}
    if args.format == "json":
        out.write(json.dumps(settings, indent=2, default=str) + "\n")
        return 0
    if args.format != "text":
        raise InputError("--show-settings", "prints text or json (--format text or json)")
    for key, value in settings.items():
        out.write(f"{key} = {_toml_value(value)}\n")
    return 0


def _toml_value(value: object) -> str:
    import json

    if value is None:
        return '""  # none'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value))


def check_statistics(args: argparse.Namespace) -> None:
    """--statistics prints counts in text, JSON or the Markdown summary."""
    if getattr(args, "statistics", False) and args.format not in ("text", "json", "summary"):
        raise InputError("--statistics", "prints text, json or summary (--format); "
                         f"not {args.format}")
