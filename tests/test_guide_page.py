"""The facilitator guide is a page of the workshop, built from data/modules/facilitator_guide.md."""
from widgets.guide import show_guide


def test_guide_page_has_plans_tables_and_the_distress_protocol():
    html = show_guide().value
    for heading in ("Session plan: 90 minutes", "Session plan: 2 hours", "Group agreements",
                    "Preparation checklist", "Distress protocol", "Running the server for a room"):
        assert heading in html
    assert html.count("<table>") >= 3
