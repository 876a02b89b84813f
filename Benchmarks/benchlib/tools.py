"""Running the tools: one timed run of a program (wall time and peak memory), finding our
binary and the peers, and checking from a tool's own report that every file ran and passed."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(HERE, ".venv")


class Result:
    def __init__(self, seconds, status, maxrss_kb, stderr_tail, timed_out):
        self.seconds = seconds
        self.status = status
        self.maxrss_kb = maxrss_kb
        self.stderr_tail = stderr_tail
        self.timed_out = timed_out

    @property
    def ok(self):
        return self.status == 0 and not self.timed_out


def run(argv, cwd, timeout, stdout_path=None):
    """Runs argv with empty stdin, stdout discarded (or written to
    stdout_path), stderr kept for diagnosis. Times it with a blocking wait4,
    which also gives the peak resident size of the process tree."""
    with tempfile.TemporaryFile() as err, open(stdout_path or os.devnull, "wb") as out:
        start = time.perf_counter()
        try:
            p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 start_new_session=True)
        except OSError as e:
            return Result(0.0, 127, None, str(e), False)
        fired = []

        def kill():
            fired.append(True)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            while True:
                try:
                    _, wstatus, usage = os.wait4(p.pid, 0)
                    break
                except InterruptedError:
                    continue
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        status = os.waitstatus_to_exitcode(wstatus)
        p.returncode = status
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
        return Result(seconds, status, usage.ru_maxrss, tail, bool(fired))


def peak_rss_kb(argv, cwd, timeout):
    """Peak resident memory (KiB) of argv and what it starts: /usr/bin/time
    -f %M where present, otherwise the rusage of wait4."""
    gnu_time = "/usr/bin/time"
    if os.access(gnu_time, os.X_OK):
        with tempfile.NamedTemporaryFile("r", suffix=".rss") as f:
            r = run([gnu_time, "-f", "%M", "-o", f.name] + argv, cwd, timeout)
            text = f.read().strip().splitlines()
            try:
                r.maxrss_kb = int(text[-1])
            except (IndexError, ValueError):
                pass  # keep wait4's figure
            return r, "/usr/bin/time -f %M"
    return run(argv, cwd, timeout), "wait4 rusage"


class Tool:
    def __init__(self, name, kind, argv0, extra=(), ours=None):
        self.name = name
        self.kind = kind  # "md" or "t": which files it runs
        self.ours = kind == "md" if ours is None else ours  # run as `transcript run`
        self.argv0 = argv0
        self.extra = list(extra)
        self.version = None
        self.problem = None

    def argv(self, files):
        if self.ours:
            return [self.argv0, "run"] + self.extra + files
        return [self.argv0] + self.extra + files


def find_ours(path, jobs):
    tool = Tool("transcript", "md", os.path.abspath(path), ["-j", str(jobs)] if jobs else [])
    if not os.path.isfile(tool.argv0) or not os.access(tool.argv0, os.X_OK):
        tool.problem = "not available (%s missing)" % path
        return tool
    try:
        out = subprocess.run([tool.argv0, "--version"], stdin=subprocess.DEVNULL, capture_output=True,
                             timeout=30, text=True)
        if out.returncode != 0:
            tool.problem = "not available (--version exited %d: %s)" % (out.returncode, out.stderr.strip()[:200])
        else:
            tool.version = out.stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        tool.problem = "not available (%s)" % e
    return tool


def find_peer(name, with_peers):
    candidates = []
    if with_peers or os.path.isdir(VENV):
        candidates.append(os.path.join(VENV, "bin", name))
    found = shutil.which(name)
    if found:
        candidates.append(found)
    for path in candidates:
        if os.access(path, os.X_OK):
            tool = Tool(name, "t", path)
            try:
                out = subprocess.run([path, "--version"], stdin=subprocess.DEVNULL, capture_output=True,
                                     timeout=30, text=True)
                words = (out.stdout + out.stderr).split()
                tool.version = next((w.strip("()") for w in words if w.strip("()")[:1].isdigit()), "?")
            except (OSError, subprocess.TimeoutExpired):
                tool.version = "?"
            return tool
    tool = Tool(name, "t", name)
    tool.problem = "not installed (use --with-peers)"
    return tool


def install_peers():
    python = os.path.join(VENV, "bin", "python")
    if not os.access(python, os.X_OK):
        print("creating %s" % os.path.relpath(VENV), file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    have = all(os.access(os.path.join(VENV, "bin", n), os.X_OK) for n in ("cram", "prysk"))
    if not have:
        print("installing cram and prysk into %s" % os.path.relpath(VENV), file=sys.stderr)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "cram", "prysk"], check=True)


def verify(tool, stdout, count):
    """None if the tool's report says all `count` files ran and passed, else why not."""
    if tool.ours:
        ends = []
        for line in stdout.splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and event.get("event") == "file_end":
                ends.append(event)
        bad = [e for e in ends if e.get("status") != "passed"]
        if bad:
            e = bad[0]
            return "%d of %d files not passed (%s: %s%s)" % (
                len(bad), count, os.path.basename(str(e.get("path"))), e.get("status"),
                ", " + str(e.get("reason") or e.get("messages") or e.get("errors")) if len(e) > 4 else "")
        if len(ends) != count:
            return "the JSON report has %d file_end events for %d files" % (len(ends), count)
        return None
    # cram and prysk close with "# Ran N tests, S skipped, F failed."
    for line in reversed(stdout.splitlines()):
        words = line.replace(",", " ").replace(".", " ").split()
        if line.startswith("# Ran ") and len(words) >= 7:
            ran, skipped, failed = int(words[2]), int(words[4]), int(words[6])
            if (ran, skipped, failed) != (count, 0, 0):
                return line.strip()
            return None
    return "no '# Ran N tests' line in its output"

