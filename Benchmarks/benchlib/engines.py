"""The engine workloads (D1, D1-podman, D2): one run each with --format json, each file's time
split by where it went, D1's targets, and D2's floor."""

import json
import os
import statistics

from .report import fmt_ms, table
from .tools import run, verify
from .workloads import D2_COMMANDS, D2_FILES, DESCRIPTIONS, ENGINE_FIRST_TARGETS, ENGINE_TARGETS, \
    ENGINE_WORKLOADS, md_file, write

# The columns of an engine workload's split, from each file's events.
SPLIT = ["duration", "wait", "engine_start", "fixtures", "commands", "stop", "first"]


def engine_workload(w, paths, ours, base, args, log):
    """Runs an engine workload once with --format json; returns its report entry and the rows
    of its table: each file's status, duration and where it went (see `engine_split`)."""
    kind = ENGINE_WORKLOADS[w]
    entry = {"description": DESCRIPTIONS[w], "files": len(paths), "engine": kind,
             "target_ms_per_file": ENGINE_TARGETS.get(w), "target_first_ms": ENGINE_FIRST_TARGETS.get(w)}
    rows = []
    if ours.problem:
        entry["status"] = ours.problem
        return entry, rows
    log("%s %s (%d files)" % (kind, w, len(paths)))
    r, events = run_json(ours, paths, os.path.join(base, w + ".jsonl"), args)
    entry["exit_status"] = r.status
    entry["wall_ms"] = round(r.seconds * 1000, 1)
    entry["wall_ms_per_file"] = round(r.seconds * 1000 / max(1, len(paths)), 1)
    per_file = [{k: e.get(k) for k in ("path", "status", "reason", "duration_ms", "engine") if k in e}
                for e in events if e.get("event") == "file_end"]
    entry["per_file"] = per_file
    if r.ok:
        problem = verify(ours, "\n".join(json.dumps(e) for e in events), len(paths))
        entry["status"] = "passed" if not problem else "exit 0 but " + problem
    else:
        entry["status"] = "timed out" if r.timed_out else "exit %d" % r.status
        entry["stderr"] = r.stderr_tail.strip().splitlines()[:8]
    commands = {}
    for e in events:
        if e.get("event") == "command":
            commands.setdefault(e.get("path"), []).append(e.get("duration_ms"))
    splits = []
    for pf in per_file:
        split = engine_split(pf, commands.get(pf.get("path"), []))
        splits.append(split)
        rows.append([os.path.basename(pf.get("path", "?")), pf.get("status", "?") +
                     (" (%s)" % pf["reason"] if pf.get("reason") else "")] +
                    [fmt_ms(split.get(k)) for k in SPLIT])
    entry["split_median_ms"] = {k: statistics.median([s[k] for s in splits if s.get(k) is not None])
                                for k in SPLIT if any(s.get(k) is not None for s in splits)}
    firsts = [s["first"] for s in splits if s.get("first") is not None]
    entry["first_max_ms"] = max(firsts) if firsts else None
    entry["met"] = verdict(entry)
    if w == "D2" and entry["status"] == "passed":
        entry["floor"] = bare_floor(ours, base, args, log)
    return entry, rows


def verdict(entry):
    """Whether the workload meets its targets (None without any): the wall time per transcript,
    and the median time to the first command's end."""
    checks = []
    if entry.get("target_ms_per_file"):
        checks.append(entry["wall_ms_per_file"] <= entry["target_ms_per_file"])
    first = entry.get("split_median_ms", {}).get("first")
    if entry.get("target_first_ms"):
        checks.append(first is not None and first <= entry["target_first_ms"])
    return all(checks) if checks else None


