"""The one status of a page that shows its forms again (``core.forms.form_status``), the data its
form is bound to (``core.forms.posted``), and a scan of the views for statuses written by hand.

The expected answers come from the rule (PRODUCT.md: bad input gets a 4xx with the field and the
reason in Chinese; a refusal of permission is 403, a stale state 409), not from the function. The
scan is the second line of defence behind tests/test_form_pages_refuse_empty_posts.py (which posts
an empty form to every form page it can reach): in the views, a page's ``status=`` comes from
``form_status`` (or is a deliberate other refusal: 403, 404, 409, 429 …), never a 200 or 400 typed
in, never ``400 if form.errors else 200``; a view that validates a form passes a status to every
page it renders with a form; and no form is bound with ``request.POST or None`` (an empty POST is
then an unbound form, shown again with 200)."""

import ast
from pathlib import Path

import pytest
from django import forms
from django.http import QueryDict
from django.test import RequestFactory

from core.forms import form_status, posted
from core.services import NotPermitted, ServiceError, StaleState

ROOT = Path(__file__).resolve().parents[2]


class NameForm(forms.Form):
    name = forms.CharField(label="名称")


NameFormSet = forms.formset_factory(NameForm, extra=0)


def test_a_get_shows_a_blank_form_with_200():
    assert form_status(NameForm()) == 200


def test_a_bound_form_without_errors_is_200():
    assert form_status(NameForm({"name": "甲"})) == 200


def test_a_bound_form_with_errors_is_400():
    assert form_status(NameForm({})) == 400


def test_a_service_refusal_put_on_a_valid_form_is_400():
    form = NameForm({"name": "甲"})
    assert form.is_valid()
    form.add_error("name", "名称已被使用。")
    assert form_status(form) == 400


def test_one_form_with_errors_among_several_is_400_whichever_its_place():
    assert form_status(NameForm(), NameForm({"name": "甲"}), NameForm({})) == 400
    assert form_status(NameForm({}), NameForm()) == 400
    assert form_status(None, NameForm({"name": "甲"})) == 200


def test_a_formset_with_an_error_in_one_of_its_forms_is_400():
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-name": "甲", "form-1-name": ""}
    every_row = {"empty_permitted": False}  # as the safety managers' rows (enterprises' contacts page)
    assert form_status(NameFormSet(data, form_kwargs=every_row)) == 400
    data["form-1-name"] = "乙"
    assert form_status(NameFormSet(data, form_kwargs=every_row)) == 200


def test_a_formset_whose_management_data_is_missing_is_400():
    assert form_status(NameFormSet({})) == 400


def test_no_form_at_all_is_200():
    assert form_status() == 200


@pytest.mark.parametrize("refusal, expected", [
    (NotPermitted(), 403),
    (ServiceError("您无权办理。", code="permission_denied"), 403),
    (StaleState(), 409),
    (ServiceError("已有相同记录。", "name"), 400),
    (ValueError("not a number"), 400),
])
def test_a_refusal_is_403_when_not_permitted_409_when_stale_else_400(refusal, expected):
    assert form_status(refusal=refusal) == expected


def test_a_refusal_decides_even_when_the_forms_are_valid_or_blank():
    assert form_status(NameForm({"name": "甲"}), refusal=NotPermitted()) == 403
    assert form_status(NameForm(), refusal=StaleState()) == 409


def test_an_empty_post_binds_the_form_so_its_required_fields_are_refused():
    request = RequestFactory().post("/x/", {})
    assert posted(request) is not None and not posted(request)  # bound to the (empty) POST
    form = NameForm(posted(request))
    assert form.is_bound and form_status(form) == 400
    assert "name" in form.errors


def test_a_get_leaves_the_form_unbound():
    request = RequestFactory().get("/x/", {"name": "甲"})
    assert posted(request) is None


def test_a_post_with_data_binds_it():
    request = RequestFactory().post("/x/", {"name": "甲"})
    assert isinstance(posted(request), QueryDict) and posted(request)["name"] == "甲"


# ---------------------------------------------------------------- the scan of the views

RENDERERS = {"render", "render_list", "render_to_response"}


def view_modules() -> list[Path]:
    """Every module of the project's apps that renders pages (tests, migrations and the API apart)."""
    out = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in (".venv", "bench", "scripts", "docs", "var") or "tests" in rel.parts \
                or "migrations" in rel.parts or rel.name.startswith("api") or rel.parts[0].startswith("."):
            continue
        text = path.read_text(encoding="utf-8")
        if "render(" in text or "render_list(" in text or "render_to_response(" in text:
            out.append(path)
    return out


def callee(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def allowed_status(node, params: set[str]) -> bool:
    """A status from ``form_status``, a deliberate other refusal (an int that is neither 200 nor 400),
    the enclosing function's own ``status`` parameter passed on, or a choice between these."""
    if isinstance(node, ast.Call):
        return callee(node) == "form_status"
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int) and node.value not in (200, 400)
    if isinstance(node, ast.Name):
        return node.id in params
    if isinstance(node, ast.IfExp):
        return allowed_status(node.body, params) and allowed_status(node.orelse, params)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return all(allowed_status(v, params) for v in node.values)
    return False


