"""Home-page numbers: listings under supervision and overdue ones, in the user's scope."""

from .models import Listing


def cards(user) -> list[dict]:
    qs = Listing.objects.visible_to(user)
    supervised = qs.supervised().count()
    if not supervised and not qs.exists():
        return []
    return [
        {"title": "挂牌督办中的重大隐患", "value": supervised, "url": "/supervision/?supervised=true", "hint": "项", "key": "listings"},
        {"title": "挂牌督办逾期", "value": qs.overdue().count(), "url": "/supervision/?overdue=true", "hint": "项",
         "key": "listings_overdue"},
    ]
