"""Test helpers every app uses: the personas and the permission matrix.

Personas are the demo's named users (PRODUCT.md), built by the same services:

    committee (hb_anweiban)      区安委办, all sectors of 河北区
    province (tj_anweiban)       市安委办 (天津 province level)
    emergency (hb_yingji)        应急管理局, 综合监管: all sectors of 河北区
    emergency2 (hb_yingji2), emergency_lead (hb_yingji_lead)
    commerce (hb_shangwu)        商务局: only 商贸 in 河北区
    commerce_lead (hb_shangwu_lead)
    housing (hb_zhujian)         住建委: 建筑施工, 城镇燃气, 自建房
    township (jd_guangfudao)     光复道街道: its township only
    township_other (jd_wanghailou)
    other_region (hd_yingji)     河东区应急管理局 — another district
    enterprise (qy_xinlong)      principal of 鑫隆商贸 (commerce, 光复道街道)
    enterprise_safety (qy_xinlong_aq)
    enterprise_other (qy_jinjian) principal of 津建三公司 (construction)
    enterprise_gas_station (qy_jiayouzhan)
    agency (dsf_expert)          third party engaged for enterprises 10–12
    nobody                       logged in, no membership
    anon                         not logged in
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

PERSONAS = {
    "committee": "hb_anweiban",
    "committee_lead": "hb_anweiban_lead",
    "province": "tj_anweiban",
    "emergency": "hb_yingji",
    "emergency2": "hb_yingji2",
    "emergency_lead": "hb_yingji_lead",
    "commerce": "hb_shangwu",
    "commerce_lead": "hb_shangwu_lead",
    "housing": "hb_zhujian",
    "market": "hb_shichang",
    "township": "jd_guangfudao",
    "township_other": "jd_wanghailou",
    "other_region": "hd_yingji",
    "enterprise": "qy_xinlong",
    "enterprise_safety": "qy_xinlong_aq",
    "enterprise_other": "qy_jinjian",
    "enterprise_gas_station": "qy_jiayouzhan",
    "agency": "dsf_expert",
    "admin": "admin",
}


@dataclass
class World:
    ctx: dict
    users: dict = field(default_factory=dict)

    def user(self, persona: str):
        if persona == "nobody":
            User = get_user_model()
            return User.objects.get_or_create(username="nobody", defaults={"first_name": "无单位用户"})[0]
        return self.ctx["users"][PERSONAS[persona]]

    def org(self, key: str):
        return self.ctx["orgs"][key]

    @property
    def enterprises(self):
        return self.ctx["enterprises"]

    # Named enterprises (indexes into core.demo.ENTERPRISES)
    @property
    def ent_commerce(self):  # 鑫隆商贸, 光复道街道, commerce — the 'enterprise' persona's own
        return self.enterprises[0]

    @property
    def ent_commerce2(self):  # 海河之星超市, 望海楼街道, commerce
        return self.enterprises[1]

    @property
    def ent_construction(self):  # 津建三公司, construction — 'enterprise_other'
        return self.enterprises[6]

    @property
    def ent_hazchem(self):  # 建昌道加油站, hazchem
        return self.enterprises[11]

    @property
    def ent_other_region(self):  # 河东区 enterprise
        return self.ctx["other_enterprise"]

    @property
    def district(self):
        return self.ctx["district"]

    @property
    def townships(self):
        return self.ctx["townships"]


def build_world() -> World:
    from core.demo import load_base
    from regions.loader import TEST_FILE, load_regions
    from regions.models import Region

    if not Region.objects.filter(code="120105").exists():
        load_regions(TEST_FILE)
    ctx: dict = {"orgs": {}, "users": {}, "enterprises": [], "logins": []}
    load_base(ctx)
    return World(ctx=ctx)


def client_as(client, world: World, persona: str):
    """Log ``client`` in as a persona ("anon" logs out)."""
    client.logout()
    if persona != "anon":
        client.force_login(world.user(persona))
    return client


def link_href(html: str, testid: str) -> str:
    """The href of the link marked ``data-testid="<testid>"`` in a page (entities unescaped), to
    follow it as a user would; fails when the page has no such link."""
    marker = f'data-testid="{testid}"'
    assert marker in html, f"no {testid} link"
    start = html.rindex('href="', 0, html.index(marker)) + len('href="')
    return html[start:html.index('"', start)].replace("&amp;", "&")


def exported(client, url: str, params: dict | None = None):
    """Ask for a list export as a user does (the request queues a job and redirects to its page),
    run the job as the worker would, and return (job, file bytes) — the file downloaded from the
    job's result link by the same client. Fails when the export was not queued or did not finish."""
    from jobs import runner
    from jobs.models import Job

    response = client.get(url, params or {})
    assert response.status_code == 302 and "/jobs/" in response["Location"], (response.status_code, response.content[:300])
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    runner.run(pk)
    job = Job.objects.get(pk=pk)
    assert job.status == Job.Status.DONE, (job.status, job.message)
    download = client.get(f"/jobs/{job.pk}/result/")
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def check_matrix(client, world: World, url: str, expected: dict, *, method: str = "get", data=None,
                 content_type=None, follow_redirect_to_login: bool = True) -> None:
    """Request ``url`` as each persona and compare statuses.

    ``expected`` maps persona → status code (or a tuple of acceptable codes). The special
    value "login" means: redirected (302) to the login page. Fails once with every mismatch.
    """
    problems = []
    for persona, want in expected.items():
        client_as(client, world, persona)
        kwargs = {}
        if data is not None:
            kwargs["data"] = data
        if content_type:
            kwargs["content_type"] = content_type
        response = getattr(client, method)(url, **kwargs)
        status = response.status_code
        if want == "login":
            ok = status == 302 and "/accounts/login/" in response.get("Location", "")
        elif isinstance(want, tuple):
            ok = status in want
        else:
            ok = status == want
        if not ok:
            problems.append(f"{persona}: got {status}, expected {want}")
    client.logout()
    assert not problems, f"{method.upper()} {url}:\n  " + "\n  ".join(problems)


