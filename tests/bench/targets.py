"""Every benchmark target in one table, and the step that writes a benchmark's JSON and then fails
the run on any target missed (so a failing run still leaves its figures in test-artifacts/)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-artifacts"


@dataclass(frozen=True)
class Target:
    op: str  # "<=" or "=="
    limit: float
    figure: str  # what the value is

    def met(self, value: float) -> bool:
        return value <= self.limit if self.op == "<=" else value == self.limit

    def __str__(self) -> str:
        return f"{self.op} {self.limit:g}"


PAGE = "warm run time on the large sample data ÷ on the small (page cost must not grow with data)"
TARGETS: dict[str, Target] = {
    "home_page_warm": Target("<=", 1.2, PAGE),
    "air_page_warm": Target("<=", 1.2, PAGE),
    "water_page_warm": Target("<=", 1.2, PAGE),
    "registry_page_warm": Target("<=", 1.2, PAGE + "; 50,000 ÷ 2,000 cases"),
    "open311_requests_warm": Target("<=", 1.2, "requests.json warm, 50,000 ÷ 2,000 cases"),
    "receipt_lookup": Target("<=", 1.5, "receipt look-up ÷ a bare Argon2id verify"),
    "classify_samples": Target("<=", 10, "water classifier ÷ a bare numpy pass"),
    "daily_pipeline": Target("<=", 10, "air daily pipeline ÷ a bare numpy pass"),
    "daily_pipeline_1pct_missing": Target(
        "<=", 10, "air daily pipeline, 1 % of rows missing ÷ a bare numpy pass"
    ),
    "intake_sqlite": Target("==", 0, "errors of 16 concurrent submitters on SQLite"),
    "intake_postgresql": Target("==", 0, "errors of 16 concurrent submitters on PostgreSQL"),
}


def judge(figures: dict, name: str, value: float | None, why_none: str = "") -> None:
    """Add the target of `name` to figures[name] with `value` and whether it is met; a value of
    None (nothing measured: `why_none` says why) misses the target."""
    target = TARGETS[name]
    entry = figures.setdefault(name, {})
    entry.update({"value": value if value is None else round(value, 3)})
    entry.update({"target": str(target), "figure": target.figure})
    entry["pass"] = value is not None and target.met(value)  # judged unrounded
    if value is None:
        entry["not_measured"] = why_none


def settle(figures: dict, file_name: str) -> None:
    """Write the figures to test-artifacts/`file_name` and print them; then fail on every target
    missed, naming each with its value and target."""
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    OUT.mkdir(exist_ok=True)
    text = json.dumps(figures, indent=2, ensure_ascii=False, default=str)
    (OUT / file_name).write_text(text)
    print(text)
    missed = [
        f"{name}: {entry['value']} (target {entry['target']}: {entry['figure']})"
        + (f"; {entry['not_measured']}" if entry.get("not_measured") else "")
        for name, entry in figures.items()
        if isinstance(entry, dict) and entry.get("pass") is False
    ]
    assert not missed, f"{len(missed)} target(s) missed, see test-artifacts/{file_name}:\n" + (
        "\n".join(missed)
    )
