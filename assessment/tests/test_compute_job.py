"""The annual assessment's computation as a background job (issue 15): the 计算 button and the API
queue a job of kind ``assessment.compute`` (same checks before queueing and again in the job, which
calls ``services.compute`` as the user who asked), the set's page shows its progress (units done /
total) to whoever sees every result of the set and the results once done; a second request while
one is queued or running gets that one; a finalised set is refused; a failing computation fails
the job with a Chinese message. The jobs run as the worker runs them (``jobs.runner.run``)."""

import pytest

from assessment import services, sources
from assessment.models import Assessment, IndicatorSet, Score
from core.models import Event, Notification
from core.services import ServiceError
from core.testing import check_matrix, client_as
from jobs import runner
from jobs.models import Job

pytestmark = pytest.mark.django_db
J = "application/json"
KIND = "assessment.compute"


@pytest.fixture(autouse=True)
def _worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QINGLING_JOBS_INLINE = False  # the job waits for the worker; the test runs it (jobs.runner.run)


@pytest.fixture
def s(world):
    return services.create_set(world.user("committee"), year=2026, name="2026年度考评")


def _click(client, world, s, persona="committee"):
    client_as(client, world, persona)
    return client.post(f"/assessment/{s.pk}/compute/")


def _only_job():
    (job,) = Job.objects.filter(kind=KIND)
    return job


def _scores(s):
    """Everything compute writes, per (unit, indicator) and per unit."""
    scores = {(sc.assessment.unit_id, sc.indicator_id): (sc.value, sc.score, sc.evidence)
              for sc in Score.objects.filter(assessment__indicator_set=s).select_related("assessment")}
    units = {a.unit_id: (a.total, a.rating, a.veto_note, a.rank) for a in Assessment.objects.filter(indicator_set=s)}
    return scores, units


# ---------------------------------------------------------------- the page

def test_the_button_queues_a_job_and_the_page_shows_its_progress_then_the_results(client, world, s):
    r = _click(client, world, s)
    assert r.status_code == 302 and r["Location"] == f"/assessment/{s.pk}/"
    job = _only_job()
    s.refresh_from_db()
    assert (job.status, job.owner, job.params, s.computation_id) == ("pending", world.user("committee"), {"set": s.pk}, job.pk)
    assert not Assessment.objects.filter(indicator_set=s).exists() and s.status == "draft"  # nothing computed in the request
    page = client.get(f"/assessment/{s.pk}/").content.decode()
    assert 'data-testid="computation"' in page and "正在计算考评结果" in page and "排队中" in page
    assert f'hx-get="/assessment/{s.pk}/computation/"' in page and 'data-testid="compute"' not in page
    assert runner.run(job.pk) == "done"
    page = client.get(f"/assessment/{s.pk}/").content.decode()
    units = services.units_of(s)
    assert 'data-testid="computation"' not in page and 'data-testid="compute"' in page and "重新计算考评结果" in page
    assert all(u.name in page for u in units) and "尚未计算" not in page
    s.refresh_from_db()
    assert s.status == "computed" and Assessment.objects.filter(indicator_set=s).count() == len(units)
    note = Notification.objects.get(recipient=world.user("committee"), kind="jobs.done")
    assert note.url == f"/jobs/{job.pk}/"
    job_page = client.get(note.url).content.decode()  # the notification's page links to the results
    assert f"已计算 {len(units)} 个被考评单位" in job_page and f'href="/assessment/{s.pk}/" data-testid="job-link"' in job_page


