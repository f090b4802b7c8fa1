"""The scorecard's SVG charts: one point per value, every coordinate inside the viewBox,
threshold lines in view, empty, single and flat series drawn sensibly, and every label
escaped, with no script, handler or style attribute (the CSP allows none)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from quarterdeck.domain.scorecard import BandThresholds, Thresholds, Unit
from quarterdeck.web.ui.charts import chart, sparkline

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '</title><script>alert("x")</script><b onmouseover=alert(1)>&'


def series(
    *values: str, start: date = date(2026, 1, 4), step: int = 7
) -> list[tuple[date, Decimal]]:
    return [(start + timedelta(days=step * i), Decimal(v)) for i, v in enumerate(values)]


def parse(markup: str) -> ElementTree.Element:
    """The markup as XML: well-formed, or the test fails."""
    return ElementTree.fromstring(markup)  # noqa: S314 - our own output, not untrusted data


def view_box(svg: ElementTree.Element) -> tuple[float, float]:
    _, _, width, height = (float(n) for n in svg.attrib["viewBox"].split())
    return width, height


def coordinates(svg: ElementTree.Element) -> list[tuple[float, float]]:
    """Every x, y the chart places: circles, line ends, polyline points, rects, texts."""
    found = []
    for node in svg.iter():
        a = node.attrib
        if node.tag == SVG + "circle":
            found.append((float(a["cx"]), float(a["cy"])))
        elif node.tag == SVG + "line":
            found += [(float(a["x1"]), float(a["y1"])), (float(a["x2"]), float(a["y2"]))]
        elif node.tag == SVG + "polyline":
            found += [tuple(float(n) for n in p.split(",")) for p in a["points"].split()]  # type: ignore[misc]
        elif node.tag in (SVG + "rect", SVG + "text"):
            found.append((float(a["x"]), float(a["y"])))
            if node.tag == SVG + "rect":
                found.append(
                    (float(a["x"]) + float(a["width"]), float(a["y"]) + float(a["height"]))
                )
    return found


def assert_inside(svg: ElementTree.Element) -> None:
    width, height = view_box(svg)
    for x, y in coordinates(svg):
        assert 0 <= x <= width, (x, y)
        assert 0 <= y <= height, (x, y)


def assert_inert(markup: str) -> None:
    """No script element, no event handler, no style attribute: text stays text."""
    assert "<script" not in markup.lower()
    for node in parse(markup).iter():
        assert not node.tag.endswith(("script", "style", "foreignObject"))
        assert not [name for name in node.attrib if name.startswith("on") or name == "style"]


def points_of(svg: ElementTree.Element) -> list[tuple[float, float]]:
    (line,) = svg.iter(SVG + "polyline")
    return [(float(x), float(y)) for x, y in (p.split(",") for p in line.attrib["points"].split())]


def test_a_sparkline_has_a_point_per_value_and_marks_the_last() -> None:
    markup = sparkline(series("3", "5", "4", "9"), label="Lead time", unit=Unit.HOURS)
    svg = parse(markup)
    points = points_of(svg)
    assert len(points) == 4
    (last,) = svg.iter(SVG + "circle")
    assert (float(last.attrib["cx"]), float(last.attrib["cy"])) == points[-1]
    assert [x for x, _ in points] == sorted(x for x, _ in points)
    highest = min(y for _, y in points)  # SVG y grows downwards
    assert points[-1][1] == highest
    assert "latest 9 h" in markup
    assert_inside(svg)
    assert_inert(markup)


def test_points_are_placed_by_date_so_a_missed_period_leaves_a_gap() -> None:
    days = [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 11)]
    svg = parse(sparkline([(d, Decimal(1 + i)) for i, d in enumerate(days)], label="x"))
    xs = [x for x, _ in points_of(svg)]
    assert xs[2] - xs[1] == pytest.approx(9 * (xs[1] - xs[0]), abs=0.2)


@pytest.mark.parametrize("draw", [sparkline, chart])
def test_empty_single_and_flat_series_stay_inside_the_frame(draw: object) -> None:
    assert callable(draw)
    empty = parse(draw([], label="Uptime"))
    assert list(empty.iter(SVG + "polyline")) == []
    assert list(empty.iter(SVG + "circle")) == []
    assert "no values yet" in empty.findtext(SVG + "title", "")
    single = parse(draw(series("7"), label="Uptime"))
    assert list(single.iter(SVG + "polyline")) == []
    (dot,) = single.iter(SVG + "circle")
    width, height = view_box(single)
    assert 0 < float(dot.attrib["cx"]) < width
    assert 0 < float(dot.attrib["cy"]) < height
    flat = parse(draw(series("5", "5", "5"), label="Uptime"))
    assert len({y for _, y in points_of(flat)}) == 1
    for svg in (empty, single, flat):
        assert_inside(svg)


def test_the_full_chart_has_a_dot_with_a_tooltip_per_value_and_labelled_axes() -> None:
    values = series("38", "30", "26", "19.5")
    markup = chart(values, label="MTTR", unit=Unit.HOURS)
    svg = parse(markup)
    dots = list(svg.iter(SVG + "circle"))
    assert len(dots) == 4
    assert [d.findtext(SVG + "title") for d in dots] == [
        "2026-01-04: 38 h",
        "2026-01-11: 30 h",
        "2026-01-18: 26 h",
        "2026-01-25: 19.5 h",
    ]
    assert "last" in dots[-1].attrib["class"]
    labels = [t.text for t in svg.iter(SVG + "text") if "axis" in t.attrib.get("class", "")]
    assert labels == ["38 h", "19.5 h", "2026-01-04", "2026-01-25"]
    assert len(points_of(svg)) == 4
    assert_inside(svg)


def test_threshold_lines_are_drawn_and_kept_in_view_even_beyond_the_values() -> None:
    lines = Thresholds(target=Decimal(12), warning=Decimal(24), critical=Decimal(48))
    svg = parse(chart(series("20", "22"), label="MTTR", unit=Unit.HOURS, thresholds=lines))
    drawn = {
        g.attrib["class"]: g.findtext(SVG + "text")
        for g in svg.iter(SVG + "g")
        if "threshold" in g.attrib["class"]
    }
    assert drawn == {
        "threshold target": "target 12 h",
        "threshold warning": "warning 24 h",
        "threshold critical": "critical 48 h",
    }
    ys = {
        g.attrib["class"]: float(g.find(SVG + "line").attrib["y1"])  # type: ignore[union-attr]
        for g in svg.iter(SVG + "g")
    }
    assert ys["threshold critical"] < ys["threshold warning"] < ys["threshold target"]
    assert_inside(svg)


def test_a_target_band_is_a_shaded_area_between_its_edges() -> None:
    band = BandThresholds(low=Decimal(85), high=Decimal(110), critical_low=Decimal(70))
    svg = parse(
        chart(series("90", "120"), label="Predictability", unit=Unit.PERCENT, thresholds=band)
    )
    (area,) = [r for r in svg.iter(SVG + "rect") if r.attrib["class"] == "band"]
    edges = sorted(
        float(g.find(SVG + "line").attrib["y1"])  # type: ignore[union-attr]
        for g in svg.iter(SVG + "g")
        if g.attrib["class"] == "threshold band-edge"
    )
    assert float(area.attrib["y"]) == pytest.approx(edges[0])
    assert float(area.attrib["y"]) + float(area.attrib["height"]) == pytest.approx(edges[1])
    texts = [t.text for t in svg.iter(SVG + "text")]
    assert "critical low 70%" in texts
    assert_inside(svg)


@pytest.mark.parametrize("draw", [sparkline, chart])
def test_hostile_labels_are_escaped(draw: object) -> None:
    assert callable(draw)
    markup = str(draw(series("1", "2"), label=HOSTILE))
    svg = parse(markup)  # still well-formed XML
    assert_inert(markup)
    assert svg.findtext(SVG + "title", "").startswith(HOSTILE)
    assert svg.attrib["aria-label"].startswith(HOSTILE)
    assert "&lt;script&gt;" in markup
