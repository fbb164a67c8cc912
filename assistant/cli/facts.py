"""``isoassist deadlines | agencies | doc``: structured facts from the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.table import Table

from .common import StoreOption, assistant_from, console, fail, run_guarded, settings_from


def _date(value: str | None, flag: str) -> dt.date | None:
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    fail(f"Ngày {flag} “{value}” không hợp lệ. Hãy viết dạng 15/11/2026 hoặc 2026-11-15.")


def _fact_json(fact, citation: dict | None = None) -> dict:
    data = fact.model_dump(mode="json", exclude_none=True)
    if citation:
        data["citation"] = citation
    return data


def _citation(assistant, fact) -> dict:
    entry = assistant.catalog.get(fact.doc_id) if getattr(assistant, "catalog", None) else None
    return {
        "doc_id": fact.doc_id,
        "number": entry.number if entry else None,
        "title": entry.title if entry else fact.doc_id,
        "section": fact.section,
        "quote": fact.quote,
    }


def _source(assistant, fact) -> str:
    entry = assistant.catalog.get(fact.doc_id) if getattr(assistant, "catalog", None) else None
    name = (entry.number or entry.id) if entry else fact.doc_id
    return f"{name}, mục {fact.section}" if fact.section else name


def register(app: typer.Typer) -> None:
    @app.command("deadlines")
    @run_guarded
    def deadlines(
        province: str = typer.Option(None, "--province", help="Tỉnh (có thể gõ không dấu: dong nai)."),
        agency: str = typer.Option(None, "--agency", help="Cơ quan (chủ trì hoặc phối hợp)."),
        date_from: str = typer.Option(None, "--from", help="Từ ngày (15/11/2026 hoặc 2026-11-15)."),
        date_to: str = typer.Option(None, "--to", help="Đến ngày."),
        as_json: bool = typer.Option(False, "--json", help="In danh sách dữ kiện dạng JSON."),
        ics: Path = typer.Option(
            None, "--ics", help="Ghi các thời hạn ra tệp lịch .ics (Outlook, Google Calendar)."
        ),
        store: Path = StoreOption,
    ) -> None:
        """Liệt kê thời hạn (hạn báo cáo, kiểm tra…) trích từ các kế hoạch và văn bản."""
        a = assistant_from(settings_from(store))
        facts = a.deadlines(
            province=province,
            agency=agency,
            date_from=_date(date_from, "--from"),
            date_to=_date(date_to, "--to"),
        )
        if ics is not None:
            ics.write_bytes(a.deadlines_ics(facts))
            console.print(f"Đã ghi {len(facts)} thời hạn vào {ics}.")
        if as_json:
            typer.echo(
                json.dumps([_fact_json(f, _citation(a, f)) for f in facts], ensure_ascii=False, indent=2)
            )
            return
        if ics is not None:
            return
        if not facts:
            console.print(
                "Không tìm thấy thời hạn nào phù hợp. Hãy bỏ bớt điều kiện lọc (--province, --agency…)."
            )
            return
        table = Table(title="Thời hạn", show_lines=True)
        for col in ("Thời hạn", "Nội dung", "Chủ trì", "Phối hợp", "Tỉnh", "Nguồn"):
            table.add_column(col, overflow="fold")
        for f in facts:
            table.add_row(
                f.deadline.raw if f.deadline else "",
                f.task or "",
                f.lead or "",
                "; ".join(f.cooperating),
                f.province or "toàn quốc",
                _source(a, f),
            )
        console.print(table)

    @app.command("agencies")
    @run_guarded
    def agencies(
        task_words: str = typer.Argument(..., help='Từ khóa nhiệm vụ, ví dụ: "kiểm tra", "dao tao".'),
        province: str = typer.Option(None, "--province", help="Tỉnh."),
        as_json: bool = typer.Option(False, "--json", help="In dạng JSON."),
        store: Path = StoreOption,
    ) -> None:
        """Cơ quan nào chủ trì / phối hợp một nhiệm vụ."""
        a = assistant_from(settings_from(store))
        facts = a.agencies(task_words, province=province)
        if as_json:
            typer.echo(
                json.dumps([_fact_json(f, _citation(a, f)) for f in facts], ensure_ascii=False, indent=2)
            )
            return
        if not facts:
            console.print(f"Không tìm thấy nhiệm vụ nào khớp “{task_words}”. Hãy thử từ khóa khác.")
            return
        table = Table(title=f"Cơ quan thực hiện: {task_words}", show_lines=True)
        for col in ("Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Tỉnh", "Nguồn"):
            table.add_column(col, overflow="fold")
        for f in facts[:20]:
            table.add_row(
                f.task or "",
                f.lead or "",
                "; ".join(f.cooperating),
                f.deadline.raw if f.deadline else "",
                f.province or "toàn quốc",
                _source(a, f),
            )
        console.print(table)

    @app.command("doc")
    @run_guarded
    def doc(
        number: str = typer.Argument(..., help="Số, ký hiệu hoặc mã văn bản, ví dụ 144/2006/QĐ-TTg."),
        as_json: bool = typer.Option(False, "--json", help="In dạng JSON."),
        store: Path = StoreOption,
    ) -> None:
        """Tình trạng hiệu lực của một văn bản, văn bản thay thế và các tài liệu còn trích dẫn nó."""
        info = assistant_from(settings_from(store)).doc_info(number)
        if as_json:
            typer.echo(json.dumps(info, ensure_ascii=False, indent=2, default=str))
            return
        console.print(f"[bold]{info.get('display_name') or info.get('number')}[/bold]")
        if info.get("title"):
            console.print(info["title"])
        if not info.get("found_in_catalog"):
            console.print("Văn bản này không có trong danh mục; chỉ biết các tài liệu trích dẫn nó.")
        for label, key in (
            ("Tình trạng", "status"),
            ("Ban hành", "issued"),
            ("Hiệu lực", "effective"),
            ("Giai đoạn", "period"),
            ("Phiên bản ISO", "iso_version"),
        ):
            if info.get(key):
                console.print(f"{label}: {info[key]}")
        if info.get("replaced_by"):
            names = ", ".join(e["display_name"] for e in info["replaced_by"])
            console.print(f"Bị thay thế bởi: {names}")
        if info.get("current_successor"):
            console.print(f"Văn bản hiện hành: {info['current_successor']['display_name']}")
        if info.get("replaces"):
            console.print("Thay thế: " + ", ".join(e["display_name"] for e in info["replaces"]))
        console.print("Có toàn văn trong kho: " + ("có" if info.get("held") else "không"))
        for w in info.get("warnings", []):
            console.print(f"[yellow]Lưu ý:[/yellow] {w['message']}")
        cited = info.get("cited_by", [])
        if cited:
            console.print(f"Được trích dẫn bởi {len(cited)} tài liệu:")
            for c in cited:
                console.print(f"- {c['name']}, mục {c['section'] or 'mở đầu'}: “{c['quote']}”")
        else:
            console.print("Không tài liệu nào trong kho trích dẫn văn bản này.")
