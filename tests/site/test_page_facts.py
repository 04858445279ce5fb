"""The readers of tests/site/page_facts.py, on small samples: a mistake in them would let a
disagreement between pages through."""

from __future__ import annotations

import pytest

from tests.site import page_facts as facts


@pytest.mark.parametrize("text, minutes", [
    ("45 min", 45), ("60 minutes", 60), ("**about 4 h 15 min**", 255), ("1 h", 60), ("2 hours", 120),
    ("about 150 minutes (2 h 30 min) for a newcomer", 150), ("5 h 45 min.", 345),
])
def test_durations_are_read_in_minutes(text, minutes):
    assert facts.parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["about two hours", "1.5 h", "", "soon"])
def test_a_duration_in_words_or_decimals_is_refused_with_the_forms_to_use(text):
    with pytest.raises(ValueError, match="'1 h 15 min'"):
        facts.parse_duration(text)


def test_durations_are_written_as_the_overview_tables_write_them():
    assert [facts.format_duration(m) for m in (45, 60, 75, 345)] == ["45 min", "1 h", "1 h 15 min", "5 h 45 min"]


def test_front_matter_is_read_and_a_page_without_one_has_none():
    assert facts.front_matter("---\nassignment: x_01\ntime: 150\n---\n# Title\n") == {"assignment": "x_01", "time": 150}
    assert facts.front_matter("# Title\n---\n") == {}


LESSON = """\
# A lesson

:::{admonition} In this lesson
:class: tip
**Time:** 50 minutes · **Level:** none
:::

- **Time to learn:** 60 minutes
"""


def test_the_time_lines_of_a_page_are_found_and_placed():
    stated = facts.stated_times(LESSON)
    assert [(s.label, s.minutes, s.in_lesson_admonition) for s in stated] == [("Time", 50, True), ("Time to learn", 60, False)]


SELF_CHECKS = """\
::::{exercise}
:label: m-01-a-check-1
Why?
:::{note}
A nested note.
:::
::::

:::{solution} m-01-a-check-1
:class: dropdown
Because.
:::

```{exercise}
:label: m-01-a-check-2
Why not?
```
"""


def test_exercises_and_solutions_are_read_with_their_options_whatever_the_fence():
    found = facts.directives(SELF_CHECKS, {"exercise", "solution"})
    assert [(d.name, d.argument, d.options) for d in found] == [
        ("exercise", "", {"label": "m-01-a-check-1"}),
        ("solution", "m-01-a-check-1", {"class": "dropdown"}),
        ("exercise", "", {"label": "m-01-a-check-2"}),
    ]


def test_a_cell_that_draws_or_formats_is_told_from_a_cell_that_teaches():
    imports = facts._imports([facts.ast.parse(
        "from modules.budgeting.figures import anatomy\n"
        "from modules.budgeting.figures import participatory as views\n"
        "from modules.budgeting import figures\n"
        "from modules.common.views import plotting\n"
        "from modules.common.formatting import format_euros\n"
        "from modules.budgeting import model\n"
    )])
    assert facts.formatting_calls("anatomy.section_totals(totals)", imports) == ["modules.budgeting.figures.anatomy.section_totals"]
    assert facts.formatting_calls("views.status_table(projects)", imports)
    assert facts.formatting_calls("figures.savings.waterfall_chart(b, 1, 2)", imports)
    assert facts.formatting_calls("fig, ax = plotting.new_figure('t', 'x', 'y')\nplotting.show(fig, alt='a')", imports)
    assert facts.formatting_calls("print(format_euros(model.gross_savings(b), '€'))", imports) == []
    assert facts.formatting_calls("frame = model.project_budget(start, policy, 10)\nframe.head()", imports) == []
    assert facts.formatting_calls("%matplotlib inline\nanatomy.dgf_chart(dgf)", imports)
