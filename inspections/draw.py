"""双随机 draw — a pure function: the same seed and pools always give the same assignments."""

import random

from core.services import ServiceError


def draw(seed: int, enterprise_ids: list[int], inspector_ids: list[int], n: int, per_enterprise: int,
         conflicts) -> list[dict]:
    """Draw ``n`` enterprises from ``enterprise_ids`` and ``per_enterprise`` inspectors for each
    from ``inspector_ids``, never pairing an inspector with an enterprise in ``conflicts``
    (an iterable of ``(inspector_id, enterprise_id)``). Pools are used in the order given.

    Returns ``[{"enterprise": id, "inspectors": [id, …]}, …]`` in draw order; raises
    ServiceError when the pool is too small or recusal leaves too few inspectors.
    """
    if n < 1:
        raise ServiceError("抽取企业数须至少为1。", "count")
    if per_enterprise < 1:
        raise ServiceError("每家企业的检查人员数须至少为1。", "per_enterprise")
    if n > len(enterprise_ids):
        raise ServiceError(f"企业库只有{len(enterprise_ids)}家，不足{n}家。", "count")
    if per_enterprise > len(inspector_ids):
        raise ServiceError(f"检查人员库只有{len(inspector_ids)}人，不足{per_enterprise}人。", "per_enterprise")
    blocked = {(int(i), int(e)) for i, e in conflicts}
    rng = random.Random(seed)
    chosen = rng.sample(list(enterprise_ids), n)
    load = {i: 0 for i in inspector_ids}
    result = []
    for ent in chosen:
        eligible = [i for i in inspector_ids if (i, ent) not in blocked]
        if len(eligible) < per_enterprise:
            raise ServiceError(
                f"企业（编号{ent}）回避后可选检查人员只有{len(eligible)}人，不足{per_enterprise}人，无法完成抽取。",
                "per_enterprise", code="recusal")
        rng.shuffle(eligible)
        # least-loaded first keeps the work spread; the shuffle breaks ties randomly
        eligible.sort(key=lambda i: load[i])
        picked = eligible[:per_enterprise]
        for i in picked:
            load[i] += 1
        result.append({"enterprise": ent, "inspectors": sorted(picked)})
    return result