def shows_a_form(call: ast.Call) -> bool:
    """A render whose context names a form (a ``…form…`` key) or is built elsewhere (a variable)."""
    context = call.args[2] if len(call.args) > 2 else next((k.value for k in call.keywords if k.arg == "context"), None)
    if isinstance(context, ast.Dict):
        return any(isinstance(k, ast.Constant) and "form" in str(k.value) for k in context.keys)
    return context is not None


def hand_written_statuses(source: str, name: str = "<module>") -> list[str]:
    """Where the module decides a form page's status by hand (``file:line: what``)."""
    tree = ast.parse(source)
    problems = []
    helpers = {f.name for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
               and "status" in {a.arg for a in f.args.args + f.args.kwonlyargs}}

    def visit(function, params: set[str]):
        nodes = list(ast.walk(function))
        validates = any(isinstance(n, ast.Call) and callee(n) == "is_valid" for n in nodes)
        # an inner function's or lambda's own parameters count inside it (press's ``shown``:
        # ``lambda exc, status: render(…, status=status)``, or a nested ``def shown(exc, status)``)
        in_lambda: dict[int, set[str]] = {}
        for inner_fn in (n for n in nodes if isinstance(n, (ast.Lambda, ast.FunctionDef)) and n is not function):
            for inner in ast.walk(inner_fn):
                in_lambda.setdefault(id(inner), set()).update(a.arg for a in inner_fn.args.args + inner_fn.args.kwonlyargs)
        for n in nodes:
            if isinstance(n, ast.BoolOp) and isinstance(n.op, ast.Or) and len(n.values) == 2 \
                    and isinstance(n.values[0], ast.Attribute) and n.values[0].attr == "POST" \
                    and isinstance(n.values[1], ast.Constant) and n.values[1].value is None:
                problems.append(f"{name}:{n.lineno}: request.POST or None (an empty POST is an unbound form: use posted)")
            if not isinstance(n, ast.Call) or callee(n) not in RENDERERS | helpers:
                continue
            status = next((k.value for k in n.keywords if k.arg == "status"), None)
            if status is None:
                if validates and callee(n) in RENDERERS and shows_a_form(n):
                    problems.append(f"{name}:{n.lineno}: {callee(n)}() of a form page without status=form_status(...)")
            elif not allowed_status(status, params | in_lambda.get(id(n), set())):
                problems.append(f"{name}:{n.lineno}: status={ast.unparse(status)} written by hand")

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # nested functions are visited on their own; their calls also count in the outer one
            visit(node, {a.arg for a in node.args.args + node.args.kwonlyargs})
    return sorted(set(problems), key=lambda p: (p.split(":")[0], int(p.split(":")[1])))


def test_the_scan_flags_each_hand_written_variant():
    source = '''
def a(request):
    form = F(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pass
    return render(request, "t.html", {"form": form}, status=400 if form.errors else 200)

def b(request):
    form = F(request.POST)
    form.is_valid()
    return render(request, "t.html", {"form": form})

def c(request, pk, status=200):
    return render(request, "t.html", {"form": F()}, status=status)

def d(request, pk):
    form = F(request.POST)
    if not form.is_valid():
        return c(request, pk, status=400)
    status = 400
    return render(request, "t.html", {"add_form": form}, status=status)

def e(request):
    form = F(request.POST)
    form.is_valid()
    return render(request, "t.html", {"form": form}, status=200)

def f(request):
    return press(request, call, None, "/x/", lambda exc, status: render(request, "t.html", {}, status=400))
'''
    found = hand_written_statuses(source, "m.py")
    assert found == [
        "m.py:3: request.POST or None (an empty POST is an unbound form: use posted)",
        "m.py:6: status=400 if form.errors else 200 written by hand",
        "m.py:11: render() of a form page without status=form_status(...)",
        "m.py:19: status=400 written by hand",
        "m.py:21: status=status written by hand",
        "m.py:26: status=200 written by hand",
        "m.py:29: status=400 written by hand",  # a lambda's own parameter only counts as such
    ]


def test_the_scan_lets_the_shared_status_and_deliberate_refusals_through():
    source = '''
def a(request, pk, bound=None, status=None):
    form = F(posted(request))
    if form.is_valid():
        return redirect("x")
    if stale:
        return render(request, "t.html", {"form": form}, status=409)
    return render(request, "t.html", {"form": form}, status=status or form_status(form))

def b(request):
    form = F(request.POST)
    refusal = None
    if form.is_valid():
        return render(request, "done.html", {"tip": 1})
    return render(request, "t.html", {"form": form}, status=404 if missing else form_status(form, refusal=refusal))

def c(request, pk):
    return press(request, call, None, "/x/", lambda exc, status: render(request, "t.html", {}, status=status))

def d(request, pk):
    def shown(exc, status):
        return render(request, "t.html", {"error": exc.message}, status=status)
    return press(request, call, None, "/x/", shown)
'''
    assert hand_written_statuses(source, "m.py") == []


def test_no_view_decides_a_form_pages_status_by_hand():
    modules = view_modules()
    assert len(modules) > 20, modules  # the scan reads the views (it would pass on none)
    problems = []
    for path in modules:
        problems += hand_written_statuses(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not problems, "\n".join(problems)
