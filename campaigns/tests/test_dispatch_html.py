"""The dispatch table and the roll-up print the same HTML as the template loops they replaced.

The table's cells and the roll-up's lines are built in Python in one pass (``table_body``,
``rollup_lines_html``, ``rollup_rows_html``); the oracle here is the template markup the pages
used before, rendered by Django's template engine over the same data: every cell, remark, input,
自动 badge, 迟报/按时 badge, link and "—" must come out byte for byte the same."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Engine

from campaigns import rows as R
from campaigns import services as cs
from campaigns.tables import lines_for, rollup, rollup_lines_html, rollup_rows_html, table_body

from .scenario import AS_OF_1, AS_OF_2, at, build

TABLE = Engine.get_default().from_string("""{% load qingling %}{% for section in sections %}
  <tr class="table-light"><th colspan="6">{{ section.title }}</th></tr>
  {% for line in section.lines %}<tr>
    {% for item in line %}
      <td>{% for cell in item %}{% if forloop.first %}{{ cell.row.code }} {{ cell.row.label }}{% else %}，{{ cell.row.label }}{% endif %}{% endfor %}
        {% for cell in item %}{% if cell.row.remark %}<div class="small text-muted" data-testid="remark-{{ cell.row.code }}">注：{{ cell.row.remark }}</div>{% endif %}{% endfor %}</td>
      <td>{% for cell in item %}<div data-code="{{ cell.row.code }}">{% if cell.blank %}<span class="text-muted" data-testid="blank-{{ cell.row.code }}">（行业主管部门填写）</span>{% elif cell.auto or not can_submit %}<span data-testid="value-{{ cell.row.code }}">{% if cell.value is None %}<span class="text-muted">—</span>{% elif cell.row.kind == "bool" %}{% if cell.value %}是{% else %}否{% endif %}{% else %}{{ cell.value }}{% endif %}</span>{% if cell.auto %} <span class="badge text-bg-light">自动</span>{% endif %}{% elif cell.row.kind == "bool" %}<select class="form-select form-select-sm" name="row_{{ cell.row.code }}" aria-label="{{ cell.row.code }}"><option value=""{% if cell.value is None %} selected{% endif %}>未填</option><option value="是"{% if cell.value is True %} selected{% endif %}>是</option><option value="否"{% if cell.value is False %} selected{% endif %}>否</option></select>{% else %}<input class="form-control form-control-sm" name="row_{{ cell.row.code }}" value="{% if cell.value is not None %}{{ cell.value }}{% endif %}" aria-label="{{ cell.row.code }}">{% endif %}</div>{% endfor %}</td>
      <td>{% for cell in item %}{% if not forloop.first %}，{% endif %}{{ cell.row.unit }}{% endfor %}</td>
    {% endfor %}
  </tr>{% endfor %}
{% endfor %}""")

LINES = Engine.get_default().from_string("""{% for g in data.groups.values %}{% for line in g.lines %}<tr data-testid="line-{{ line.unit.pk }}"><td>{{ g.label }}</td><td>{% if line.sub %}<a href="{% url 'campaigns:submission' line.sub.pk %}">{{ line.unit.name }}</a>{% else %}{{ line.unit.name }}{% endif %}</td>
<td>{% if line.this_week %}已报送（第{{ line.sub.version }}版）{% if line.late %} <span class="badge text-bg-danger" data-testid="late">迟报</span>{% else %} <span class="badge text-bg-success">按时</span>{% endif %}{% elif line.sub %}<span class="text-danger">未报送</span>（最近：{{ line.sub.week }}）{% else %}<span class="text-danger">未报送</span>{% endif %}</td>
{% for v in line.figures %}<td>{{ v|default_if_none:"—" }}</td>{% endfor %}</tr>{% endfor %}{% endfor %}""")

ROWS = Engine.get_default().from_string("""{% load qingling %}{% for s in sections %}<tr class="table-light"><th colspan="8">{{ s.title }}</th></tr>
{% for r in s.rows %}<tr><td>{{ r.row.code|row_number }} {{ r.row.label }}</td><td>{{ r.row.unit }}</td>{% for v in r.groups %}<td>{{ v|default_if_none:"—" }}</td>{% endfor %}<td data-testid="live-{{ r.row.code }}">{{ r.live|default_if_none:"—" }}</td></tr>{% endfor %}{% endfor %}""")


@pytest.mark.parametrize("can_submit", [True, False])
@pytest.mark.parametrize("blank", [set(), {"1.3", "1.4"}])
@pytest.mark.parametrize("media", [True, False, None])  # 4.6 是/否, entered by hand: a choice of 是 / 否 / 未填
def test_table_cells_print_as_the_template_did(can_submit, blank, media):
    # every kind of value: computed ints, a Decimal amount, a boolean, a manual value, nothing, markup to escape
    values = {"1.1": 12, "1.2": 0, "3.3": 4, "3.3_amount": Decimal("1.2346"), "4.6": media, "4.7": 3, "4.5": "0.5000",
              "2.1": "<b>", "4.1": False}
    auto = {"1.1", "1.2", "3.3", "3.3_amount", "4.5"}
    sections = lines_for(values, auto, blank)
    expected = TABLE.render(Context({"sections": sections, "can_submit": can_submit}))
    assert str(table_body(sections, can_submit)) == expected
    assert "&lt;b&gt;" in expected
    media_cell = expected.split('data-code="4.6">', 1)[1].split("</div>", 1)[0]
    assert "True" not in media_cell and "False" not in media_cell  # the box showed the word True


def test_rollup_lines_and_rows_print_as_the_template_did(world):
    scen = build(world)
    campaign = scen["campaign"]
    with at(3, 10, 13):  # early in the week of 03-09: on time
        cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=campaign, as_of=AS_OF_1 - datetime.timedelta(days=5))
    with at(3, 15, 13):
        cs.submit(world.user("housing"), unit=world.org("housing"), campaign=campaign, as_of=AS_OF_1)
        cs.submit(world.user("township"), unit=world.org("township0"), campaign=campaign, as_of=AS_OF_1, manual={"4.7": "2", "4.6": "是"})
    for as_of in (AS_OF_1, AS_OF_2):  # this week's lines, then the same submissions as last week's
        data = rollup(world.org("committee"), as_of, campaign)
        lines = LINES.render(Context({"data": data}))
        assert str(rollup_lines_html(data)) == lines
        assert "/campaigns/submissions/" in lines or "href=" in lines
        sections = [{"title": title, "rows": [
            {"row": r, "groups": [g["values"].get(r.code) for g in data["groups"].values() if g["units"]], "live": data["live"].get(r.code)}
            for r in R.rows_of_section(key)]} for key, title in R.SECTIONS.items()]
        assert str(rollup_rows_html(sections)) == ROWS.render(Context({"sections": sections}))
    assert "已报送（第1版）" in LINES.render(Context({"data": rollup(world.org("committee"), AS_OF_1, campaign)}))
    assert "最近：" in LINES.render(Context({"data": rollup(world.org("committee"), AS_OF_2, campaign)}))
