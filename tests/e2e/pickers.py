"""Driving a search-as-you-type picker (Tom Select over core.pickers) as a person would."""


def pick(page, select_css: str, query: str, option_text: str | None = None) -> None:
    """Type ``query`` into the picker that replaced ``select_css`` and choose the option that
    contains ``option_text`` (default: the query)."""
    wrapper = page.locator(f"{select_css} + .ts-wrapper")
    wrapper.locator(".ts-control").click()
    wrapper.locator("input").fill(query)
    option = page.locator(".ts-dropdown .option", has_text=option_text or query).first
    option.wait_for()
    option.click()
