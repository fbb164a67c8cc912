"""Report files of an evaluation run: ``<timestamp>.md`` (for people), ``.json`` (everything), ``.png`` (chart)."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHART_METRICS = (("mrr@10", "MRR@10"), ("recall@5", "Recall@5"), ("key_fact_accuracy", "Key-fact acc."))
SYSTEM_ROWS = (
    ("recall@1", "Recall@1"),
    ("recall@5", "Recall@5"),
    ("recall@10", "Recall@10"),
    ("mrr@10", "MRR@10"),
    ("ndcg@10", "nDCG@10"),
    ("key_fact_accuracy", "Độ chính xác dữ kiện"),
    ("citation_precision", "Độ chính xác trích dẫn"),
    ("fact_citation_support", "Dữ kiện nêu ra có trích dẫn chứa nó"),
    ("refusal_precision", "Từ chối — precision"),
    ("refusal_recall", "Từ chối — recall"),
    ("refusal_f1", "Từ chối — F1"),
    ("warning_accuracy", "Cảnh báo — đúng/sai"),
    ("warning_precision", "Cảnh báo — precision"),
    ("warning_recall", "Cảnh báo — recall"),
)


def machine() -> dict:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "host": platform.node(),
        "os": platform.platform(),
        "cpu": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
    }


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or "không rõ"
    except (OSError, subprocess.SubprocessError):
        return "không rõ"


def _f(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _with_ci(m: dict, key: str) -> str:
    """``0.839 (0.80–0.88)``: the value and its 95% bootstrap interval, when the run has one."""
    v, ci = m.get(key), (m.get("ci95") or {}).get(key)
    if v is None:
        return "—"
    return f"{v:.3f} ({ci[0]:.2f}–{ci[1]:.2f})" if ci else f"{v:.3f}"


def _table(headers: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_f(c) for c in r) + " |" for r in rows]
    return out


def _domain_md(d: dict) -> list[str]:
    sysm, bases = d["system"], d.get("baselines", {})
    lines = [
        f"## Bộ câu hỏi miền ({'smoke' if d['smoke'] else 'đầy đủ'})",
        "",
        f"Tệp chuẩn: `{d['gold']}` — {d['n_questions']} câu, {sysm['answerable']} có đáp án. "
        "Chỉ số truy hồi tính trên câu có đáp án; một đoạn là đúng khi thuộc tài liệu chuẩn và chứa "
        "nguyên văn trích dẫn chuẩn (NFC, gộp khoảng trắng, chữ thường).",
        "",
    ]
    names = list(bases)
    rows = [
        [label, _with_ci(sysm, key), *[_with_ci(bases[n], key) for n in names]] for key, label in SYSTEM_ROWS
    ]
    lines += _table(["Chỉ số", "Hệ thống", *names], rows)
    lines += [
        "",
        "Trong ngoặc: khoảng tin cậy 95% (bootstrap 1000 lần trên các câu hỏi, hạt giống cố định) của chỉ số "
        "trên mọi câu hỏi cùng loại; kết quả của một bộ câu hỏi khác cùng cỡ còn dao động rộng hơn, khoảng "
        "√2 lần.",
        "",
    ]
    lat = [
        [p, sysm.get(f"{p}_ms_p50"), sysm.get(f"{p}_ms_p95"), sysm.get(f"{p}_n")]
        for p in ("retrieval", "composition", "facts", "total")
    ]
    lat.append(["wall (ask)", sysm.get("wall_ms_p50"), sysm.get("wall_ms_p95"), sysm.get("questions")])
    lines += ["### Độ trễ (ms)", ""] + _table(["Phần", "p50", "p95", "số câu"], lat) + [""]
    lines += [
        f"Tuyến trả lời: {sysm.get('routes')}; lỗi: {sysm.get('errors')}; trích dẫn: {sysm.get('citations')}.",
        "",
    ]
    for attr, title in (("by_category", "Theo nhóm"), ("by_style", "Theo cách gõ")):
        rows = [
            [k, v["n"], v["answerable"], v["mrr@10"], v["recall@5"], v["key_fact_accuracy"], v["refused"]]
            for k, v in d[attr].items()
        ]
        lines += (
            [f"### {title}", ""]
            + _table(["", "câu", "có đáp án", "MRR@10", "Recall@5", "dữ kiện", "từ chối"], rows)
            + [""]
        )
    facts = d.get("facts")
    if facts:
        lines += ["### Trích xuất dữ kiện (facts_v1.yaml)", ""]
        if "skipped" in facts:
            lines += [f"Bỏ qua: {facts['skipped']}", ""]
        else:
            lines += [
                f"Precision {facts['precision']:.3f} (mục tiêu {facts['targets']['precision']}), "
                f"recall {facts['recall']:.3f} (mục tiêu {facts['targets']['recall']}); "
                f"{facts['found']}/{facts['gold']} dữ kiện chuẩn tìm thấy, "
                f"{facts['correct_atoms']}/{facts['judged_atoms']} dữ kiện trích đúng, "
                f"{facts['unjudged_atoms']} không chấm.",
                "",
            ]
            rows = [
                [k, v["gold"], v["found"], v["atoms"], v["correct"]] for k, v in facts["per_kind"].items()
            ]
            lines += _table(["loại", "chuẩn", "tìm thấy", "trích", "đúng"], rows) + [""]
            if facts["misses"]:
                lines += ["Dữ kiện chuẩn bị bỏ sót:", ""]
                lines += [
                    f"- `{m['id']}` {m['doc_id']} {m['kind']}: {m['value']}" for m in facts["misses"]
                ] + [""]
    if d.get("split_quotes"):
        lines += [
            "Trích dẫn chuẩn nằm vắt qua hai đoạn (chấm theo 40 ký tự đầu/cuối): "
            + ", ".join(d["split_quotes"]),
            "",
        ]
    fails = d.get("failures", [])
    lines += [f"### Danh sách lỗi ({len(fails)} câu)", ""]
    for f in fails:
        e, g = f["expected"], f["got"]
        hist = f" (lịch sử: {' / '.join(f['history'])})" if f["history"] else ""
        lines += [
            f"- **{f['id']}** [{f['category']}, {f['style']}] {f['question']}{hist}",
            f"  - vấn đề: {'; '.join(f['problems'])}",
            f"  - mong đợi: có đáp án={e['answerable']}, dữ kiện={e['key_facts']}, "
            f"cảnh báo={e['expect_warning']}",
        ]
        lines += [f"    - chuẩn: {x}" for x in e["gold"]]
        ans = " ".join(g["answer"].split())[:300]
        lines += [
            f"  - nhận được: từ chối={g['refused']}, tuyến={g['route']}, hạng đoạn đúng đầu tiên="
            f"{g['first_relevant_rank']}, cảnh báo={g['warnings']}",
            f"    - top 3: {'; '.join(g['top3'])}",
            f"    - trả lời: {ans}",
        ]
    return lines + [""]


HELD_OUT_ROWS = (
    ("recall@5", "Recall@5"),
    ("mrr@10", "MRR@10"),
    ("key_fact_accuracy", "Dữ kiện"),
    ("citation_precision", "Trích dẫn"),
    ("refusal_f1", "Từ chối F1"),
    ("warning_accuracy", "Cảnh báo"),
)


def _held_out_md(tuning: dict, held: list[dict], pooled: dict | None = None) -> list[str]:
    """The tuning set beside each held-out set: how far the numbers carry to unseen questions."""
    lines = [
        "## Bộ câu hỏi giữ lại (held-out)",
        "",
        "Cùng hệ thống, cùng chỉ mục, trên các bộ câu hỏi viết từ tài liệu nhưng không dùng để tinh chỉnh. "
        "Bộ miền ở trên là bộ tinh chỉnh: các quy tắc chọn câu đã được chỉnh trên nó, nên con số thật trên "
        "câu hỏi mới gần với các hàng giữ lại hơn; hàng cuối gộp mọi bộ giữ lại. Không dùng làm cổng CI.",
        "",
    ]
    rows = [
        [f"`{Path(s['gold']).name}`", s["n_questions"], *[_with_ci(s["system"], k) for k, _ in HELD_OUT_ROWS]]
        for s in [tuning, *held]
    ]
    if pooled:
        rows.append(
            ["**mọi bộ giữ lại**", pooled["questions"], *[_with_ci(pooled, k) for k, _ in HELD_OUT_ROWS]]
        )
    lines += _table(["Bộ", "câu", *[label for _, label in HELD_OUT_ROWS]], rows) + [""]
    for s in held:
        fails = s.get("failures", [])
        lines += [
            f"`{Path(s['gold']).name}`: {len(fails)} câu có lỗi: " + ", ".join(f["id"] for f in fails),
            "",
        ]
    return lines


def _beir_md(b: dict) -> list[str]:
    m, d = b["metrics"], b["durations_s"]
    lines = [
        f"## BEIR: {b['name']}",
        "",
        f"`{b['path']}` ({b['subset']}): {b['corpus']} điều, {b['chunks']} đoạn, {b['queries']} truy vấn. "
        f"Lập chỉ mục {d['index']:.1f} s (tính vector {d['embed']:.1f} s), truy vấn {d['queries']:.1f} s. "
        "Chỉ số mức văn bản (hạng của văn bản = hạng đoạn tốt nhất).",
        "",
    ]
    mc = m | {"ci95": b.get("ci95")}
    lines += _table(
        ["Recall@1", "Recall@5", "Recall@10", "MRR@10", "nDCG@10"],
        [
            [
                m.get("recall@1"),
                _with_ci(mc, "recall@5"),
                m.get("recall@10"),
                _with_ci(mc, "mrr@10"),
                _with_ci(mc, "ndcg@10"),
            ]
        ],
    )
    if b.get("ci95"):
        lines += ["", "Trong ngoặc: khoảng tin cậy 95% (bootstrap trên các truy vấn)."]
    misses = b.get("misses", [])
    lines += ["", f"Truy vấn không tìm thấy điều đúng trong top 10: {len(misses)}", ""]
    lines += [
        f"- `{q['id']}` {q['query'][:120]} — chuẩn {q['gold']}, top 3 {q['top'][:3]}" for q in misses[:40]
    ]
    return lines + [""]


def markdown(report: dict) -> str:
    mc = report["machine"]
    lines = [
        f"# Báo cáo đánh giá Trợ lý ISO — {report['started']}",
        "",
        f"- Máy: {mc['host']} — {mc['os']}, {mc['cpus']} CPU ({mc['cpu']}), RAM {mc['memory']}, "
        f"Python {mc['python']}",
        f"- Commit: `{report['commit']}`",
        f"- Bắt đầu: {report['started']}; kết thúc: {report['finished']}; tổng thời gian "
        f"{report['durations_s']['total']:.1f} s",
        f"- Bộ: {report['suite']}{' (smoke)' if report['smoke'] else ''}",
        f"- Kết quả chung: **{'ĐẠT' if report['passed'] else 'KHÔNG ĐẠT'}**",
        "",
    ]
    durations = report["durations_s"] | report.get("domain", {}).get("durations_s", {})
    lines += ["Thời gian (s): " + ", ".join(f"{k} {v:.1f}" for k, v in durations.items()), ""]
    lines += ["## Mục tiêu", ""]
    lines += _table(
        ["Kiểm tra", "Giá trị", "Mục tiêu", "Kết quả", "Ghi chú"],
        [
            [
                c["name"],
                c["value"],
                None if c["target"] is None else f"≥ {c['target']:.2f}",
                "ĐẠT" if c["passed"] else "KHÔNG ĐẠT",
                c["detail"],
            ]
            for c in report["checks"]
        ],
    ) + [""]
    if "domain" in report:
        lines += _domain_md(report["domain"])
    if report.get("held_out"):
        lines += _held_out_md(report["domain"], report["held_out"], report.get("held_out_pooled"))
    for b in report.get("beir", []):
        lines += _beir_md(b)
    return "\n".join(lines)


def chart(report: dict, path: Path) -> bool:
    """Grouped bars: system vs baselines for MRR@10, Recall@5 and key-fact accuracy (domain suite)."""
    d = report.get("domain")
    if not d:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = {"hệ thống": d["system"], **d.get("baselines", {})}
    fig, ax = plt.subplots(figsize=(8, 4.5))
    width = 0.8 / len(series)
    for i, (name, m) in enumerate(series.items()):
        xs = [j + i * width for j in range(len(CHART_METRICS))]
        vals = [float(m.get(k) or 0.0) for k, _ in CHART_METRICS]
        bars = ax.bar(xs, vals, width, label=name)
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
    ax.set_xticks(
        [j + width * (len(series) - 1) / 2 for j in range(len(CHART_METRICS))],
        [label for _, label in CHART_METRICS],
    )
    ax.set_ylim(0, 1.05)
    ax.set_title(f"Trợ lý ISO — bộ miền ({'smoke' if d['smoke'] else 'đầy đủ'}), {report['started'][:10]}")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_report(report: dict, out: Path, started: dt.datetime) -> dict[str, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report.setdefault("machine", machine())
    report.setdefault("commit", commit())
    stamp = started.strftime("%Y%m%d-%H%M%S") + ("-smoke" if report.get("smoke") else "")
    paths = {"md": out / f"{stamp}.md", "json": out / f"{stamp}.json", "png": out / f"{stamp}.png"}
    paths["md"].write_text(markdown(report), encoding="utf-8")
    paths["json"].write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    if not chart(report, paths["png"]):
        paths.pop("png")
    return paths
