"""`notes-kit links` and `lint --check-links` as a user runs them (subprocesses), against a
real server on 127.0.0.1 named in the config: every output format, fixes, --strict, no
network, config errors; an ordinary lint never imports httpx."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from links_server import Site, closed_port, start_site

REPO = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = next((d / "shared" / "schemas" / "sarif-schema-2.1.0.json"  # beside the clone,
                     for d in (REPO.parent, REPO.parent.parent)          # or the worktrees
                     if (d / "shared" / "schemas").is_dir()), REPO / "no-schema")


@pytest.fixture(scope="module")
def server() -> Iterator[Site]:
    site = start_site()
    yield site
    site.server.stop()


@pytest.fixture
def site(server: Site) -> Site:
    server.reset()
    return server


def config(site: Site, probe: str | None = None, extra: str = "") -> str:
    return (f'[links]\nprobe = ["{probe or site.url("/probe")}"]\n'
            f'doi-resolver = "{site.url("/doi/")}"\narxiv = "{site.url("/arxiv/")}"\n'
            f'timeout = "2s"\nretries = 0\ndelay = 0\n{extra}')


PAPERS = """* Alive Paper \\[[Paper]({ok})]
  * MIT
* Gone Paper \\[[Paper]({gone})] \\[[DOI](https://doi.org/10.1145/missing)]
  * MIT
* Moved Paper \\[[Code]({old})]
  * MIT
"""


def write_page(site: Site, folder: Path, papers: str = PAPERS, conf: str | None = None) -> Path:
    page = folder / "sosp-2024.md"
    body = papers.format(ok=site.url("/ok"), gone=site.url("/gone404"), old=site.url("/old"),
                         down=site.url("/down"))
    page.write_text(f"# SOSP 2024\n\n## Meta Info\n\nHomepage: <{site.url('/ok2')}>\n\n"
                    f"## Papers\n\n### Systems\n\n{body}", encoding="utf-8")
    (folder / ".notes-kit.toml").write_text(conf or config(site), encoding="utf-8")
    return page


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(NOTES_KIT_CACHE_DIR=str(cwd / ".cache"), NO_COLOR="1", PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "notes_kit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, check=False,
                          stdin=subprocess.DEVNULL)


def test_json_names_page_line_paper_and_carries_the_fix(site: Site, tmp_path: Path) -> None:
    write_page(site, tmp_path)
    done = cli("links", "--format", "json", "sosp-2024.md", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert [(d["rule"], d["line"]) for d in data] == [("NK306", 13), ("NK309", 13),
                                                      ("NK308", 15)]
    assert all(d["path"] == "sosp-2024.md" for d in data)
    assert "'Gone Paper'" in data[0]["message"] and "'Moved Paper'" in data[2]["message"]
    fix = data[2]["fix"]
    row = (tmp_path / "sosp-2024.md").read_text(encoding="utf-8").split("\n")[14]
    edit = fix["edits"][0]
    assert fix["applicability"] == "unsafe" and edit["content"] == site.url("/new")
    assert row[edit["column"] - 1 : edit["end_column"] - 1] == site.url("/old")


def test_text_output_and_the_summary_line(site: Site, tmp_path: Path) -> None:
    write_page(site, tmp_path)
    done = cli("links", "sosp-2024.md", cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("sosp-2024.md:13:") and " NK306 [error] " in lines[0]
    assert "(fixable with --unsafe-fixes)" in lines[2]
    assert lines[-1] == "Found 2 errors, 1 warning (1 fixable with --unsafe-fixes)."
    assert done.stderr.startswith("notes-kit: 5 links, 5 to check online: 0 from the cache")


def test_a_second_run_answers_from_the_cache(site: Site, tmp_path: Path) -> None:
    write_page(site, tmp_path)
    first = cli("links", "sosp-2024.md", cwd=tmp_path)
    asked = len(site.seen)
    second = cli("links", "sosp-2024.md", cwd=tmp_path)
    assert len(site.seen) == asked and second.stdout == first.stdout
    assert "5 from the cache, 0 checked (0 requests)" in second.stderr
    cli("links", "--no-cache", "sosp-2024.md", cwd=tmp_path)
    assert len(site.seen) > asked


def test_sarif_and_github_formats(site: Site, tmp_path: Path) -> None:
    write_page(site, tmp_path)
    sarif = json.loads(cli("links", "--format", "sarif", "sosp-2024.md", cwd=tmp_path).stdout)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["NK306", "NK308", "NK309"]
    assert all(r["properties"]["scope"] == "online" for r in rules)
    if SARIF_SCHEMA.is_file():
        import jsonschema

        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        jsonschema.validate(sarif, schema)
    github = cli("links", "--format", "github", "sosp-2024.md", cwd=tmp_path).stdout
    assert github.splitlines()[0].startswith("::error file=sosp-2024.md,line=13,col=")
    assert "title=NK308::" in github.splitlines()[2]


def test_fix_with_unsafe_fixes_writes_the_new_url(site: Site, tmp_path: Path) -> None:
    page = write_page(site, tmp_path)
    before = page.read_text(encoding="utf-8")
    assert cli("links", "--fix", "sosp-2024.md", cwd=tmp_path).returncode == 1
    assert page.read_text(encoding="utf-8") == before  # --fix alone: NK308 is unsafe
    done = cli("links", "--fix", "--unsafe-fixes", "sosp-2024.md", cwd=tmp_path)
    assert f"sosp-2024.md:15: NK308 {site.url('/old')} -> {site.url('/new')}" in done.stdout
    assert page.read_text(encoding="utf-8") == before.replace(site.url("/old"),
                                                              site.url("/new"))
    again = cli("links", "--format", "json", "sosp-2024.md", cwd=tmp_path)
    assert "NK308" not in {d["rule"] for d in json.loads(again.stdout)}


def test_unreachable_links_fail_only_with_strict(site: Site, tmp_path: Path) -> None:
    write_page(site, tmp_path, "* Down Paper \\[[Paper]({down})]\n  * MIT\n")
    done = cli("links", "sosp-2024.md", cwd=tmp_path)
    assert done.returncode == 0 and " NK307 [warning] " in done.stdout
    assert cli("links", "--strict", "sosp-2024.md", cwd=tmp_path).returncode == 1


def test_no_network_says_so_once_and_exits_2(site: Site, tmp_path: Path) -> None:
    probe = f"http://127.0.0.1:{closed_port()}/"
    write_page(site, tmp_path, conf=config(site, probe=probe))
    done = cli("links", "sosp-2024.md", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"notes-kit: no network: {probe} cannot be reached (connection refused); "
        "no link was checked"]
    assert [s.path for s in site.seen] == []
    lint = cli("lint", "--check-links", "sosp-2024.md", cwd=tmp_path)
    assert lint.returncode == 2 and len(lint.stderr.splitlines()) == 1


def test_lint_check_links_adds_the_link_findings(site: Site, tmp_path: Path) -> None:
    write_page(site, tmp_path)
    plain = cli("lint", "sosp-2024.md", cwd=tmp_path)
    assert " NK306 " not in plain.stdout and site.seen == []
    done = cli("lint", "--check-links", "--format", "json", "sosp-2024.md", cwd=tmp_path)
    found = [d["rule"] for d in json.loads(done.stdout)]
    assert {"NK306", "NK308", "NK309"} <= set(found) and "NK304" in found  # http: a warning
    assert done.returncode == 1


def test_an_ordinary_lint_imports_no_http_client(site: Site, tmp_path: Path) -> None:
    page = write_page(site, tmp_path)
    code = ("import sys; from notes_kit.cli.main import run; run(['lint', sys.argv[1]]); "
            "print(sorted(m for m in ('httpx', 'httpcore', 'h2', 'rich', 'anyio') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(page)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "NOTES_KIT_CACHE_DIR": str(tmp_path / "c")})
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("table, message, line", [
    ('timeout = "soon"', "'links.timeout' must be a duration", 3),
    ("concurrency = 0", "'links.concurrency' must be a whole number from 1 to 1024", 3),
    ('accept = ["403"]', "'links.accept' must be a list of HTTP status codes", 3),
    ('exclude = "acm.org"', "'links.exclude' must be a list of non-empty strings", 3),
    ('doi-resolver = "doi.org"', "'links.doi-resolver': 'doi.org' is not an http(s) URL", 3),
    ("colour = 1", "unknown key 'links.colour'", 3),
])
def test_bad_links_settings_are_config_errors(tmp_path: Path, table: str, message: str,
                                              line: int) -> None:
    (tmp_path / "sosp-2024.md").write_text("# SOSP 2024\n", encoding="utf-8")
    (tmp_path / ".notes-kit.toml").write_text(f"strict = false\n[links]\n{table}\n",
                                              encoding="utf-8")
    done = cli("links", "sosp-2024.md", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"notes-kit: {tmp_path / '.notes-kit.toml'}:{line}: ")
    assert message in done.stderr


def test_links_settings_in_pyproject(tmp_path: Path) -> None:
    from notes_kit.lint.config import load_config
    from notes_kit.lint.link_settings import from_config

    (tmp_path / "pyproject.toml").write_text(
        '[tool.notes-kit]\nstrict = true\n\n[tool.notes-kit.links]\nexclude = ["acm.org"]\n'
        'accept = [403, 999]\nttl-alive = "3d"\nttl-failed = 3600\nper-host = 2\n'
        'delay = "250ms"\n', encoding="utf-8")
    settings = from_config(load_config(tmp_path / "pyproject.toml"))
    assert settings.exclude == ("acm.org",) and settings.accept == frozenset({403, 999})
    assert (settings.ttl_alive, settings.ttl_failed) == (3 * 86400.0, 3600.0)
    assert (settings.per_host, settings.delay) == (2, 0.25)
