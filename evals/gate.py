"""Targets and smoke thresholds (``evals/thresholds.yaml``) and the pass/fail checks of a run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"


@dataclass(frozen=True)
class Check:
    name: str
    value: float | None
    target: float | None
    passed: bool
    detail: str = ""

    def line(self) -> str:
        v = "—" if self.value is None else f"{self.value:.3f}"
        t = "—" if self.target is None else f"≥ {self.target:.2f}"
        return f"{self.name}: {v} ({t}) {'ĐẠT' if self.passed else 'KHÔNG ĐẠT'}{' — ' + self.detail if self.detail else ''}"


def load_thresholds(path: Path = THRESHOLDS) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def check_minimums(metrics: dict, minimums: dict[str, float], prefix: str = "") -> list[Check]:
    """One check per ``metric: minimum``; a missing metric fails."""
    out = []
    for name, target in minimums.items():
        value = metrics.get(name)
        passed = value is not None and float(value) >= float(target)
        out.append(
            Check(
                f"{prefix}{name}",
                None if value is None else float(value),
                float(target),
                passed,
                "" if value is not None else "không đo được",
            )
        )
    return out


def check_beats(system: dict, baselines: dict[str, dict], metric_names: list[str]) -> list[Check]:
    """The system must be strictly better than every baseline on each metric."""
    out = []
    for name in metric_names:
        sv = system.get(name)
        for base, m in baselines.items():
            bv = m.get(name)
            if bv is None:
                continue
            passed = sv is not None and sv > bv
            out.append(Check(f"{name} > {base}", sv, None, passed, f"đường cơ sở = {bv:.3f}"))
    return out


def domain_checks(section: dict, thresholds: dict, smoke: bool) -> list[Check]:
    level = thresholds["smoke" if smoke else "targets"]
    checks = check_minimums(section["system"], level["domain"], "domain ")
    beats = level.get("beats_baselines") or []
    if beats and section.get("baselines"):
        checks += check_beats(section["system"], section["baselines"], beats)
    return checks


def beir_checks(name: str, metrics: dict, thresholds: dict, smoke: bool) -> list[Check]:
    level = thresholds["smoke" if smoke else "targets"].get("beir", {})
    key = name.replace("[smoke]", "")
    minimums = level.get(key) or level.get("default") or {}
    return check_minimums(metrics, minimums, f"{name} ")
