"""The SVG charts: well-formed, labels escaped, mirrored for right-to-left documents."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from app.scorecards import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(f"<root>{markup}</root>")  # noqa: S314 - our own output


def radar(rtl: bool, labels: tuple[str, ...] = ("A", "B", "C", "D", "E")) -> ET.Element:
    series = [
        charts.Series("country", (20, 10, 5, 0, 15)[: len(labels)]),
        charts.Series("world", (10,) * len(labels)),
    ]
    return parse(charts.radar_chart(labels, series, max_value=20, ticks=[5, 10, 15, 20], rtl=rtl))


def polygon_points(root: ET.Element, stroke: str) -> list[tuple[float, float]]:
    polygon = next(p for p in root.iter(f"{SVG}polygon") if p.get("stroke") == stroke)
    return [tuple(map(float, pair.split(","))) for pair in polygon.get("points", "").split()]  # type: ignore[misc]


def test_radar_is_well_formed_with_a_label_per_axis() -> None:
    root = radar(rtl=False)
    container = root.find("div")
    assert container is not None
    assert container.get("class") == "radar radar-n5"
    labels = [span.text for span in container.iter("span")]
    assert labels == ["A", "B", "C", "D", "E"]
    assert [s.get("class") for s in container.iter("span")] == [
        f"radar-label radar-slot-{i}" for i in range(5)
    ]


def test_labels_are_escaped() -> None:
    markup = str(
        charts.radar_chart(
            ['<script>alert("x")</script>', "B & C", "D"],
            [],
            max_value=4,
            ticks=[4],
            rtl=False,
        )
    )
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert "B &amp; C" in markup
    parse(markup)  # still well-formed


def test_country_polygon_follows_the_values_clockwise_from_the_top() -> None:
    points = polygon_points(radar(rtl=False), charts.SERIES_STYLES["country"]["stroke"])
    assert points[0] == pytest.approx((0, -80))  # full marks, at the top
    assert points[1][0] > 0  # the second axis is to the right
    assert points[3] == pytest.approx((0, 0))  # zero, at the centre


def test_right_to_left_mirrors_the_radar() -> None:
    stroke = charts.SERIES_STYLES["country"]["stroke"]
    ltr = polygon_points(radar(rtl=False), stroke)
    rtl = polygon_points(radar(rtl=True), stroke)
    assert [c for point in rtl for c in point] == pytest.approx(
        [c for x, y in ltr for c in (-x, y)]
    )
    container = radar(rtl=True).find("div")
    assert container is not None
    slots = [s.get("class") for s in container.iter("span")]
    # The first axis stays on top; the next ones run counter-clockwise, to the left.
    assert slots == [f"radar-label radar-slot-{i}" for i in (0, 4, 3, 2, 1)]
    tick = next(radar(rtl=True).iter(f"{SVG}text"))
    assert tick.get("text-anchor") == "end"


def test_radar_needs_three_to_eight_axes() -> None:
    with pytest.raises(ValueError, match="3 to 8"):
        charts.radar_chart(["A", "B"], [], max_value=1, ticks=[1], rtl=False)


def test_score_bar_grows_from_the_reading_start() -> None:
    def filled(rtl: bool) -> tuple[float, float]:
        rects = list(parse(charts.score_bar(0.25, [("region", 0.5)], rtl=rtl)).iter(f"{SVG}rect"))
        bar = rects[1]
        return float(bar.get("x", 0)), float(bar.get("width", 0))

    assert filled(rtl=False) == (0, 50)
    assert filled(rtl=True) == (150, 50)


def test_no_inline_styles_anywhere() -> None:
    """The preview's Content-Security-Policy allows no style attributes: charts use classes
    and SVG presentation attributes only."""
    series = [charts.Series(key, (0.5, 1, 0.2)) for key in charts.SERIES_STYLES]
    markup = str(charts.radar_chart(["A", "B", "C"], series, max_value=1, ticks=[1], rtl=True))
    markup += str(charts.score_bar(0.5, [("world", 0.1)], rtl=False)) + str(charts.swatch("region"))
    assert "style=" not in markup


def test_the_generated_stylesheet_is_up_to_date() -> None:
    """templates/scorecards/assets/charts.css is `python -m app.scorecards.charts`'s output."""
    assert charts.CHART_CSS.read_text(encoding="utf-8") == charts.radar_css()


def test_every_radar_size_places_every_label() -> None:
    css = charts.radar_css()
    for count in charts.RADAR_AXES:
        for position in range(count):
            assert re.search(rf"\.radar-n{count} \.radar-slot-{position} \{{", css)
