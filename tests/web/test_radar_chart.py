"""The assessment radar chart: one spoke per area, the sitting as a shape, labels escaped."""

from __future__ import annotations

from decimal import Decimal

from quarterdeck.web.ui.radar_chart import radar

AREAS = [("Technical", Decimal("4.33")), ("Soft <skills>", Decimal(2)), ("Sales", Decimal(5))]


def test_areas_become_spokes_and_the_sitting_a_shape() -> None:
    svg = str(radar(AREAS, label="IT manager skills"))
    assert svg.count('class="spoke"') == 3
    assert svg.count('class="ring"') == 5
    assert svg.count('class="latest"') == 1
    assert 'class="earlier"' not in svg
    assert "<title>IT manager skills: Technical 4.33; Soft &lt;skills&gt; 2; Sales 5</title>" in svg
    assert "Soft &lt;skills&gt;</text>" in svg
    assert "<skills>" not in svg
    # The first spoke points straight up: a 5 reaches the rim at the top.
    assert 'x2="210.0" y2="80.0"' in svg


def test_an_earlier_sitting_is_drawn_as_an_outline() -> None:
    svg = str(radar(AREAS, label="x", earlier=[Decimal(3), Decimal(3), Decimal(3)]))
    assert 'class="earlier"' in svg
    assert str(radar(AREAS, label="x", earlier=[Decimal(3)])).count('class="earlier"') == 0


def test_too_few_areas_draw_only_the_frame() -> None:
    svg = str(radar(AREAS[:2], label="x"))
    assert "polygon" not in svg
    assert str(radar([], label="Empty")).startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title>Empty: no areas</title>" in str(radar([], label="Empty"))
