"""The block markup draft templates render to, and its parser.

One line is one block:

    ::parent UBND TỈNH ĐỒNG NAI        tên cơ quan chủ quản     (header, left column)
    ::issuer SỞ KHOA HỌC VÀ CÔNG NGHỆ  tên cơ quan ban hành      (header, left column)
    ::number Số: …/KH-SKHCN            số, ký hiệu               (header, left column)
    ::placedate Đồng Nai, ngày …       địa danh, ngày tháng      (header, right column)
    ::title KẾ HOẠCH                   tên loại văn bản
    ::subject Xây dựng, áp dụng …      trích yếu
    ::authority CHỦ TỊCH …             thẩm quyền ban hành (quyết định)
    ::to Sở Khoa học và Công nghệ      Kính gửi
    ::basis Căn cứ …;                  căn cứ (italic)
    ::center QUYẾT ĐỊNH:               a bold centred line
    ::note text                        italic remark
    ::sources NGUỒN TRÍCH DẪN          heading of the source list (appended by the drafter)
    ::source [1] Quyết định … – Điều 4  one entry of the source list
    ::widths 1,5,2                     relative column widths of the next table
    ::plain                            the next table has no header row
    ::pagebreak
    ::sign TM. ỦY BAN NHÂN DÂN         signature block lines (quyền hạn, chức vụ)
    ::signname Nguyễn Văn A            signer's name
    ::recipient - Như trên;            one line of "Nơi nhận"
    # I. MỤC ĐÍCH, YÊU CẦU             heading levels 1–3
    - item / + sub-item                bullets
    | a | b | c |                      table rows (consecutive rows form one table)
    anything else                      a body paragraph

Inline: ``**bold**``; ``<br>`` breaks a line inside a table cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADER_KEYS = ("parent", "issuer", "number", "placedate")
LINE_DIRECTIVES = ("title", "subject", "authority", "to", "basis", "center", "note", "sources", "source")


@dataclass
class Block:
    kind: str  # header | title | subject | authority | to | basis | center | note | h1 | h2 | h3 |
    #             bullet | subbullet | para | table | pagebreak | signature
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    has_header: bool = True
    header: dict[str, str] = field(default_factory=dict)
    sign: list[str] = field(default_factory=list)
    sign_name: str = ""
    recipients: list[str] = field(default_factory=list)


class MarkupError(ValueError):
    """A template produced a line the parser does not know (a defect of the template)."""


_DIRECTIVE = re.compile(r"^::([a-z]+)(?:\s+(.*))?$")


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [c.strip() for c in body.split("|")]


def parse(text: str) -> list[Block]:
    """Blocks of a rendered template, in order. Signature and recipients become one block at the end."""
    blocks: list[Block] = []
    header: Block | None = None
    signature: Block | None = None
    widths: list[float] = []
    plain = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _DIRECTIVE.match(line)
        if m:
            name, arg = m.group(1), (m.group(2) or "").strip()
            if name in HEADER_KEYS:
                if header is None:
                    header = Block("header")
                    blocks.append(header)
                header.header[name] = arg
            elif name in LINE_DIRECTIVES:
                blocks.append(Block(name, arg))
            elif name == "widths":
                widths = [float(w) for w in arg.split(",") if w.strip()]
            elif name == "plain":
                plain = True
            elif name == "pagebreak":
                blocks.append(Block("pagebreak"))
            elif name in ("sign", "signname", "recipient"):
                if signature is None:
                    signature = Block("signature")
                    blocks.append(signature)
                if name == "sign":
                    signature.sign.append(arg)
                elif name == "signname":
                    signature.sign_name = arg
                else:
                    signature.recipients.append(arg)
            else:
                raise MarkupError(f"Chỉ thị không hợp lệ trong mẫu dự thảo: {line}")
            continue
        if line.startswith("|"):
            last = blocks[-1] if blocks else None
            if last is None or last.kind != "table" or widths or plain:  # a directive starts a new table
                last = Block("table", widths=widths, has_header=not plain)
                blocks.append(last)
                widths, plain = [], False
            last.rows.append(_cells(line))
            continue
        if line.startswith("### "):
            blocks.append(Block("h3", line[4:].strip()))
        elif line.startswith("## "):
            blocks.append(Block("h2", line[3:].strip()))
        elif line.startswith("# "):
            blocks.append(Block("h1", line[2:].strip()))
        elif line.startswith("- "):
            blocks.append(Block("bullet", line[2:].strip()))
        elif line.startswith("+ "):
            blocks.append(Block("subbullet", line[2:].strip()))
        else:
            blocks.append(Block("para", line))
    return blocks


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def spans(text: str) -> list[tuple[str, bool]]:
    """``(text, bold)`` pieces of a line with ``**bold**`` marks."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def plain_text(text: str) -> str:
    return _BOLD.sub(r"\1", text).replace("<br>", "\n")
