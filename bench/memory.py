"""Peak memory of the current process, for the benchmarks' child processes."""


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB. Not ``getrusage``'s ``ru_maxrss``: Linux
    keeps that across ``execve``, so a child started by the bench reports the bench's own peak (the
    forked copy of the parent) when that is higher."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0
