"""Demo tips in several states; one verified (with a ledger hazard), rewarded, approved and paid."""

import datetime

from django.utils import timezone

from accounts.models import Sector

from . import services
from .models import RewardPolicy, Tip

MARK = "【演示】"


def load(ctx) -> None:
    if Tip.objects.filter(content__startswith=MARK).exists():
        return
    ents = ctx["enterprises"]
    users = ctx["users"]
    sectors = {s.code: s for s in Sector.objects.all()}

    def submit(ent, sector, text, **kw):
        return services.submit_tip(None, region=ent.region, sector=sectors[sector], address=ent.address or "示范路",
                                   content=MARK + text, enterprise=ent, **kw)[0]

    submit(ents[1], "commerce", "超市仓库堆放货物堵塞疏散通道，安全出口上锁。")
    t2 = submit(ents[6], "construction", "工地塔吊未经检测即投入使用，夜间违规施工。")
    services.accept(users["hb_zhujian"], t2)
    t3 = submit(ents[2], "commerce", "酒店后厨燃气管道老化漏气，未安装燃气泄漏报警装置。",
                anonymous=False, name="张先生", phone="13912345678")
    services.transfer(users["hb_shangwu"], t3, unit="河北区城市管理委员会", reason="燃气管道属城镇燃气行业，不属商务部门职责。")
    t4 = submit(ents[0], "commerce", "商场地下室违规设置员工宿舍，电动自行车在室内充电。")
    officer, leader = users["hb_shangwu"], users["hb_shangwu_lead"]
    services.accept(officer, t4)
    services.start_verification(officer, t4)
    services.verify(officer, t4, result="true", note="现场核查属实，已登记隐患并责令整改。", register={
        "description": "地下室违规设置员工宿舍、电动自行车室内充电", "grade": "general",
        "deadline": timezone.localdate() + datetime.timedelta(days=15)})
    reward = services.decide_reward(officer, t4, policy=RewardPolicy.objects.get(code="ordinary"))
    services.approve_reward(leader, reward)
    services.pay_reward(officer, reward, paid_on=timezone.localdate(), method="银行转账", collected=True)
    services.close(officer, t4, feedback="举报属实，已责令整改并发放奖励。")
    # A named tip in the commerce bureau's inbox, and its leader designated to reveal identities,
    # so the demo shows the protected reveal (logged, with the reason) end to end.
    t5 = submit(ents[1], "commerce", "超市冷库氨制冷机房无人值守，氨气报警器长期不亮。",
                anonymous=False, name="李女士", phone="13820001234")
    services.accept(officer, t5)
    from accounts.services import set_identity_revealer

    set_identity_revealer(None, leader, allowed=True)
    ctx["logins"] = [(u, n, o, f"{r}（可查看举报人身份）" if u == leader.username else r)
                     for u, n, o, r in ctx["logins"]]
