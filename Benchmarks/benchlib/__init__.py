"""The benchmark's parts: workloads (what runs, generated as files), tools (running a program,
finding ours and the peers, checking their reports), timed (the interleaved rounds and peak
memory), engines (the engine workloads and their split), report (tables). Benchmarks/bench is
the entry point."""
