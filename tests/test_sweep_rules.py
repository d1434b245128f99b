"""The sweep's reading of a page's text: what counts as a raw identifier or an English word."""

from tests.e2e.sweep_rules import identifiers, long_dates, problems


def kinds(text):
    return {token for _kind, token in problems(text)}


def test_the_identifiers_of_the_issue_are_all_caught():
    text = "tip.accept submitted→accepted；来源 tips.tip:4；渠道 self_check；3.3_amount；listing.approve；None"
    found = kinds(text)
    for token in ("tip.accept", "submitted→accepted", "tips.tip:4", "self_check", "3.3_amount", "listing.approve", "None"):
        assert any(token in f for f in found), token


def test_english_words_are_caught_but_not_the_allowed_ones():
    assert kinds("排序：发现日期 (descending)") == {"descending"}
    assert kinds("导出 Excel；下载 PDF；依据 GB 30871—2022；上传 jpg 照片") == set()


def test_codes_glued_to_digits_and_addresses_are_data_not_words():
    text = "统一社会信用代码 91120105MA000001X，隐患 YH120105-0000044，邮箱 a.b@example.invalid，网址 https://x.example/a_b"
    assert kinds(text) == set()


def test_a_value_written_into_a_box_is_checked_for_identifiers_but_may_be_data_in_english():
    assert [token for _kind, token in identifiers("True")] == ["True"]  # the dispatch table's 是/否 box
    assert identifiers("安全出口锁闭 | Emergency exits locked or blocked") == []  # a key list's bilingual line


def test_a_cell_holding_only_a_long_form_date_is_reported_but_a_sentence_is_not():
    cells = ["2026年12月16日", " 2026年1月5日 09:30 ", "2026-12-16", "2026-12-16 09:30", "数据截至2026年12月5日",
             "2023年第4号", "2026年12月16日前完成"]
    assert long_dates(cells) == ["2026年12月16日", "2026年1月5日 09:30"]
