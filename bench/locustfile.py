"""B4 load: department officers (商务局, write scope) log in with their API tokens and register
一般 hazards then close them at once (close_now) over HTTP. Started by bench/b4_http.py with
BENCH_LOCUST_CONFIG = a JSON file {"tokens", "enterprises", "sector", "counts_file"}; at exit
the exact number of successful register / close_now calls is written to counts_file."""

import itertools
import json
import os
import random

from locust import HttpUser, constant, events, task

CONFIG = json.loads(open(os.environ["BENCH_LOCUST_CONFIG"], encoding="utf-8").read())
TOKENS = itertools.cycle(CONFIG["tokens"])
DONE = {"register": 0, "close_now": 0}  # successful state-changing calls whose answer came back
# Every response, counted as it arrives (the CSV stats leave out requests finishing after the last flush).
SEEN = {"responses": 0, "failures": 0, "by_status": {}}


@events.request.add_listener
def _count(request_type, name, response_time, response_length, exception=None, response=None, **kwargs):
    SEEN["responses"] += 1
    status = str(getattr(response, "status_code", "no response"))
    if exception is not None:
        SEEN["failures"] += 1
        SEEN["by_status"][f"{name} {status}"] = SEEN["by_status"].get(f"{name} {status}", 0) + 1


@events.quitting.add_listener
def _write_counts(environment, **kwargs):
    """After every user has finished its task (--stop-timeout): the exact success and failure counts."""
    with open(CONFIG["counts_file"], "w", encoding="utf-8") as fh:
        json.dump({**DONE, "seen": SEEN}, fh)


class DepartmentOfficer(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {next(TOKENS)}"
        self.rng = random.Random()

    @task
    def register_then_close(self):
        payload = {"enterprise": self.rng.choice(CONFIG["enterprises"]), "sector": CONFIG["sector"],
                   "description": "基准测试：消防通道堆放杂物", "grade": "general", "location": "仓库"}
        with self.client.post("/api/v1/hazards/", json=payload, name="register", catch_response=True) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code} {r.text[:200]}")
                return
            DONE["register"] += 1
            pk = r.json()["id"]
        with self.client.post(f"/api/v1/hazards/{pk}/actions/close_now/", json={"evidence_note": "现场已整改，照片存档"},
                              name="close_now", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.text[:200]}")
            else:
                DONE["close_now"] += 1
