from .models import Standard


def cards(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    n = Standard.objects.in_force().count()
    return [{"title": "现行判定标准", "value": n, "url": "/standards/?status=in_force", "hint": "项", "key": "standards"}]
