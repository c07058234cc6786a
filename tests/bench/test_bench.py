"""Benchmarks (`make bench`): JSON figures in test-artifacts/bench-foundation.json; a missed
target (tests/bench/targets.py) fails the run after the figures are written.

- the demo generator's rows per second, small and large (the databases it builds are kept for
  the other benchmarks, tests/bench/samples.py);
- the home page's warm run on the large over the small sample data (target ≤ 1.2: page cost must
  not grow with data size), measured by tests/bench/pages.py.
"""

from __future__ import annotations

import pytest

from services import demo
from tests.bench import samples
from tests.bench.pages import stable_ratio
from tests.bench.targets import judge, settle

pytestmark = pytest.mark.bench


def test_generator_and_home_page(tmp_path):
    figures: dict[str, object] = {"generator": {}}
    urls = {}
    for size in (demo.DemoSize.SMALL, demo.DemoSize.LARGE):
        path = tmp_path / f"{size.value}.db"
        # always built: its speed is the figure
        result = samples.generate(f"sqlite:///{path}", size)
        figures["generator"][size.value] = {
            "rows": result.rows,
            "seconds": round(result.seconds, 2),
            "rows_per_second": round(result.rows_per_second),
        }
        samples.keep(samples.demo_recipe(size), path)
        urls[size.value] = f"sqlite:///{path}"
    ratio = stable_ratio(urls["small"], urls["large"], "page", None)
    figures["home_page_warm"] = ratio.figures()
    judge(figures, "home_page_warm", ratio.value, ratio.why_none)
    settle(figures, "bench-foundation.json")
