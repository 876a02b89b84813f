"""The workloads: what each runs, its target, and its files generated in our Markdown format
and in cram's `.t` format."""

import os

# Targets: transcript's median wall time at most this fraction of cram's.
TARGETS = {"W4": 0.5, "W1": 0.5, "W2": 0.5, "W3": 0.3, "W3b": 0.5}

# Workloads timed side by side in the rounds, in this order.
TIMED = ["W4", "W1", "W2", "W3", "W3b"]
# Workloads measured for peak memory, ours only.
MEMORY = ["W3", "W100M"]
# Workloads of one private engine per file, ours only, run once: workload -> engine kind.
ENGINE_WORKLOADS = {"D1": "docker", "D1-podman": "podman", "D2": "docker"}
# Targets of the engine workloads: at most this many ms per transcript over the run.
ENGINE_TARGETS = {"D1": 150}
# Targets of the engine workloads: at most this many ms, median over the files, from a file's
# beginning to its first command's end.
ENGINE_FIRST_TARGETS = {"D1": 200}
# D2: files, and the docker commands of each (with their expected output), run as they are
# and, for the floor, in one bare loop against one standing private engine.
D2_FILES = 20
D2_COMMANDS = [
    ("docker images -q | sort -u | wc -l", ["3"]),
    ("docker image inspect -f '{{.Config.WorkingDir}}' training/webapp", ["/opt/webapp"]),
    ("docker image inspect -f '{{.Os}}' ubuntu", ["linux"]),
    ("docker images --format '{{.Repository}}:{{.Tag}}' myapp | sort", ["myapp:2.0.0", "myapp:latest"]),
    ("docker ps -aq | wc -l", ["0"]),
    ("docker volume ls -q | wc -l", ["0"]),
    ("docker version --format '{{.Server.Os}}'", ["linux"]),
    ("docker info --format '{{.Containers}}'", ["0"]),
    ("docker tag ubuntu:latest ubuntu:copy && docker images -q ubuntu | sort -u", ["[0-9a-f]{12} (re)"]),
    ("docker rmi -f ubuntu:copy | head -1", ["Untagged: ubuntu:copy"]),
]
ALL = TIMED + ["W100M"] + list(ENGINE_WORKLOADS)

DESCRIPTIONS = {
    "W4": "1 file, 1 command (`true`)",
    "W1": "1 file, 1000 `echo` commands",
    "W2": "200 files x 5 `echo` commands",
    "W3": "1 command, 20000 lines, each `id-[0-9]+ (re)`",
    "W3b": "1 command, 20000 lines, each a different regex `id-0*N (re)`",
    "W100M": "1 command printing 100 MB, expected `...` (ours only)",
    "D1": "N files with requires=docker, one docker command each, busybox fixtures (ours only)",
    "D1-podman": "N files with requires=podman, one docker command each, busybox fixtures (ours only)",
    "D2": "20 files with requires=docker, 10 docker commands each, beside the same 200 commands "
          "in one bare loop on one standing private engine (ours only)",
}

SEQ_CMD = "seq 1 20000 | sed 's/^/id-/'"
BIG_CMD = "head -c 100000000 /dev/zero | tr '\\0' 'x' | fold -w 100"


# ---------------------------------------------------------------- generation

def md_file(title, commands, file_options=None):
    """A transcript: `commands` is a list of (command, [expected lines])."""
    lines = []
    if file_options:
        lines += ["<!-- transcript-file: %s -->" % file_options, ""]
    lines += ["# " + title, "", "```console"]
    for command, expected in commands:
        lines.append("$ " + command)
        lines += expected
    lines += ["```", ""]
    return "\n".join(lines)


def t_file(title, commands):
    """The same session in cram's format: two-space-indented lines."""
    lines = [title, ""]
    for command, expected in commands:
        lines.append("  $ " + command)
        lines += ["  " + line for line in expected]
    lines.append("")
    return "\n".join(lines)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def generate(name, base, docker_files):
    """Writes one workload under base/NAME/{md,t}/ and returns
    {"md": [paths], "t": [paths]} (the .t list empty for ours-only workloads)."""
    work = os.path.join(base, name)
    md_dir, t_dir = os.path.join(work, "md"), os.path.join(work, "t")
    os.makedirs(md_dir)
    os.makedirs(t_dir)
    files = {}  # stem -> commands
    md_only = False
    file_options = None
    if name == "W4":
        files["w4"] = [("true", [])]
    elif name == "W1":
        files["w1"] = [("echo line-%d" % i, ["line-%d" % i]) for i in range(1, 1001)]
    elif name == "W2":
        for f in range(1, 201):
            files["w2-%03d" % f] = [("echo file-%d-line-%d" % (f, i), ["file-%d-line-%d" % (f, i)])
                                    for i in range(1, 6)]
    elif name == "W3":
        files["w3"] = [(SEQ_CMD, ["id-[0-9]+ (re)"] * 20000)]
    elif name == "W3b":
        files["w3b"] = [(SEQ_CMD, ["id-0*%d (re)" % n for n in range(1, 20001)])]
    elif name == "W100M":
        files["w100m"] = [(BIG_CMD, ["..."])]
        md_only = True
    elif name == "D2":
        for f in range(1, D2_FILES + 1):
            files["d2-%02d" % f] = D2_COMMANDS
        md_only = True
        file_options = "requires=docker"
        write(os.path.join(md_dir, "transcript.toml"), '[docker]\nfixtures = "busybox"\n')
    elif name in ENGINE_WORKLOADS:
        kind = ENGINE_WORKLOADS[name]
        for f in range(1, docker_files + 1):
            files["d1-%02d" % f] = [("docker images -q | sort -u | wc -l", ["3"])]
        md_only = True
        file_options = "requires=" + kind
        write(os.path.join(md_dir, "transcript.toml"), '[%s]\nfixtures = "busybox"\n' % kind)
    else:
        raise ValueError(name)
    out = {"md": [], "t": []}
    for stem, commands in sorted(files.items()):
        title = "%s: %s" % (name, stem)
        path = os.path.join(md_dir, stem + ".md")
        write(path, md_file(title, commands, file_options))
        out["md"].append(path)
        if not md_only:
            path = os.path.join(t_dir, stem + ".t")
            write(path, t_file(title, commands))
            out["t"].append(path)
    return out