def engine_split(file_end, durations):
    """Where a file's time went: the wait from its beginning until its engines were ready
    (`wait`; engines started ahead while earlier files ran make it small), the engine's own
    start until it answered and its fixtures present (wherever that happened), the wait for
    its engines' stop, the rest (`commands`: the shell and the commands), and `first`: from the
    file's beginning to its first command's end, an upper bound on when that command's output
    came (the file's duration less its stop and the later commands' durations). `durations`
    are the file's commands' durations in order."""
    engine = file_end.get("engine") or {}
    duration = file_end.get("duration_ms")
    ready, stop = engine.get("ready_ms"), engine.get("stop_ms") or 0
    wait = engine.get("wait_ms", ready)
    split = {"duration": duration, "wait": wait, "engine_start": engine.get("start_ms", ready),
             "fixtures": engine.get("fixtures_ms"), "stop": engine.get("stop_ms")}
    if duration is not None and wait is not None:
        split["commands"] = duration - wait - stop
    ran = [d for d in durations if d is not None]
    if duration is not None and ran:
        split["first"] = duration - stop - sum(ran[1:])
    return split


def run_json(ours, paths, out, args):
    """Runs ours with --format json on paths; the result and the events."""
    argv = [ours.argv0, "run"] + ours.extra + ["--format", "json"] + paths
    r = run(argv, os.path.dirname(paths[0]), args.timeout, stdout_path=out)
    events = []
    with open(out, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                events.append(event)
    return r, events


def bare_floor(ours, base, args, log):
    """D2's floor: the same 200 docker commands in one bare loop, output discarded, against one
    standing private engine (a transcript whose one command runs the loop: its duration)."""
    directory = os.path.join(base, "D2-floor")
    os.makedirs(directory)
    lines = ["n=0"]
    for _ in range(D2_FILES):
        lines += ["%s >/dev/null && n=$((n+1))" % command for command, _ in D2_COMMANDS]
    lines.append("echo $n")
    write(os.path.join(directory, "loop.sh"), "\n".join(lines) + "\n")
    write(os.path.join(directory, "transcript.toml"), '[docker]\nfixtures = "busybox"\n')
    count = D2_FILES * len(D2_COMMANDS)
    path = os.path.join(directory, "floor.md")
    write(path, md_file("D2 floor", [("bash \"$TRANSCRIPT_DIR/loop.sh\"", [str(count)])], "requires=docker"))
    log("docker D2 floor (%d commands in one loop)" % count)
    r, events = run_json(ours, [path], os.path.join(base, "D2-floor.jsonl"), args)
    commands = [e for e in events if e.get("event") == "command"]
    if not r.ok or not commands or not commands[0].get("passed"):
        return {"status": "failed (exit %d)" % r.status, "commands": count}
    return {"status": "passed", "commands": count, "loop_ms": commands[0].get("duration_ms")}


def print_engine_workload(w, d, rows):
    """The table of an engine workload: the wall time and the first command's end against their
    targets, each file's split and its medians, and D2's floor."""
    print("%s: %d transcripts with requires=%s, transcript only: %s" % (w, d["files"], d["engine"], d["status"]))
    if "wall_ms" in d:
        target = d.get("target_ms_per_file")
        verdict_text = "" if not target else "  (target <= %d)" % target
        print("  wall %s ms in all, %s ms per transcript%s" % (fmt_ms(d["wall_ms"]), fmt_ms(d["wall_ms_per_file"]), verdict_text))
    first = d.get("split_median_ms", {}).get("first")
    if first is not None:
        target = d.get("target_first_ms")
        print("  first command's end after the file began: median %s ms, max %s ms%s" % (
            fmt_ms(first), fmt_ms(d.get("first_max_ms")), "  (target: median <= %d)" % target if target else ""))
    if d.get("met") is not None:
        print("  targets: %s" % ("met" if d["met"] else "NOT MET"))
    if rows:
        medians = d.get("split_median_ms", {})
        rows = rows + [["median", ""] + [fmt_ms(medians.get(k)) for k in SPLIT]]
        print(table(rows, ["file", "status"] + [k + "_ms" for k in SPLIT]))
    floor = d.get("floor")
    if floor:
        print("  floor: %d commands in one bare loop on one standing engine: %s ms (%s)" % (
            floor["commands"], fmt_ms(floor.get("loop_ms")), floor["status"]))
    for line in d.get("stderr", []):
        print("  | " + line)