def test_the_polled_partial_shows_units_done_of_total_while_running_and_reloads_the_page_when_done(
        client, world, s, monkeypatch):
    monkeypatch.setattr("jobs.progress.MIN_INTERVAL", 0)  # every report written (they are throttled to 2/s)
    _click(client, world, s)
    job = _only_job()
    url = f"/assessment/{s.pk}/computation/"
    units = services.units_of(s)
    seen, real = [], sources.SOURCES["inspections"]

    def watching(unit, year):  # while the third unit is computed, look at the bar as the page polls it
        if len(seen) == 2 and "bar" not in seen:
            seen.append("bar")
            seen.append(client.get(url, HTTP_HX_REQUEST="true").content.decode())
        seen.append(unit.pk)
        return real(unit, year)

    monkeypatch.setitem(sources.SOURCES, "inspections", watching)
    assert runner.run(job.pk) == "done"
    bar = seen[3]
    assert f"2 / {len(units)}" in bar and 'hx-trigger="every 1s"' in bar and f'hx-get="{url}"' in bar
    r = client.get(url, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r["HX-Refresh"] == "true" and "hx-trigger" not in r.content.decode()
    assert client.get(url)["Location"] == f"/assessment/{s.pk}/"  # not htmx: the set's page


def test_the_job_is_handed_to_the_queue_once_the_request_commits(client, world, s, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args, **kwargs: sent.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _click(client, world, s)
        assert not sent  # not before the commit: the worker must find the job and the set pointing at it
    for callback in callbacks:
        callback()
    assert sent == [("jobs.runner.run", _only_job().pk)]


def test_a_second_click_while_queued_or_running_shows_the_same_job(client, world, s):
    _click(client, world, s)
    r = _click(client, world, s)
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "正在计算，未重复提交" in page and 'data-testid="computation"' in page
    _click(client, world, s, "committee_lead")  # a colleague of the office: the same computation too
    client_as(client, world, "committee")
    api = client.post(f"/api/v1/assessment-sets/{s.pk}/compute/", content_type=J)
    job = _only_job()
    assert api.status_code == 202 and api.json()["id"] == job.pk
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    _click(client, world, s)
    assert _only_job().pk == job.pk
    Job.objects.filter(pk=job.pk).update(status=Job.Status.PENDING)
    runner.run(job.pk)
    _click(client, world, s)  # finished: a new click is a new computation
    assert Job.objects.filter(kind=KIND).count() == 2
    s.refresh_from_db()
    assert s.computation_id != job.pk


def test_a_finalised_set_is_refused_before_queueing(client, world, s):
    services.compute(world.user("committee"), s)
    services.finalise(world.user("committee"), s)
    r = _click(client, world, s)
    assert r.status_code == 400 and "考评结果已确定，不能重新计算。" in r.content.decode()
    r = client.post(f"/api/v1/assessment-sets/{s.pk}/compute/", content_type=J)
    assert r.status_code == 400 and r.json()["message"] == "考评结果已确定，不能重新计算。"
    assert not Job.objects.filter(kind=KIND).exists()


def test_a_set_finalised_while_the_job_waited_is_not_recomputed(client, world, s):
    """finalise refuses while a computation is queued (below); should the set be finalised anyway
    (a job retried after its set was fixed), the job checks again and computes nothing."""
    services.compute(world.user("committee"), s)
    _click(client, world, s)
    IndicatorSet.objects.filter(pk=s.pk).update(status="finalised")
    before = _scores(s)
    job = _only_job()
    assert runner.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.message == "考评结果已确定，不能重新计算。"
    s.refresh_from_db()
    assert s.status == "finalised" and _scores(s) == before


def test_finalising_waits_for_a_computation_under_way(client, world, s):
    services.compute(world.user("committee"), s)
    _click(client, world, s)
    page = client.get(f"/assessment/{s.pk}/").content.decode()
    assert "确定考评结果" not in page  # not offered while it computes
    r = client.post(f"/assessment/{s.pk}/finalise/")
    assert r.status_code == 400 and "正在计算考评结果，请等计算完成后再确定。" in r.content.decode()
    r = client.post(f"/api/v1/assessment-sets/{s.pk}/finalise/", content_type=J)
    assert r.status_code == 400 and r.json()["message"] == "正在计算考评结果，请等计算完成后再确定。"
    s.refresh_from_db()
    assert s.status == "computed"
    assert runner.run(_only_job().pk) == "done"
    assert client.post(f"/assessment/{s.pk}/finalise/").status_code == 302
    s.refresh_from_db()
    assert s.status == "finalised"


def test_a_set_finalised_while_it_computed_keeps_its_results(world, s, monkeypatch):
    committee = world.user("committee")
    services.compute(committee, s)
    before = _scores(s)
    real, stale = sources.SOURCES["inspections"], IndicatorSet.objects.get(pk=s.pk)

    def finalised_meanwhile(unit, year):  # another reviewer fixes the results while this computes
        if IndicatorSet.objects.filter(pk=s.pk, status="computed").exists():
            IndicatorSet.objects.filter(pk=s.pk).update(status="finalised")
        return real(unit, year)

    monkeypatch.setitem(sources.SOURCES, "inspections", finalised_meanwhile)
    with pytest.raises(ServiceError) as refused:
        services.compute(committee, stale)
    assert refused.value.message == "考评结果已确定，不能重新计算。"
    monkeypatch.setitem(sources.SOURCES, "inspections", real)
    assert _scores(s) == before


# ---------------------------------------------------------------- the API

def test_the_api_answers_202_with_the_job_and_its_status_url(client, world, s):
    client_as(client, world, "committee")
    r = client.post(f"/api/v1/assessment-sets/{s.pk}/compute/", content_type=J)
    assert r.status_code == 202, r.content
    body = r.json()
    job = _only_job()
    url = f"/api/v1/assessment-sets/{s.pk}/computation/"
    assert (body["id"], body["kind"], body["status"], body["download"]) == (job.pk, KIND, "pending", None)
    assert r["Location"] == body["url"] == url
    assert not Assessment.objects.filter(indicator_set=s).exists()
    assert client.get(url).json()["status"] == "pending"
    assert client.get(f"/api/v1/jobs/{job.pk}/").json()["status"] == "pending"  # also among the caller's own jobs
    runner.run(job.pk)
    done = client.get(url).json()
    units = len(services.units_of(s))
    assert (done["status"], done["done"], done["total"], done["percent"], done["finished"]) == ("done", units, units, 100, True)
    assert done["summary"] == {"set": s.pk, "units": units}
    assert client.get(f"/api/v1/assessment-sets/{s.pk}/").json()["status"] == "computed"


def test_with_jobs_run_inline_the_answer_is_the_finished_job(client, world, s, settings):
    """QINGLING_JOBS_INLINE (development, the API contract's demo server): the job runs once the
    set's row is released, and the 202 already holds its outcome."""
    settings.QINGLING_JOBS_INLINE = True
    client_as(client, world, "committee")
    r = client.post(f"/api/v1/assessment-sets/{s.pk}/compute/", content_type=J)
    units = len(services.units_of(s))
    assert r.status_code == 202 and (r.json()["status"], r.json()["done"], r.json()["total"]) == ("done", units, units)
    s.refresh_from_db()
    assert s.status == "computed" and s.computation_id == r.json()["id"]


def test_the_schema_documents_the_202_and_the_computation(client, world):
    import yaml

    client_as(client, world, "admin")
    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]
    compute = paths["/api/v1/assessment-sets/{id}/compute/"]["post"]
    assert set(compute["responses"]) >= {"202"} and "200" not in compute["responses"]
    assert compute["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/Computation")
    assert "后台任务" in compute["summary"]
    assert "get" in paths["/api/v1/assessment-sets/{id}/computation/"]


# ---------------------------------------------------------------- the job: same scores, progress, failures

def test_the_job_computes_the_same_scores_as_the_service(client, world, s):
    _click(client, world, s)
    runner.run(_only_job().pk)
    by_job = _scores(s)
    assert by_job[0] and by_job[1]
    s.refresh_from_db()
    services.compute(world.user("committee"), s)  # the same data, computed directly
    assert _scores(s) == by_job
    actors = set(Event.objects.filter(verb="assessment.computed", object_id=s.pk).values_list("actor", flat=True))
    assert actors == {world.user("committee").pk}  # the job computed as the user who asked


def test_progress_reaches_the_total_of_units(client, world, s):
    calls = []
    services.compute(world.user("committee"), s, progress=lambda done, total: calls.append((done, total)))
    n = len(services.units_of(s))
    assert n > 3 and calls == [(i, n) for i in range(n + 1)]
    _click(client, world, s)
    job = _only_job()
    runner.run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", n, n, 100)


def test_a_refused_computation_fails_the_job_at_once_with_its_reason(client, world, s, monkeypatch):
    _click(client, world, s)

    def refuse(unit, year):
        raise ServiceError("数据来源暂不可用，请稍后重新计算。")

    monkeypatch.setitem(sources.SOURCES, "inspections", refuse)
    job = _only_job()
    assert runner.run(job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.message, job.attempts) == ("failed", "数据来源暂不可用，请稍后重新计算。", 1)
    assert not Assessment.objects.filter(indicator_set=s).exists()  # one transaction: nothing half written
    assert Notification.objects.filter(recipient=world.user("committee"), kind="jobs.failed").count() == 1
    page = client.get(f"/assessment/{s.pk}/").content.decode()
    assert "最近一次计算失败" in page and "数据来源暂不可用" in page and 'data-testid="compute"' in page


def test_an_unexpected_error_is_retried_then_fails_with_a_message(client, world, s, monkeypatch, settings):
    settings.QINGLING_JOB_RETRY_BASE_SECONDS = 0
    _click(client, world, s)

    def broken(unit, year):
        raise RuntimeError("boom")

    monkeypatch.setitem(sources.SOURCES, "inspections", broken)
    job = _only_job()
    assert [runner.run(job.pk) for _ in range(job.max_attempts)] == ["retry"] * job.max_attempts
    job.refresh_from_db()
    assert job.status == "failed" and job.message.startswith("任务执行失败") and "RuntimeError" in job.message
    assert not Assessment.objects.filter(indicator_set=s).exists()


def test_the_job_checks_again_as_the_user_who_asked(client, world, s):
    _click(client, world, s)
    job = _only_job()
    m = world.user("committee").membership
    m.role = m.Role.VIEWER  # no longer a writer of the office when the worker runs it
    m.save()
    assert runner.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.message == "只有考评组织单位（安委会办公室）可以办理。"
    assert not Assessment.objects.filter(indicator_set=s).exists()


def test_a_deactivated_user_s_job_computes_nothing(client, world, s):
    _click(client, world, s)
    user = world.user("committee")
    user.is_active = False
    user.save()
    job = _only_job()
    assert runner.run(job.pk) == "failed"
    job.refresh_from_db()
    assert "账号已停用" in job.message and not Assessment.objects.filter(indicator_set=s).exists()


# ---------------------------------------------------------------- who may queue it, who sees it

@pytest.mark.parametrize("persona,page,api", [
    ("emergency", 403, 403), ("commerce", 404, 404), ("township", 404, 404),  # not computed: no sheet of theirs yet
    ("other_region", 404, 404), ("enterprise", 404, 404), ("agency", 404, 404), ("anon", "login", 401)])
def test_only_the_reviewer_queues_it(client, world, s, persona, page, api):
    check_matrix(client, world, f"/assessment/{s.pk}/compute/", {persona: page}, method="post")
    check_matrix(client, world, f"/api/v1/assessment-sets/{s.pk}/compute/", {persona: api}, method="post",
                 content_type=J)
    assert not Job.objects.filter(kind=KIND).exists()
    s.refresh_from_db()
    assert s.computation_id is None


def test_the_job_and_the_computation_are_seen_only_by_who_sees_every_result(client, world, s):
    _click(client, world, s)
    job = _only_job()
    owner_only = {"committee": 200, "committee_lead": 404, "emergency": 404, "commerce": 404, "other_region": 404,
                  "enterprise": 404, "agency": 404}
    check_matrix(client, world, f"/jobs/{job.pk}/", {**owner_only, "anon": "login"})
    check_matrix(client, world, f"/api/v1/jobs/{job.pk}/", {**owner_only, "anon": 401})
    runner.run(job.pk)
    check_matrix(client, world, f"/jobs/{job.pk}/result/", {  # no file: the results are the set's page
        "committee": 404, "commerce": 404, "other_region": 404, "enterprise": 404, "anon": "login"})
    check_matrix(client, world, f"/api/v1/jobs/{job.pk}/download/", {
        "committee": 404, "commerce": 404, "other_region": 404, "enterprise": 404, "anon": 401})
    set_wide = {"committee": 200, "committee_lead": 200, "emergency": 200, "commerce": 404, "housing": 404,
                "township": 404, "other_region": 404, "enterprise": 404, "agency": 404, "nobody": 404}
    check_matrix(client, world, f"/api/v1/assessment-sets/{s.pk}/computation/", {**set_wide, "anon": 401})
    for persona, status in {**set_wide, "anon": "login"}.items():
        client_as(client, world, persona)
        r = client.get(f"/assessment/{s.pk}/computation/", HTTP_HX_REQUEST="true")
        assert (r.status_code == 302 and "/accounts/login/" in r["Location"]) if status == "login" \
            else r.status_code == status, (persona, r.status_code)


def test_an_assessed_unit_sees_its_sheet_but_not_the_computation(client, world, s):
    _click(client, world, s)
    client_as(client, world, "commerce")
    page = client.get(f"/assessment/{s.pk}/").content.decode()
    assert 'data-testid="computation"' not in page and "正在计算" not in page
    client_as(client, world, "emergency")
    page = client.get(f"/assessment/{s.pk}/").content.decode()
    assert 'data-testid="computation"' in page and 'data-testid="compute"' not in page

