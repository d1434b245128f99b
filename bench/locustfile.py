"""B4 load: the whole 重大 hazard loop over HTTP (REST API, token auth). Each locust user is a pair:
an enterprise's safety manager (registers a 重大 hazard with its basis, submits the six-element
governance plan, uploads a photo as completion evidence, submits the completion) and an officer of
the competent department (商务局, accepts: 销号). Started by bench/b4_http.py with
BENCH_LOCUST_CONFIG = a JSON file {"pairs": [{"enterprise_token", "department_token", "enterprise"}],
"sector", "counts_file"}; at exit the exact number of successful calls per step and every response
seen (the request event hook, not the CSV) are written to counts_file."""

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

from locust import FastHttpUser, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.b4_common import (  # noqa: E402
    ACCEPTANCE,
    BASIS_REASON,
    COMPLETION,
    DESCRIPTION,
    EVIDENCE_NAME,
    PLAN,
    STEPS,
    deadline,
    evidence_png,
    multipart,
    token_headers,
)

CONFIG = json.loads(open(os.environ["BENCH_LOCUST_CONFIG"], encoding="utf-8").read())
PAIRS = itertools.cycle(CONFIG["pairs"])
DONE = {step: 0 for step in STEPS}  # successful state-changing calls whose answer came back
LOOPS = {"started": 0, "completed": 0}
# Every response, counted as it arrives (the CSV stats leave out requests finishing after the last flush).
SEEN = {"responses": 0, "failures": 0, "by_status": {}}
# When the first request left and the last answer came back (epoch seconds): the load's own window,
# without locust's start-up (the floor's timing leaves out Python and Django start-up too).
WINDOW = {"first_sent": None, "last_answered": None}


@events.request.add_listener
def _count(request_type, name, response_time, response_length, exception=None, response=None, **kwargs):
    SEEN["responses"] += 1
    now = time.time()
    sent = now - (response_time or 0) / 1000
    WINDOW["first_sent"] = sent if WINDOW["first_sent"] is None else min(WINDOW["first_sent"], sent)
    WINDOW["last_answered"] = now if WINDOW["last_answered"] is None else max(WINDOW["last_answered"], now)
    status = str(getattr(response, "status_code", "no response"))
    key = f"{name} {status}"
    SEEN["by_status"][key] = SEEN["by_status"].get(key, 0) + 1
    if exception is not None:
        SEEN["failures"] += 1


@events.quitting.add_listener
def _write_counts(environment, **kwargs):
    """After every user has finished its task (--stop-timeout): the exact success and failure counts."""
    with open(CONFIG["counts_file"], "w", encoding="utf-8") as fh:
        json.dump({"done": DONE, "loops": LOOPS, "seen": SEEN, "window": WINDOW}, fh)


class HazardLoop(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        pair = next(PAIRS)
        self.ent_headers = token_headers(pair["enterprise_token"])
        self.dept_headers = token_headers(pair["department_token"])
        self.enterprise = pair["enterprise"]
        self.rng = random.Random()

    def _post(self, url, step, expected, headers, **kwargs):
        with self.client.post(url, name=step, headers=headers, catch_response=True, **kwargs) as r:
            if r.status_code != expected:
                r.failure(f"{r.status_code} {r.text[:200]}")
                return None
            DONE[step] += 1
            return r

    @task
    def major_hazard_loop(self):
        LOOPS["started"] += 1
        due = deadline().isoformat()
        r = self._post("/api/v1/hazards/", "register", 201, self.ent_headers, json={
            "enterprise": self.enterprise, "sector": CONFIG["sector"], "grade": "major", "description": DESCRIPTION,
            "location": "后厨", "basis_reason": BASIS_REASON, "deadline": due})
        if r is None:
            return
        base = f"/api/v1/hazards/{r.json()['id']}/"
        if self._post(base + "actions/submit_plan/", "submit_plan", 200, self.ent_headers,
                      json={**PLAN, "deadline": due}) is None:
            return
        body, content_type = multipart({"kind": "evidence"}, {"evidence": (EVIDENCE_NAME, evidence_png(self.rng), "image/png")})
        if self._post(base + "attachments/", "upload_evidence", 201, {**self.ent_headers, "Content-Type": content_type},
                      data=body) is None:
            return
        if self._post(base + "actions/submit_completion/", "submit_completion", 200, self.ent_headers,
                      json=COMPLETION) is None:
            return
        if self._post(base + "actions/accept/", "accept", 200, self.dept_headers, json=ACCEPTANCE) is not None:
            LOOPS["completed"] += 1
