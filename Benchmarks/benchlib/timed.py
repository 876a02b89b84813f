"""The timed workloads, run side by side in interleaved rounds, and the peak memory of ours."""

import os
import statistics

from .report import fmt_ms
from .tools import peak_rss_kb, run, verify
from .workloads import DESCRIPTIONS, MEMORY, TARGETS


class Rounds:
    """The timed workloads' runs: one warm-up round, then `args.rounds` timed ones, each tool on
    each workload, the first tool rotating from round to round. `samples[w][tool]` are seconds,
    `failures[w][tool]` why a tool failed on a workload (it is not run on it again)."""

    def __init__(self, timed, tools, files, base, args, log):
        self.timed, self.tools, self.files = timed, tools, files
        self.base, self.args, self.log = base, args, log
        self.samples = {w: {t.name: [] for t in tools} for w in timed}
        self.failures = {w: {} for w in timed}

    def run(self):
        for round_no in range(self.args.rounds + 1):
            self.log("warm-up" if round_no == 0 else "round %d/%d" % (round_no, self.args.rounds))
            for w in self.timed:
                # Interleave, and rotate which tool goes first in each round.
                order = self.tools[round_no % len(self.tools):] + self.tools[:round_no % len(self.tools)]
                for tool in order:
                    self.attempt(w, tool, record=round_no > 0)
        return self

    def attempt(self, w, tool, record):
        """One run of `tool` on `w`; in the warm-up (not `record`) first checked to pass every file."""
        paths = self.files[w][tool.kind]
        if tool.problem or not paths or tool.name in self.failures[w]:
            return
        cwd = os.path.dirname(paths[0])
        if not record and not self.passes(w, tool, paths, cwd):
            return
        r = run(tool.argv(paths), cwd, self.args.timeout)
        if not r.ok:
            why = "timed out after %.0fs" % self.args.timeout if r.timed_out else "exit %d" % r.status
            tail = r.stderr_tail.strip()
            if not tail:  # the report may be on stdout: run again to show it
                out = os.path.join(self.base, "stdout.txt")
                run(tool.argv(paths), cwd, self.args.timeout, stdout_path=out)
                with open(out, "rb") as f:
                    tail = f.read(2000).decode("utf-8", "replace").strip()
            self.failures[w][tool.name] = "%s: %s" % (why, tail.splitlines()[:8])
            self.log("  %s on %s FAILED (%s)" % (tool.name, w, why))
            return
        if record:
            self.samples[w][tool.name].append(r.seconds)

    def passes(self, w, tool, paths, cwd):
        """Whether every file really ran and passed: an exit status of 0 alone also comes from
        files skipped or not found."""
        out = os.path.join(self.base, "verify.txt")
        argv = tool.argv(paths)
        if tool.ours:
            argv = [tool.argv0, "run"] + tool.extra + ["--format", "json"] + paths
        r = run(argv, cwd, self.args.timeout, stdout_path=out)
        with open(out, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        problem = verify(tool, text, len(paths)) if r.ok else None
        if problem:
            self.failures[w][tool.name] = "exit 0 but " + problem
            self.log("  %s on %s FAILED (%s)" % (tool.name, w, problem))
        return problem is None


def timed_rows(rounds, report):
    """Each timed workload's medians, ratio and verdict into `report`; the rows of its table."""
    tools, samples, failures = rounds.tools, rounds.samples, rounds.failures
    rows = []
    for w in rounds.timed:
        entry = {"description": DESCRIPTIONS[w], "target": TARGETS.get(w), "tools": {}}
        medians = {}
        for t in tools:
            s = samples[w][t.name]
            info = {"samples_ms": [round(x * 1000, 2) for x in s]}
            if t.problem:
                info["status"] = t.problem
            elif t.name in failures[w]:
                info["status"] = "failed: " + failures[w][t.name]
            else:
                info["status"] = "passed"
                medians[t.name] = statistics.median(s) * 1000
                info["median_ms"] = round(medians[t.name], 2)
            entry["tools"][t.name] = info
        ratio = None
        if "transcript" in medians and "cram" in medians and medians["cram"] > 0:
            ratio = medians["transcript"] / medians["cram"]
        entry["ratio"] = round(ratio, 3) if ratio is not None else None
        target = TARGETS.get(w)
        entry["met"] = (ratio <= target) if (ratio is not None and target is not None) else None
        report["workloads"][w] = entry

        def cell(name):
            if name in medians:
                return fmt_ms(medians[name])
            t = next(x for x in tools if x.name == name)
            return "n/a" if t.problem else "FAILED"
        met = "-" if entry["met"] is None else ("met" if entry["met"] else "NOT MET")
        rows.append([w, cell("transcript"), cell("transcript-t"), cell("cram"), cell("prysk"),
                     "-" if ratio is None else "%.2f" % ratio,
                     "<= %.1f" % target if target else "-", met])
    return rows


def measure_memory(chosen, ours, files, base, args, log, report):
    """Peak memory of ours on the memory workloads into `report`; the rows of its table."""
    mem_rows = []
    for w in [m for m in MEMORY if m in chosen]:
        entry = {"description": DESCRIPTIONS[w]}
        if ours.problem:
            entry["status"] = ours.problem
            mem_rows.append([w, "n/a", "n/a", ours.problem])
        else:
            log("memory %s" % w)
            mem_rows.append(memory_entry(w, entry, ours, files[w]["md"], base, args))
        report["memory"][w] = entry
    return mem_rows


def failure(r):
    """Why a run did not pass, with its error output's first lines."""
    return ("timed out" if r.timed_out else "exit %d" % r.status) + ": " + \
        " | ".join(r.stderr_tail.strip().splitlines()[:5])


def memory_entry(w, entry, ours, paths, base, args):
    """Fills `entry` with the peak memory of `args.memory_runs` runs of ours on `paths`, after
    a run that checks that they pass; its table row."""
    rss, secs, method, bad = [], [], None, None
    out = os.path.join(base, "verify.txt")
    r = run([ours.argv0, "run"] + ours.extra + ["--format", "json"] + paths,
            os.path.dirname(paths[0]), args.timeout, stdout_path=out)
    with open(out, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    if r.ok:
        problem = verify(ours, text, len(paths))
        if problem:
            bad = "exit 0 but " + problem
    else:
        bad = failure(r)
    for _ in range(max(1, args.memory_runs) if not bad else 0):
        r, method = peak_rss_kb(ours.argv(paths), os.path.dirname(paths[0]), args.timeout)
        if not r.ok:
            bad = failure(r)
            break
        rss.append(r.maxrss_kb)
        secs.append(r.seconds)
    entry["method"] = method
    if bad:
        entry["status"] = "failed: " + bad
        return [w, "FAILED", "-", bad[:100]]
    entry["status"] = "passed"
    entry["peak_rss_kb"] = rss
    entry["peak_rss_mb_median"] = round(statistics.median(rss) / 1024, 1)
    entry["wall_ms_median"] = round(statistics.median(secs) * 1000, 1)
    return [w, "%.1f" % entry["peak_rss_mb_median"], fmt_ms(entry["wall_ms_median"]), method]
