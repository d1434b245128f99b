"""scripts/api_contract.py names what fails: a failing schemathesis case as its request and answer, and the
server's error report from its log (CI showed only "1 found 2 unique failures" once, not which)."""

import base64
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("api_contract", ROOT / "scripts" / "api_contract.py")
contract = importlib.util.module_from_spec(spec)
spec.loader.exec_module(contract)


def b64(text: str) -> dict:
    return {"$base64": base64.b64encode(text.encode()).decode()}


def test_a_failing_case_is_named_with_its_request_and_answer(tmp_path):
    recorder = {"cases": {"c1": {"value": {"method": "POST", "path": "/api/v1/accidents/{id}/approve/"}},
                          "c2": {"value": {"method": "GET", "path": "/api/v1/hazards/"}}},
                "checks": {"c1": [{"name": "not_a_server_error", "status": "failure"},
                                  {"name": "status_code_conformance", "status": "failure"},
                                  {"name": "content_type_conformance", "status": "success"}],
                           "c2": [{"name": "not_a_server_error", "status": "success"}]},
                "interactions": {"c1": {"request": {"method": "POST", "uri": "http://127.0.0.1:1/api/v1/accidents/3/approve/",
                                                    "body": b64('{"doc_no": "批〔2026〕1号"}')},
                                        "response": {"status_code": 500, "headers": {"x-request-id": ["abc123"]},
                                                     "content": b64("<h1>Server Error (500)</h1>")}}}}
    report = tmp_path / "st.ndjson"
    report.write_text(json.dumps({"ScenarioStarted": {}}) + "\n" + json.dumps({"ScenarioFinished": {"recorder": recorder}}))
    [line] = contract.failed_cases(report)
    assert line.startswith("not_a_server_error, status_code_conformance: POST http://127.0.0.1:1/api/v1/accidents/3/approve/ → 500")
    assert "request id abc123" in line and "批〔2026〕1号" in line and "Server Error (500)" in line
    assert contract.failed_cases(tmp_path / "missing.ndjson") == []


def test_the_server_log_gives_its_error_reports_and_nothing_else(tmp_path):
    log = tmp_path / "server.log"
    log.write_text(
        '2026-12-05 17:53:10,000 WARNING django.server "GET / HTTP/1.1" 404 1\n'
        "2026-12-05 17:53:11,000 ERROR django.request Internal Server Error: /api/v1/accidents/3/approve/\n"
        "Traceback (most recent call last):\n"
        '  File "core/api_http.py", line 160, in finalize_response\n'
        "TypeError: Object of type date is not JSON serializable\n"
        '2026-12-05 17:53:11,001 ERROR django.server "POST /api/v1/accidents/3/approve/ HTTP/1.1" 500 145\n'
        '2026-12-05 17:53:12,000 WARNING django.server "GET /x HTTP/1.1" 404 1\n')
    report = contract.server_tracebacks(log)
    assert report.splitlines()[0].endswith("Internal Server Error: /api/v1/accidents/3/approve/")
    assert report.splitlines()[-1] == "TypeError: Object of type date is not JSON serializable"
    assert "django.server" not in report
    assert contract.server_tracebacks(tmp_path / "none.log") == ""


def test_an_error_report_keeps_the_projects_frames_and_the_exception_once_with_its_count(tmp_path):
    report_lines = [
        "2026-12-05 12:0N:00,000 ERROR django.request Internal Server Error: /api/v1/obligations/checks/",
        "Traceback (most recent call last):",
        '  File "/w/.venv/lib/python3.11/site-packages/rest_framework/relations.py", line 457, in to_internal_value',
        "    return queryset.get(**{self.slug_field: data})",
        "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        '  File "/w/obligations/api.py", line 35, in create',
        "    return type(self).service(self.context['request'].user, enterprise, **validated_data)",
        "ValueError: A string literal cannot contain NUL (0x00) characters.",
        "",
        "The above exception was the direct cause of the following exception:",
        "",
        "Traceback (most recent call last):",
        '  File "/w/.venv/lib/python3.11/site-packages/psycopg/cursor.py", line 117, in execute',
        "django.db.utils.DataError: PostgreSQL text fields cannot contain NUL (0x00) bytes",
    ]
    log = tmp_path / "server.log"
    log.write_text("\n".join(line.replace("0N", f"0{n}") for n in (1, 2) for line in report_lines) + "\n")
    assert contract.server_tracebacks(log).splitlines() == [
        "ERROR django.request Internal Server Error: /api/v1/obligations/checks/",
        '  File "/w/obligations/api.py", line 35, in create',
        "    return type(self).service(self.context['request'].user, enterprise, **validated_data)",
        "ValueError: A string literal cannot contain NUL (0x00) characters.",
        "django.db.utils.DataError: PostgreSQL text fields cannot contain NUL (0x00) bytes",
        "  (×2)",
    ]
