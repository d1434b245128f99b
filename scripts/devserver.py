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
                             env={**os.environ, "PYTHONUNBUFFERED": "1"})
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
    for p in children.values():
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in children.values():
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
    return code


if __name__ == "__main__":
    sys.exit(main())
