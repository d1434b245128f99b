"""The main menu per role: each role sees only what it may use.

An entry is (label, url, kinds): ``kinds`` are the organisation kinds (``accounts.Organisation.Kind``)
whose users see it; "superuser" sees everything. An entry may also name a predicate ``shown(user)``
for what depends on more than the kind of unit (the account pages: account administrators only). Apps add entries with :func:`register`
(called from their ``AppConfig.ready``), so the menu is declared in one place per app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.permissions import org_kind

GOVERNMENT = ("committee", "department", "township")
EVERYONE = GOVERNMENT + ("enterprise", "agency")


@dataclass(frozen=True)
class Entry:
    label: str
    url: str
    kinds: tuple
    order: int = 100
    shown: Callable | None = None

    def shown_to(self, user) -> bool:
        return self.shown is None or bool(self.shown(user))


def _manages_accounts(user) -> bool:
    from accounts.account_rules import may_manage_accounts

    return may_manage_accounts(user)


ENTRIES: list[Entry] = [
    Entry("隐患台账", "/hazards/", EVERYONE, 10),
    Entry("挂牌督办", "/supervision/", EVERYONE, 20),
    Entry("生产经营单位", "/enterprises/", GOVERNMENT + ("agency",), 30),
    Entry("监督检查", "/inspections/", GOVERNMENT, 40),
    Entry("执法与信用", "/enforcement/", GOVERNMENT, 50),
    Entry("举报奖励", "/tips/", GOVERNMENT, 60),
    Entry("事故调查", "/accidents/", EVERYONE, 62),
    Entry("考评", "/assessment/", GOVERNMENT, 64),
    Entry("主体责任", "/obligations/", EVERYONE, 70),
    Entry("风险分级", "/risks/", EVERYONE, 80),
    Entry("驾驶舱", "/campaigns/cockpit/", ("committee",), 5),
    Entry("调度统计", "/campaigns/", GOVERNMENT, 90),
    Entry("隐患统计报表", "/campaigns/reports/", ("enterprise",), 91),
    Entry("判定标准", "/standards/", EVERYONE, 110),
    Entry("账号管理", "/accounts/users/", EVERYONE, 120, shown=_manages_accounts),
]


def register(entry: Entry) -> None:
    if all(e.url != entry.url for e in ENTRIES):
        ENTRIES.append(entry)


def menu_for(user) -> list[Entry]:
    if not (user and user.is_authenticated):
        return []
    kind = org_kind(user)
    return sorted((e for e in ENTRIES if (kind == "superuser" or kind in e.kinds) and e.shown_to(user)),
                  key=lambda e: e.order)