#: tables only data migrations fill, one per app whose rules every other test relies on: when any is
#: empty, a transactional test's flush has removed the migrations' data
SENTINELS = ("accounts.Sector", "enforcement.PenaltyArticle", "accidents.DeadlineRule", "tips.DeadlineRule")


def migration_data_present() -> bool:
    from django.apps import apps

    return all(apps.get_model(label).objects.exists() for label in SENTINELS)


def restore_migration_data() -> bool:
    """Re-run every data migration (RunPython) in dependency order when a transactional test's
    flush emptied the tables they fill (sectors, standards, policies, band tables …).

    Returns True when data was restored. A no-op while the data is still there.
    """
    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    if migration_data_present():
        return False
    from django.core.management import call_command

    from accounts.models import Sector

    if Sector.objects.exists():
        # part of it is there: rows were committed into flushed tables (e.g. a fixture that loads
        # demo data after a transactional test) — start from empty, as after a flush
        call_command("flush", interactive=False, verbosity=0)
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    seen, plan = set(), []
    for leaf in loader.graph.leaf_nodes():
        for node in loader.graph.forwards_plan(leaf):
            if node not in seen:
                seen.add(node)
                plan.append(node)

    class _Editor:  # data functions read .connection; index-creating ones call .execute (idempotent SQL)
        @staticmethod
        def execute(sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params or None)

    editor = _Editor()
    editor.connection = connection
    for node in plan:
        migration = loader.graph.nodes[node]
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(global_apps, editor)
    return True


def admin_change_data(request_user, obj) -> dict:
    """The POST data of ``obj``'s change form in the Django admin, as the form shows it now (what a
    superuser's browser sends back unchanged): a test changes the fields it wants and posts it."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = request_user
    form = admin.site._registry[type(obj)].get_form(request, obj, change=True)(instance=obj)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data
