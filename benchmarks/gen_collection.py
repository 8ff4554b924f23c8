"""Synthetic conference-note collections for benchmarks: deterministic, realistic in shape.

Each page looks like the real notes: `# VENUE YEAR`, Meta Info (homepage, paper
lists, acceptance rate), `## Papers` with topics, some papers gathered under a
group bullet, each paper with 1-4 links, an affiliation line (registry names,
sometimes an alias) and nested notes (bold system names, math, sub-bullets),
plus the odd typo so the spelling rule has work. Now and then a paper is listed
again in a later page (same title and link: NK701) or a paper links an earlier
paper's URL (NK702), as real collections have, so the collection rules have work.

    python benchmarks/gen_collection.py --pages 100 --papers 50 [--seed 1] [--out DIR]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

VENUES = ("SOSP", "OSDI", "EuroSys", "ATC", "FAST", "SoCC", "ASPLOS", "NSDI", "SIGCOMM",
          "MobiCom", "ISCA", "MICRO", "HotOS", "Middleware", "VEE", "IMC", "CoNEXT", "MobiSys",
          "INFOCOM", "HotNets")
AFFILIATIONS = ("PKU", "THU", "SJTU", "SJTU IPADS", "ZJU", "NJU", "USTC", "HUST", "MSR",
                "Google", "Meta", "Stanford", "UC Berkeley", "MIT", "CMU", "UW", "UIUC",
                "UMich", "ETH", "EPFL", "ICL", "Edinburgh", "Princeton", "GaTech", "NUS",
                "Alibaba", "ByteDance", "Microsoft")
TOPICS = ("Large Language Models (LLMs)", "Model Serving", "Distributed Training", "Storage",
          "File Systems", "Networking", "Scheduling", "Serverless Computing", "Security",
          "Operating Systems", "GPU Sharing", "Key-Value Stores", "Databases", "Compilers",
          "Verification", "Memory Disaggregation", "Edge Computing", "Data Centers")
WORDS = ("efficient", "scalable", "adaptive", "resilient", "elastic", "fast", "secure",
         "practical", "fine-grained", "disaggregated", "heterogeneous", "serverless",
         "inference", "training", "scheduling", "caching", "replication", "consensus",
         "tensors", "pipelines", "kernels", "graphs", "streams", "transactions", "clusters",
         "accelerators", "memory", "storage", "networks", "workloads", "GPUs", "LLMs")
NAMES = ("Hydra", "Orion", "Apex", "Nimbus", "Quartz", "Helix", "Tenplex", "Zephyr", "Aurora",
         "Pulsar", "Vortex", "Falcon", "Sirius", "Mosaic", "Atlas", "Cobalt", "Ember", "Lumen")
LABELS = ("Code", "arXiv", "Slides", "Video", "Homepage")
NOTES = ("Reduce tail latency by {n}x under bursty load.",
         "Key insight: split and replicate the hot path; keep the cold path lazy.",
         "Schedule {w} across {w2} with a cost model; overlap communication with computation.",
         "A new abstraction for {w}: build once, reuse across {w2}.",
         "Evaluated on {n} production traces; outperforms the state of the art.",
         "$$O(n \\log n)$$ placement with **{name}**-style batching.",
         "Uses `io_uring` and RDMA to bypass the kernel.")


@dataclass
class Collection:
    folder: Path
    pages: int
    papers: int
    bytes: int


REPEAT = 0.004  # a paper listed again (a workshop and a conference version, two topics)
SLIP = 0.001  # a link copied from an earlier paper


def _title(serial: int) -> str:
    rng = random.Random(serial)  # the same paper has the same title wherever it is listed
    name = rng.choice(NAMES) + str(serial)
    words = " ".join(rng.sample(WORDS, rng.randint(3, 6)))
    return f"{name}: {words[0].upper()}{words[1:]} with {rng.choice(WORDS)} {rng.choice(WORDS)}"


def _note(rng: random.Random) -> str:
    if rng.random() < 0.02:
        return "Teh design keeps the metadata in memory."  # a typo, as real notes have
    return rng.choice(NOTES).format(n=rng.randint(2, 40), w=rng.choice(WORDS),
                                    w2=rng.choice(WORDS), name=rng.choice(NAMES))


def _paper(rng: random.Random, serial: int, indent: str) -> list[str]:
    listed = rng.randrange(serial) if serial and rng.random() < REPEAT else serial
    url = rng.randrange(serial) if serial and rng.random() < SLIP else listed
    links = [f"\\[[Paper](https://dl.acm.org/doi/10.1145/{3600000 + url})]"]
    for label in rng.sample(LABELS, rng.randint(0, 3)):
        if label == "arXiv":
            links.append(f"\\[[arXiv](https://arxiv.org/abs/24{listed % 12 + 1:02d}."
                         f"{listed % 100000:05d})]")
        else:
            links.append(f"\\[[{label}](https://example.org/{label.lower()}/{listed})]")
    affiliations = rng.sample(AFFILIATIONS, rng.randint(1, 3))
    if rng.random() < 0.02:
        affiliations[0] = "Peking University"  # an alias of PKU, as real notes have
    lines = [f"{indent}* {_title(listed)} {' '.join(links)}",
             f"{indent}  * {' & '.join(affiliations)}"]
    for _ in range(rng.randint(1, 3)):
        lines.append(f"{indent}  * {_note(rng)}")
        if rng.random() < 0.3:
            lines.extend(f"{indent}    * {_note(rng)}" for _ in range(rng.randint(1, 3)))
    return lines


def page_text(rng: random.Random, venue: str, year: int, papers: int, first: int) -> str:
    """One conference page with `papers` papers numbered from `first`."""
    accepted = papers
    submitted = accepted * rng.randint(4, 8)
    rate = f"{round(100 * accepted / submitted, 1):.1f}"
    lines = [f"# {venue} {year}", "", "## Meta Info", "",
             f"Homepage: <https://example.org/{venue.lower()}/{year}/>", "", "### Paper List", "",
             f"* <https://dl.acm.org/doi/proceedings/10.1145/{year}{first}>", "",
             "### Acceptance Rate", "", f"{rate}% (= {accepted} / {submitted})", "",
             "## Papers"]
    serial, left = first, papers
    for topic in rng.sample(TOPICS, min(len(TOPICS), max(1, papers // 8))):
        lines += ["", f"### {topic}", ""]
        count = min(left, rng.randint(4, 14))
        while count > 0:
            if count >= 4 and rng.random() < 0.25:  # a group bullet with nested papers
                lines.append(f"* {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}")
                for _ in range(min(count, rng.randint(2, 4))):
                    lines += _paper(rng, serial, "  ")
                    serial, count, left = serial + 1, count - 1, left - 1
            else:
                lines += _paper(rng, serial, "")
                serial, count, left = serial + 1, count - 1, left - 1
    if left > 0:
        lines += ["", "### Other Topics", ""]
        for _ in range(left):
            lines += _paper(rng, serial, "")
            serial += 1
    return "\n".join(lines) + "\n"


def generate(folder: Path, pages: int, papers: int, seed: int = 1) -> Collection:
    """Write `pages` pages of about `papers` papers each (+-25%) into `folder`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = size = serial = 0
    for index in range(pages):
        venue = VENUES[index % len(VENUES)]
        year = 2025 - index // len(VENUES)
        count = max(1, round(papers * rng.uniform(0.75, 1.25)))
        text = page_text(rng, venue, year, count, serial)
        serial += count
        (folder / f"{venue.lower()}-{year}.md").write_text(text, encoding="utf-8")
        total, size = total + count, size + len(text.encode("utf-8"))
    return Collection(folder, pages, total, size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--papers", type=int, default=50, help="papers per page (mean)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder (default: a new temporary folder)")
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="notes-kit-bench-"))
    made = generate(folder, args.pages, args.papers, args.seed)
    print(f"{made.folder}: {made.pages} pages, {made.papers} papers, {made.bytes / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
