"""Roll-up up the tree: a city committee office sees one line per district committee office beside
the live recomputation for the whole city; the province sees the city office's line."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model

from campaigns import services as cs
from campaigns.tables import rollup

from . import tree

TZ = ZoneInfo("Asia/Shanghai")


def test_city_sees_its_districts_and_the_whole_city_live(client, world):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, tzinfo=TZ), tick=False):
        t = tree.build(world)
    with time_machine.travel(datetime.datetime(2026, 3, 16, 13, tzinfo=TZ), tick=False):  # after Monday 12:00: 迟报
        sub = cs.submit(world.user("committee"), unit=world.org("committee"), campaign=t["campaign"],
                        as_of=datetime.datetime(2026, 3, 16, 8, tzinfo=TZ))
    as_of = datetime.datetime(2026, 3, 16, 14, tzinfo=TZ)
    data = rollup(t["city_office"], as_of)
    lines = {line["unit"].name: line for line in data["groups"]["committee"]["lines"]}
    assert set(lines) == {"河北区安全生产委员会办公室", "河东区安全生产委员会办公室"}
    hebei, hedong = lines["河北区安全生产委员会办公室"], lines["河东区安全生产委员会办公室"]
    assert hebei["this_week"] and hebei["late"] and hebei["sub"] == sub and hebei["figures"][0] == 1  # 1.1: its self-found hazard
    assert hedong["sub"] is None and not hedong["this_week"]
    # the whole city live: the 河北 self-found hazard in 1.1, the 河东 department-found one in 1.3, each once
    assert (data["live"]["1.1"], data["live"]["1.3"]) == (1, 1)
    assert not data["groups"]["department"]["units"] and not data["groups"]["township"]["units"]
    # the province office sees the city office as its one line below
    prov = rollup(world.org("province_committee"), as_of, t["campaign"])
    assert [line["unit"].name for line in prov["groups"]["committee"]["lines"]] == ["天津市市辖区安委会办公室"]
    assert (prov["live"]["1.1"], prov["live"]["1.3"]) == (1, 1)
    client.force_login(get_user_model().objects.get(username=tree.CITY_USER))
    html = client.get("/campaigns/dispatch/rollup/?as_of=2026-03-16T14:00").content.decode()
    assert "全市实时重算" in html and "河东区安全生产委员会办公室" in html and "迟报" in html
