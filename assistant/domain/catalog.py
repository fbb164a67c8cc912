"""Danh mục văn bản: lookups over catalog entries (pure; loading YAML lives in adapters)."""

from __future__ import annotations

from collections.abc import Iterable

from .models import CatalogEntry, DocStatus
from .vntext import DocRef, parse_doc_numbers, strip_diacritics


class Catalog:
    """Catalog of documents the base holds or cites."""

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self._entries: dict[str, CatalogEntry] = {}
        for e in entries:
            if e.id in self._entries:
                raise ValueError(f"Mã văn bản bị trùng trong danh mục: {e.id}")
            self._entries[e.id] = e
        self._by_file: dict[str, str] = {}
        self._refs: list[tuple[DocRef, str]] = []
        for e in self._entries.values():
            for f in e.files:
                self._by_file[f.lower()] = e.id
            if e.number:
                for ref in parse_doc_numbers(e.number)[:1]:
                    self._refs.append((ref, e.id))

    def __iter__(self):
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, entry_id: str) -> CatalogEntry | None:
        return self._entries.get(entry_id)

    def by_file(self, file_name: str) -> CatalogEntry | None:
        eid = self._by_file.get(file_name.lower())
        return self._entries.get(eid) if eid else None

    def by_ref(self, ref: DocRef) -> list[CatalogEntry]:
        """Entries whose number matches ``ref`` (a loose ref such as ``TT26`` may match several)."""
        return [self._entries[eid] for r, eid in self._refs if r.matches(ref)]

    def issued_under(self, ref: DocRef) -> list[CatalogEntry]:
        """Entries issued with a decision whose number matches ``ref`` (a plan "ban hành kèm theo Quyết định
        số 618/QĐ-UBND" for "QĐ 618/2008")."""
        decisions = {e.id for e in self.by_ref(ref)}
        return [e for e in self._entries.values() if e.issued_with in decisions]

    def by_number(self, text: str) -> list[CatalogEntry]:
        """Entries for the first document number written in ``text``."""
        refs = parse_doc_numbers(text)
        return self.by_ref(refs[0]) if refs else []

    def successors(self, entry_id: str) -> list[CatalogEntry]:
        """What replaced this entry, transitively (the current one last)."""
        out: list[CatalogEntry] = []
        seen = {entry_id}
        todo = list(self._entries[entry_id].replaced_by) if entry_id in self._entries else []
        while todo:
            nxt = todo.pop(0)
            if nxt in seen or nxt not in self._entries:
                continue
            seen.add(nxt)
            out.append(self._entries[nxt])
            todo.extend(self._entries[nxt].replaced_by)
        return out

    def is_current(self, entry_id: str) -> bool:
        e = self._entries.get(entry_id)
        return bool(e) and e.status == DocStatus.IN_FORCE

    def provinces(self) -> set[str]:
        return {e.province for e in self._entries.values() if e.province}

    def find_province(self, name: str) -> str | None:
        """The catalog's spelling of a province given loosely (no diacritics, any case)."""
        key = strip_diacritics(name).strip()
        for p in self.provinces():
            if strip_diacritics(p) == key:
                return p
        return None
