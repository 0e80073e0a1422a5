"""GroupedList: the cursor skips headings, pages and jumps by key, Enter chooses the item."""

from __future__ import annotations

from textual.app import App, ComposeResult

from pasis_tui.widgets.grouped_list import GroupedList

LINES = [("Måndag", None), ("10:00", "a"), ("11:00", "b"), ("Tisdag", None), ("10:00", "c")]


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield GroupedList(id="lista")

    def on_mount(self) -> None:
        grouped = self.query_one(GroupedList)
        grouped.set_lines(LINES)
        grouped.focus()

    def on_grouped_list_chosen(self, event: GroupedList.Chosen) -> None:
        self.chosen.append(event.key)


async def test_the_cursor_moves_over_items_only_and_enter_chooses() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        grouped = app.query_one(GroupedList)
        assert grouped.highlighted_key == "a" and grouped.item_count == 3
        await pilot.press("up")
        assert grouped.highlighted_key == "a"  # a heading above is never the cursor
        await pilot.press("down", "down")
        assert grouped.highlighted_key == "c"  # over the heading "Tisdag"
        await pilot.press("down", "enter")
        assert grouped.highlighted_key == "c" and app.chosen == ["c"]
        await pilot.press("home")
        assert grouped.highlighted_key == "a"
        await pilot.press("end")
        assert grouped.highlighted_key == "c"
        await pilot.press("pageup")
        assert grouped.highlighted_key == "a"
        grouped.set_lines(LINES, cursor_key="b")
        assert grouped.highlighted_key == "b"
        grouped.set_lines([("Inga tider", None)])
        await pilot.press("enter")
        assert grouped.highlighted_key is None and app.chosen == ["c"]
