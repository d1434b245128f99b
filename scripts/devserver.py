"""`make run`: the web server and the job worker in one command; Ctrl-C (or either one exiting)
stops both. Output of each is prefixed with its name."""

import os
import signal
import subprocess
import sys
import threading

PY = sys.executable
PROCS = {
    "web": [PY, "manage.py", "runserver", "127.0.0.1:8000"],
    "worker": [PY, "manage.py", "run_worker"],
}


def pump(name, stream):
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{name:>6} | {line.decode(errors='replace')}")
        sys.stdout.flush()


def main() -> int:
    children = {}
    for name, cmd in PROCS.items():
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                             env={"QINGLING_SITE_URL": "http://127.0.0.1:8000", **os.environ, "PYTHONUNBUFFERED": "1"})
        children[name] = p
        threading.Thread(target=pump, args=(name, p.stdout), daemon=True).start()
    stopping = threading.Event()

    def stop(*_):
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping.is_set():
        for name, p in children.items():
            if p.poll() is not None:
                print(f"{name} exited ({p.returncode}); stopping", flush=True)
                code = p.returncode or 1
                stopping.set()
        stopping.wait(0.5)
    for name, p in children.items():
        if p.poll() is None:
            # the worker's main process only: it lets its pool finish the running tasks and stops
            # them (a SIGTERM to the whole group killed the pool at once, leaving jobs "running"
            # until the sweep took them back); the web server's group (autoreloader) at once
            if name == "worker":
                p.send_signal(signal.SIGTERM)
            else:
                os.killpg(p.pid, signal.SIGTERM)
    for name, p in children.items():
        try:
            p.wait(timeout=30 if name == "worker" else 10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
    return code


if __name__ == "__main__":
    sys.exit(main())
