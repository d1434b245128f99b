"""B4 load: the whole 重大 hazard loop over HTTP (REST API, token auth). Each locust user is a pair:
an enterprise's safety manager (registers a 重大 hazard with its basis, submits the six-element
governance plan, uploads a photo as completion evidence, submits the completion) and an officer of
the competent department (商务局, accepts: 销号). Started by bench/b4_http.py with
BENCH_LOCUST_CONFIG = a JSON file {"pairs": [{"enterprise_token", "department_token", "enterprise"}],
"sector", "counts_file"}; at exit the exact number of successful calls per step and every response
seen (the request event hook, not the CSV) are written to counts_file."""

import datetime
import io
import itertools
import json
import os
import random

from locust import HttpUser, constant, events, task

CONFIG = json.loads(open(os.environ["BENCH_LOCUST_CONFIG"], encoding="utf-8").read())
PAIRS = itertools.cycle(CONFIG["pairs"])
STEPS = ("register", "submit_plan", "upload_evidence", "submit_completion", "accept")
DONE = {step: 0 for step in STEPS}  # successful state-changing calls whose answer came back
LOOPS = {"started": 0, "completed": 0}
# Every response, counted as it arrives (the CSV stats leave out requests finishing after the last flush).
SEEN = {"responses": 0, "failures": 0, "by_status": {}}


@events.request.add_listener
def _count(request_type, name, response_time, response_length, exception=None, response=None, **kwargs):
    SEEN["responses"] += 1
    status = str(getattr(response, "status_code", "no response"))
    key = f"{name} {status}"
    SEEN["by_status"][key] = SEEN["by_status"].get(key, 0) + 1
    if exception is not None:
        SEEN["failures"] += 1


@events.quitting.add_listener
def _write_counts(environment, **kwargs):
    """After every user has finished its task (--stop-timeout): the exact success and failure counts."""
    with open(CONFIG["counts_file"], "w", encoding="utf-8") as fh:
        json.dump({"done": DONE, "loops": LOOPS, "seen": SEEN}, fh)


def evidence_png(rng) -> bytes:
    """A small, distinct PNG (a photo of the rectified spot, as far as the checks are concerned)."""
    from PIL import Image

    image = Image.new("RGB", (32, 24), tuple(rng.randrange(256) for _ in range(3)))
    image.putpixel((rng.randrange(32), rng.randrange(24)), tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class HazardLoop(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        pair = next(PAIRS)
        self.ent_headers = {"Authorization": f"Token {pair['enterprise_token']}"}
        self.dept_headers = {"Authorization": f"Token {pair['department_token']}"}
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
        deadline = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        r = self._post("/api/v1/hazards/", "register", 201, self.ent_headers, json={
            "enterprise": self.enterprise, "sector": CONFIG["sector"], "grade": "major",
            "description": "基准测试：液化气瓶违规存放于人员密集场所", "location": "后厨",
            "basis_reason": "依据行业判定标准，人员密集场所违规存放液化气瓶", "deadline": deadline})
        if r is None:
            return
        base = f"/api/v1/hazards/{r.json()['id']}/"
        plan = {"goal_tasks": "清除违规气瓶，改用管道燃气", "measures": "停用气瓶、改造管线、设置报警器",
                "funds_materials": "企业自筹，物资已落实", "funds_amount": "3.50", "responsible": "安全管理部，张三",
                "deadline": deadline, "safety_emergency": "整改期间停用后厨，配备灭火器，应急预案已演练"}
        if self._post(base + "actions/submit_plan/", "submit_plan", 200, self.ent_headers, json=plan) is None:
            return
        png = evidence_png(self.rng)
        if self._post(base + "attachments/", "upload_evidence", 201, self.ent_headers,
                      files={"evidence": ("整改后.png", png, "image/png")}, data={"kind": "evidence"}) is None:
            return
        if self._post(base + "actions/submit_completion/", "submit_completion", 200, self.ent_headers,
                      json={"evidence_note": "气瓶已清除，管道燃气已接通，照片已上传"}) is None:
            return
        if self._post(base + "actions/accept/", "accept", 200, self.dept_headers,
                      json={"mode": "on_site", "opinion": "现场验收合格，同意销号"}) is not None:
            LOOPS["completed"] += 1
