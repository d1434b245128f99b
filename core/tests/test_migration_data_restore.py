"""After a transactional test, the data migrations' rows are put back — also when only part of them
was removed (core.testing.restore_migration_data; conftest._restore_migration_data)."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_a_partly_emptied_database_is_restored_whole():
    from accidents.models import DeadlineRule
    from core.testing import migration_data_present, restore_migration_data
    from enforcement.models import PenaltyArticle

    PenaltyArticle.objects.update(order_article=None)
    PenaltyArticle.objects.all().delete()
    DeadlineRule.objects.all().delete()
    assert not migration_data_present()
    assert restore_migration_data() is True
    assert migration_data_present() and PenaltyArticle.objects.filter(article=101, item="(五)逾期").exists()
