"""Blocks → Markdown preview (web page, bot message, ``--markdown`` file)."""

from __future__ import annotations

from .markup import Block


def _cell(text: str) -> str:
    return text.replace("|", "/").strip() or " "


def _table(block: Block) -> list[str]:
    ncols = max(len(r) for r in block.rows)
    rows = [r + [""] * (ncols - len(r)) for r in block.rows]
    if not block.has_header:
        rows = [[""] * ncols, *rows]
    out = ["| " + " | ".join(_cell(c) for c in rows[0]) + " |", "|" + "---|" * ncols]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows[1:]]
    return out + [""]


def _header(block: Block) -> list[str]:
    h = block.header
    left = [
        x
        for x in (h.get("parent", "").upper(), f"**{h.get('issuer', '').upper()}**", h.get("number", ""))
        if x
    ]
    right = ["**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**", "**Độc lập - Tự do - Hạnh phúc**"]
    if h.get("placedate"):
        right.append(f"*{h['placedate']}*")
    n = max(len(left), len(right))
    left += [""] * (n - len(left))
    right += [""] * (n - len(right))
    out = ["| " + left[0] + " | " + right[0] + " |", "|:---:|:---:|"]
    out += ["| " + a + " | " + b + " |" for a, b in zip(left[1:], right[1:], strict=True)]
    return out + [""]


def render_markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        k = b.kind
        if k not in ("bullet", "subbullet") and lines and lines[-1].lstrip().startswith("- "):
            lines.append("")
        if k == "header":
            lines += _header(b)
        elif k == "title":
            lines += [f"## {b.text.upper()}", ""]
        elif k == "subject":
            lines += [f"**{b.text}**", ""]
        elif k in ("authority", "center"):
            lines += [f"**{b.text}**", ""]
        elif k == "to":
            lines += [f"Kính gửi: {b.text}", ""]
        elif k in ("basis", "note"):
            lines += [f"*{b.text}*", ""]
        elif k == "h1":
            lines += [f"### {b.text}", ""]
        elif k == "h2":
            lines += [f"#### {b.text}", ""]
        elif k == "h3":
            lines += [f"##### {b.text}", ""]
        elif k == "bullet":
            lines.append(f"- {b.text}")
        elif k == "subbullet":
            lines.append(f"    - {b.text}")
        elif k == "para":
            lines += [b.text, ""]
        elif k == "table":
            lines += ["", *_table(b)]
        elif k == "pagebreak":
            lines += ["", "---", ""]
        elif k == "signature":
            lines.append("")
            lines += [f"**{s.upper()}**  " for s in b.sign]
            lines += ["", "*(ký, đóng dấu)*", "", f"**{b.sign_name}**", ""]
            if b.recipients:
                lines += ["***Nơi nhận:***  "] + [f"{r}  " for r in b.recipients] + [""]
        elif k == "sources":
            lines += ["", "---", f"**{b.text}**", ""]
        elif k == "source":
            lines += [f"{b.text}  "]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
