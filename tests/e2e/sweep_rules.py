"""What the page sweep (test_sweep.py) counts as a defect in the text a user sees.

Everything a user reads is Chinese (COMMON.md / PRODUCT.md). The sweep reads the rendered, visible
text of a page (``innerText`` of ``<main>`` and the menu, plus placeholders and the options of
selects) and reports:

* **raw identifiers** — tokens that only a programmer writes: ``x.y_z`` and dotted verbs
  (``tip.accept``, ``tips.tip:4``), state transitions (``submitted→accepted``), snake_case
  (``self_check``, ``3.3_amount``), ``model:pk`` references, Python reprs (``None``, ``True``);
* **English words** — any run of two or more Latin letters standing on its own, unless it is in
  :data:`ALLOWED_WORDS` below.

It also reports a **table cell or description holding nothing but a date written 年月日**: fields and
tables write dates one way, 2026-12-16 (config/formats); the long form belongs in sentences ("数据截至
2026年12月5日") and in official documents. A page printing a date without a format used Django's zh-hans
"2026年12月16日" beside the ISO dates its tables wrote.

Tokens glued to digits (credit codes ``91120105MA0…``, hazard numbers ``YH120105-…``, inspector
certificates) are not words and are not reported.
"""

import re

# Latin-letter words a Chinese official reads every day. Keep this list short; every entry says why.
ALLOWED_WORDS = {
    "PDF", "Excel", "Word", "XLSX", "xlsx", "DOCX", "docx", "CSV", "csv",  # file formats named on buttons
    "jpg", "jpeg", "png", "JPG", "JPEG", "PNG", "pdf", "doc", "xls", "mp4",  # accepted upload types, as Windows shows them
    "API",  # the data interface (接口) page for other systems
    "ID",  # 身份证 ID is how the form of an identity number is commonly named
    "GB", "AQ", "GBZ", "JGJ", "TSG", "DB", "WS", "JT", "SY",  # prefixes of Chinese standard numbers (GB 30871)
    "SHA",  # SHA-256 fingerprint of an uploaded file
    "EXIF",  # the photo metadata the acceptor is shown
    "GPS",  # location of a photo
    "LPG", "LNG", "CNG",  # gas kinds as written on Chinese signs
    "UPS",  # in the 判定标准's own wording: 化工 standard, "控制系统没有配不间断电源（UPS）"
    "LEC", "LS",  # risk assessment methods by their usual names (作业条件危险性分析法 LEC, 风险矩阵法 LS)
    "QQ",  # contact field
    "ECharts",  # chart library credit, if shown
}

_WORD = re.compile(r"(?<![A-Za-z0-9_\-/.@])[A-Za-z]{2,}(?![A-Za-z0-9_\-@])")
_IDENTIFIERS = [
    ("dotted identifier", re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\.[a-z][a-z0-9_]*\b")),
    ("model:pk reference", re.compile(r"\b[a-z_]+\.[a-z_]+:\d+\b")),
    ("state transition", re.compile(r"\b[a-z_]+\s*(?:→|->)\s*[a-z_]+\b")),
    ("snake_case token", re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]*[a-z][A-Za-z0-9]*_[A-Za-z0-9_]+|\b\d+(?:\.\d+)*_[a-z]\w*")),
    ("Python value", re.compile(r"\b(?:None|True|False|nan)\b")),
]


def _strip_addresses(text: str) -> str:
    """E-mail addresses and web addresses are data the user typed or must type; not checked."""
    text = re.sub(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", " ", text)
    return re.sub(r"https?://\S+", " ", text)


def identifiers(text: str) -> list[tuple[str, str]]:
    """(kind, token) for every raw identifier in ``text`` — what the sweep asks of the values the server
    wrote into text boxes: a box may hold data in another language by design (a key list's English
    summaries), never a Python value or a code (the dispatch table's 是/否 box said "True")."""
    text = _strip_addresses(text)
    return [(kind, m.group(0)) for kind, pattern in _IDENTIFIERS for m in pattern.finditer(text)]


def problems(text: str) -> list[tuple[str, str]]:
    """(kind, token) for every raw identifier or English word in ``text``."""
    found = identifiers(text)
    text = _strip_addresses(text)
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word not in ALLOWED_WORDS and not any(word in tok for _k, tok in found):
            found.append(("English word", word))
    return found


_LONG_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")


def long_dates(cells: list[str]) -> list[str]:
    """The cells (``td``/``dd`` texts) that hold only a date or a date and time written 年月日."""
    return [cell.strip() for cell in cells if _LONG_DATE.fullmatch(cell.strip())]
