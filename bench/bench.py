#!/usr/bin/env python3
"""Benchmark gazette against Hugo on the same synthetic bilingual newsletter.

For each corpus size (article pairs), this measures:

  * full builds, alternating gazette and Hugo run by run, each run writing its
    output from scratch: wall time and peak RSS (GNU time), pages and files;
  * a no-change rebuild of gazette (same build again into the existing output);
  * edit-to-served latency through `gazette serve --watch`: append a marker to
    an article, wait for the reload event, fetch the page until it shows it.

The corpora come from <repo>/../shared/bench/gen_corpus.py, generated once per
size and layout from the same seed and cached in the work directory.
Python 3 standard library only; GNU time must be at /usr/bin/time.
"""

import argparse
import hashlib
import http.client
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
from pathlib import Path
from statistics import median

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GAZETTE = REPO / "target" / "release" / "gazette"
DEFAULT_GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
SEED = "gazette"
GNU_TIME = "/usr/bin/time"
# A tag that cannot be confused with the tool's own stderr, and still found if the
# tool's last line has no newline and GNU time's line gets glued to it.
TIME_LINE = re.compile(r"BENCH-TIME (\S+) (\d+)")
EDITS = 5
EVENTS_PATH = "/__gazette/events"
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


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=parse_sizes, default=[1000, 10000],
                    help="article pairs per corpus, comma-separated (default 1000,10000)")
    # Hugo's time at 1,000 pairs varies by a quarter from run to run: five runs steady the median.
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (default 5)")
    ap.add_argument("--gazette", type=Path,
                    help="gazette binary (default target/release/gazette, built with "
                         "`cargo build --release` if missing)")
    ap.add_argument("--skip-hugo", action="store_true", help="benchmark gazette only")
    ap.add_argument("--work", type=Path,
                    help="where corpora and outputs go; a directory you name is kept "
                         "(default: a temporary directory, removed at the end unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    ap.add_argument("--corpus-generator", type=Path, default=DEFAULT_GENERATOR,
                    help="gen_corpus.py (default <repo>/../shared/bench/gen_corpus.py)")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
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


def check_prerequisites(args):
    """Fail before generating anything if a tool the run needs is missing."""
    if not os.access(GNU_TIME, os.X_OK):
        raise BenchError(f"GNU time is needed at {GNU_TIME} (Debian/Ubuntu: apt-get install time)")
    if not args.corpus_generator.is_file():
        raise BenchError(f"corpus generator not found: {args.corpus_generator} "
                         "(pass --corpus-generator PATH)")
    if not args.skip_hugo and shutil.which("hugo") is None:
        raise BenchError("hugo is not on PATH (install it, or pass --skip-hugo)")


def first_line(cmd):
    """The first line a command prints (tool versions)."""
    return run_checked(cmd).stdout.strip().splitlines()[0]


def machine_info():
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
            "ram_gib": round(ram_kib / 1024 / 1024, 1)}


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


# --------------------------------------------------------------------------- statistics

def stats(values):
    """What the report shows of a series: median and range, with the values themselves."""
    return {"median": median(values), "min": min(values), "max": max(values), "values": values}


def run_stats(runs):
    """[(wall, rss), ...] -> {"wall_s": stats, "rss_mib": stats}."""
    return {"wall_s": stats([wall for wall, _ in runs]), "rss_mib": stats([rss for _, rss in runs])}


# --------------------------------------------------------------------------- builds

