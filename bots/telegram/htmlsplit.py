"""Telegram HTML: escaping and splitting long messages (pure, no Telegram imports).

Telegram's HTML parse mode accepts a few tags (``<b>``, ``<i>``, ``<code>``, ``<a href>``,
``<blockquote>``…) and requires every ``&``, ``<`` and ``>`` outside a tag to be escaped. A message
holds at most 4,096 characters; we measure the *escaped HTML* in UTF-16 code units (what Telegram
counts), which is stricter than Telegram's own count after entity parsing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from assistant.domain.vntext import nfc

TELEGRAM_LIMIT = 4096

_TOKEN_RE = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_TAG_NAME_RE = re.compile(r"</?\s*([A-Za-z][\w-]*)")
_SENTENCE_END = frozenset(".!?;…")


def esc(value: object) -> str:
    """Escape any dynamic value for Telegram HTML (NFC first; ``& < >`` only — quotes are fine)."""
    return html.escape(nfc(str(value)), quote=False)


def u16len(text: str) -> int:
    """Length in UTF-16 code units (emoji outside the BMP count twice, as Telegram counts them)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class _Atom:
    text: str
    kind: str  # "char" | "entity" | "open" | "close"
    name: str = ""


def _atoms(markup: str) -> list[_Atom]:
    out: list[_Atom] = []
    pos = 0
    for m in _TOKEN_RE.finditer(markup):
        out.extend(_Atom(ch, "char") for ch in markup[pos : m.start()])
        tok = m.group(0)
        if tok.startswith("&"):
            out.append(_Atom(tok, "entity"))
        else:
            name_m = _TAG_NAME_RE.match(tok)
            name = name_m.group(1).lower() if name_m else ""
            out.append(_Atom(tok, "close" if tok.startswith("</") else "open", name))
        pos = m.end()
    out.extend(_Atom(ch, "char") for ch in markup[pos:])
    return out


def _closing(stack: list[_Atom]) -> str:
    return "".join(f"</{a.name}>" for a in reversed(stack))


def _break_rank(atoms: list[_Atom], k: int) -> int:
    """How good a split *before* atom ``k`` is: 4 paragraph, 3 line, 2 sentence, 1 word, 0 none."""
    prev = atoms[k - 1] if k > 0 else None
    cur = atoms[k] if k < len(atoms) else None
    if cur is None:
        return 4
    if cur.kind == "char" and cur.text == "\n":
        nxt = atoms[k + 1] if k + 1 < len(atoms) else None
        if nxt is not None and nxt.kind == "char" and nxt.text == "\n":
            return 4
        return 3
    if prev is not None and prev.kind == "char" and prev.text == "\n":
        return 3
    if cur.kind == "char" and cur.text.isspace():
        if prev is not None and prev.kind == "char" and prev.text in _SENTENCE_END:
            return 2
        return 1
    return 0


def split_html(markup: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into messages of at most ``limit`` UTF-16 units each.

    Prefers paragraph breaks, then line breaks, then sentence ends, then spaces, then a hard cut.
    Never cuts inside a tag or an entity; tags open at a cut are closed at the end of one part and
    reopened at the start of the next, so every part is valid HTML on its own.
    """
    if u16len(markup) <= limit:
        return [markup] if markup.strip() else []
    atoms = _atoms(markup)
    parts: list[str] = []
    i = 0
    stack: list[_Atom] = []  # tags open at position i
    while i < len(atoms):
        prefix = "".join(a.text for a in stack)
        used = u16len(prefix)
        cur_stack = list(stack)
        # candidates[k] = (rank, stack at k) for every k in (i, j] where the part fits
        best: dict[int, int] = {}
        stacks: dict[int, list[_Atom]] = {}
        k = i
        while k < len(atoms):
            a = atoms[k]
            new_used = used + u16len(a.text)
            new_stack = cur_stack
            if a.kind == "open":
                new_stack = [*cur_stack, a]
            elif a.kind == "close" and cur_stack and cur_stack[-1].name == a.name:
                new_stack = cur_stack[:-1]
            if new_used + u16len(_closing(new_stack)) > limit:
                break
            used, cur_stack = new_used, new_stack
            k += 1
            if cur_stack == [] or a.kind != "open":
                best[k] = _break_rank(atoms, k)
                stacks[k] = cur_stack
        if not best:
            raise ValueError("limit too small for the open tags of this message")
        end = max(best)
        if end < len(atoms):
            floor = i + max(1, (end - i) // 4)
            for rank in (4, 3, 2, 1):
                cands = [p for p, r in best.items() if r >= rank and p >= floor]
                if cands:
                    end = max(cands)
                    break
        body_atoms = atoms[i:end]
        # trim whitespace at the cut (outside tags, text only)
        while body_atoms and body_atoms[-1].kind == "char" and body_atoms[-1].text.isspace():
            body_atoms = body_atoms[:-1]
        part = prefix + "".join(a.text for a in body_atoms) + _closing(stacks[end])
        if _visible(part):
            parts.append(part)
        stack = stacks[end]
        i = end
        while i < len(atoms) and atoms[i].kind == "char" and atoms[i].text.isspace():
            i += 1
    return parts


def _visible(part: str) -> bool:
    return bool(_TOKEN_RE.sub(lambda m: "x" if m.group(0).startswith("&") else "", part).strip())


def strip_tags(markup: str) -> str:
    """The text a user sees (tags removed, entities decoded) — used by tests and logs."""
    return html.unescape(re.sub(r"<[^<>]*>", "", markup))
