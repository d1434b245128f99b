"""Dates on pages: 2026-12-16 and 2026-12-16 09:30 in Asia/Shanghai, whether a template prints a date
without a format or through |day / |moment (a <time> kept on one line). Expected strings written here."""

import datetime

from django.template import Context, Template
from django.utils import timezone


def render(source, **context):
    return Template(source).render(Context(context))


def test_a_date_printed_without_a_format_is_written_as_the_tables_write_it():
    half_past_one_utc = datetime.datetime(2026, 12, 16, 1, 30, tzinfo=datetime.UTC)
    assert render("{{ d }}|{{ t }}", d=datetime.date(2026, 12, 6), t=half_past_one_utc) == "2026-12-06|2026-12-16 09:30"


def test_day_and_moment_write_a_time_element_in_local_time():
    late_utc = datetime.datetime(2026, 12, 16, 17, 5, tzinfo=datetime.UTC)  # 01:05 the next day in Shanghai
    assert render("{{ d|day }}", d=datetime.date(2026, 12, 6)) == '<time datetime="2026-12-06">2026-12-06</time>'
    assert render("{{ t|moment }}", t=late_utc) == '<time datetime="2026-12-17 01:05">2026-12-17 01:05</time>'
    assert render("{{ t|day }}", t=late_utc) == '<time datetime="2026-12-17">2026-12-17</time>'


def test_no_date_is_empty_so_a_default_still_applies():
    assert render('{{ d|day }}|{{ d|moment|default:"—" }}', d=None) == "|—"
    assert render('{{ d|day|default:"从未" }}', d="") == "从未"


def test_a_date_box_shows_its_value_as_the_browser_reads_it():
    from django import forms

    assert 'value="2026-12-06"' in forms.DateInput(attrs={"type": "date"}).render("d", datetime.date(2026, 12, 6))
    local = timezone.make_aware(datetime.datetime(2026, 12, 6, 9, 30))
    assert 'value="2026-12-06T09:30"' in forms.DateTimeInput(attrs={"type": "datetime-local"}).render("t", local)


def test_a_text_is_written_as_it_is_and_a_date_given_to_moment_is_a_day():
    assert render("{{ d|day }}|{{ d|moment }}", d="本周") == "本周|本周"
    assert render("{{ d|moment }}", d=datetime.date(2026, 12, 6)) == '<time datetime="2026-12-06">2026-12-06</time>'