def run_checked(cmd):
    """Runs a command; a non-zero exit aborts the benchmark with its output."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(map(str, cmd))} exited with {done.returncode}:\n"
                         f"{done.stdout}{done.stderr}")
    return done


def timed(cmd):
    """(wall seconds, peak RSS MiB) of one run, measured by GNU time. Dirty pages are flushed
    first: the previous run's writeback (or a deleted output's) would be charged to this run."""
    os.sync()
    done = run_checked([GNU_TIME, "-f", "BENCH-TIME %e %M", *map(str, cmd)])
    matches = TIME_LINE.findall(done.stderr)
    if not matches:
        raise BenchError(f"no GNU time line in the stderr of {cmd}:\n{done.stderr}")
    wall, rss_kib = matches[-1]
    return float(wall), int(rss_kib) / 1024


def gazette_build(gazette, site):
    return [gazette, "build", "--root", site, "--output", site / "output"]


def hugo_build(site):
    return ["hugo", "--source", site, "--destination", site / "public", "--cleanDestinationDir",
            "--quiet", "--cacheDir", site / ".hugo_cache"]


def full_build_gazette(gazette, site):
    """Deleting output/ first makes gazette write every file: a build from scratch."""
    shutil.rmtree(site / "output", ignore_errors=True)
    return timed(gazette_build(gazette, site))


def full_build_hugo(site):
    """Removing public/, resources/ and the cache makes Hugo start from nothing too."""
    for name in ("public", "resources", ".hugo_cache"):
        shutil.rmtree(site / name, ignore_errors=True)
    return timed(hugo_build(site))


def count_outputs(folder):
    """(HTML files, all files, MiB) under an output folder: the size says how much each tool
    writes, which is most of a full build on a slow disk."""
    pages = files = size = 0
    for parent, _, names in os.walk(folder):
        files += len(names)
        pages += sum(name.endswith(".html") for name in names)
        size += sum(os.path.getsize(os.path.join(parent, name)) for name in names)
    return pages, files, size / 1024 / 1024


def warm_page_cache(sites):
    """Reads every file of the corpora once, untimed: the first timed build of each tool would
    otherwise read its sources from disk when a larger size's outputs pushed them out of the
    page cache, and the median would carry one cold run in five."""
    for site in sites:
        for parent, dirs, names in os.walk(site):
            dirs[:] = [d for d in dirs if d not in ("output", "public", "resources", ".hugo_cache")]
            for name in names:
                with open(os.path.join(parent, name), "rb") as f:
                    while f.read(1 << 20):
                        pass


def full_builds(tools, runs):
    """Times every tool `runs` times, alternating tool by tool within each run so that drift
    of the machine (other jobs, thermal, page cache) hits all tools alike."""
    samples = {name: [] for name in tools}
    for run in range(1, runs + 1):
        for name, build in tools.items():
            wall, rss = build()
            samples[name].append((wall, rss))
            print(f"  full build {run}/{runs} {name}: {wall:.2f} s, {rss:.0f} MiB", file=sys.stderr)
    return samples


def no_change_rebuilds(gazette, site, runs):
    """gazette build again over its own untouched output: shows whether gazette saves any
    work when nothing changed."""
    samples = []
    for run in range(1, runs + 1):
        samples.append(timed(gazette_build(gazette, site)))
        print(f"  no-change rebuild {run}/{runs}: {samples[-1][0]:.2f} s", file=sys.stderr)
    return samples


# --------------------------------------------------------------------------- serve --watch

class EventStream:
    """The server's Server-Sent Events stream, read from a raw socket (http.client would wait
    for the end of a response that never ends)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        self.buffer = b""
        deadline = time.monotonic() + 10
        try:
            while b"\r\n\r\n" not in self.buffer:
                self._receive(deadline)
        except TimeoutError:
            raise BenchError(f"{EVENTS_PATH} sent no response headers within 10 s")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 200"):
            raise BenchError(f"{EVENTS_PATH} answered: {head.decode(errors='replace')}")

    def _receive(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self.sock.settimeout(remaining)
        chunk = self.sock.recv(65536)
        if not chunk:
            raise BenchError("the server closed the event stream")
        self.buffer += chunk

    def next_event(self, timeout):
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

    def discard(self, quiet):
        """Drops the events that arrive within `quiet` seconds."""
        try:
            while True:
                self.next_event(quiet)
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


def newest_french_article(site):
    """The French article with the latest date: it is in the feed (the newest articles, with
    full content), so the feed can be checked for the edit too."""
    def date(path):
        with open(path, encoding="utf-8") as fh:
            head = fh.read(2048)
        match = re.search(r"^date = (\S+)", head, re.MULTILINE)
        return match.group(1) if match else ""
    articles = [p for p in (site / "content" / "articles").glob("*.fr.md")
                if p.name != "_index.fr.md"]
    if not articles:
        raise BenchError(f"no French article in {site}/content/articles")
    return max(articles, key=lambda p: (date(p), p.name))


def wait_for_page(stream, port, path, marker):
    """Waits for reload events until the page shows `marker`: one save can give more than one
    rebuild, and only the page tells which one holds the edit."""
    deadline = time.monotonic() + EDIT_TIMEOUT
    while True:
        try:
            event, data = stream.next_event(deadline - time.monotonic())
        except TimeoutError:
            raise BenchError(f"no reload showing the edit within {EDIT_TIMEOUT} s")
        if event == "build-error":
            raise BenchError(f"gazette serve reported a build error after an edit:\n{data}")
        if event == "reload":
            status, body, _ = http_get(port, path)
            if status == 200 and marker in body:
                return


def one_edit(stream, port, article, page, marker):
    """Appends a sentence holding `marker` and times it until the page, then the lists and the
    feed, are served."""
    t0 = time.perf_counter()
    with open(article, "a", encoding="utf-8") as fh:
        fh.write(f"\nPhrase témoin {marker} ajoutée par le banc d'essai.\n")
    wait_for_page(stream, port, page, marker)
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
    stream = EventStream(port)
    try:
        fetch_ok(port, page)
        token = uuid.uuid4().hex[:8]
        edits = []
        for i in range(EDITS):
            stream.discard(SETTLE)
            edits.append(one_edit(stream, port, article, page, f"gzbench{token}n{i}"))
            print(f"  edit {i + 1}/{EDITS}: page served after {edits[-1]['page_ms']:.0f} ms",
                  file=sys.stderr)
        return edits
    finally:
        stream.close()


def edit_latency(gazette, site, work):
    """Timed edits of the newest French article under `gazette serve --watch`. The file is
    restored and the server stopped whatever happens; a failure shows the server's log, which
    holds the build errors."""
    article = newest_french_article(site)
    page = f"/fr/articles/{article.name.removesuffix('.fr.md')}/"
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

def bench_size(args, gazette, work, pairs):
    """Every measurement for one corpus size, as a JSON-able dict."""
    print(f"== {pairs} article pairs ==", file=sys.stderr)
    gsite = corpus(work, args.corpus_generator, pairs, "gazette")
    install_theme(gsite)
    tools = {"gazette": lambda: full_build_gazette(gazette, gsite)}
    outputs = {"gazette": gsite / "output"}
    if not args.skip_hugo:
        hsite = corpus(work, args.corpus_generator, pairs, "hugo")
        tools["hugo"] = lambda: full_build_hugo(hsite)
        outputs["hugo"] = hsite / "public"
    warm_page_cache([gsite] + ([] if args.skip_hugo else [hsite]))
    full = {}
    for name, runs in full_builds(tools, args.runs).items():
        pages, files, mib = count_outputs(outputs[name])
        full[name] = {**run_stats(runs), "pages": pages, "files": files, "output_mib": mib}
    result = {"pairs": pairs, "full_build": full}
    if "hugo" in full:
        result["gazette_over_hugo"] = {
            key: full["gazette"][key]["median"] / full["hugo"][key]["median"]
            for key in ("wall_s", "rss_mib")}
    result["no_change_rebuild"] = run_stats(no_change_rebuilds(gazette, gsite, args.runs))
    result["edit_to_served"] = edit_latency(gazette, gsite, work)
    return result


# --------------------------------------------------------------------------- report

def spread(series, fmt):
    """`min–max` of a stats() series."""
    return f"{fmt.format(series['min'])}–{fmt.format(series['max'])}"


def print_header(machine, versions, gazette):
    print(f"machine: {machine['nproc']} CPUs ({machine['cpu']}), {machine['ram_gib']} GiB RAM")
    for name, version in versions.items():
        print(f"{name}: {version}")
    print(f"gazette binary: {gazette}")


def print_full_builds(result, runs):
    print(f"\nFull build, {result['pairs']} article pairs ({2 * result['pairs']} Markdown files), "
          f"{runs} run(s) per tool, tools alternating run by run.")
    print("Output deleted before every run (gazette: output/; Hugo: public/, resources/, cache): "
          "every run writes the whole site from scratch.")
    print(f"{'tool':<14}{'median s':>10}{'min–max s':>15}{'RSS MiB':>10}{'pages':>9}{'files':>9}"
          f"{'out MiB':>9}")
    for name, r in result["full_build"].items():
        print(f"{name:<14}{r['wall_s']['median']:>10.2f}{spread(r['wall_s'], '{:.2f}'):>15}"
              f"{r['rss_mib']['median']:>10.0f}{r['pages']:>9}{r['files']:>9}{r['output_mib']:>9.0f}")
    if "gazette_over_hugo" in result:
        ratio = result["gazette_over_hugo"]
        print(f"{'gazette/hugo':<14}{ratio['wall_s']:>9.2f}x{'':>15}{ratio['rss_mib']:>9.2f}x")
    print("(wall: GNU time %e, 10 ms resolution; RSS: peak resident set, median of the runs; "
          "pages = .html files, gazette's emails included; out MiB = bytes written)")


def print_rebuild(result):
    r = result["no_change_rebuild"]
    print(f"No-change rebuild (gazette build again into its existing output/): "
          f"median {r['wall_s']['median']:.2f} s ({spread(r['wall_s'], '{:.2f}')} s), "
          f"{r['rss_mib']['median']:.0f} MiB")


def print_latency(result):
    e = result["edit_to_served"]
    print(f"Edit to served (gazette serve --watch, {e['edits']} appends to {e['article']}):")
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


def print_size(result, runs):
    print_full_builds(result, runs)
    print_rebuild(result)
    print_latency(result)
    sys.stdout.flush()


# --------------------------------------------------------------------------- main

def run(args, work):
    gazette = find_gazette(args.gazette)
    machine = machine_info()
    versions = {"gazette": first_line([str(gazette), "--version"])}
    if not args.skip_hugo:
        versions["hugo"] = first_line(["hugo", "version"])
    print_header(machine, versions, gazette)
    results = []
    for pairs in args.sizes:
        results.append(bench_size(args, gazette, work, pairs))
        print_size(results[-1], args.runs)
    if args.json:
        report = {"machine": machine, "versions": versions, "runs": args.runs, "sizes": results}
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
