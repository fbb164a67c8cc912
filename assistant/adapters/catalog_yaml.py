"""Load the document catalog (``knowledge/catalog.yaml``) into a :class:`Catalog`.

The YAML is a list of mappings with exactly the fields of :class:`CatalogEntry`. Every problem — a
missing file, bad YAML, an unknown field, a bad status, a duplicate id or file name, a
``replaces``/``replaced_by`` link to an unknown id or one that is not mirrored — raises
:class:`ConfigError` with a Vietnamese message naming the file and the entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.domain.catalog import Catalog
from assistant.domain.errors import ConfigError
from assistant.domain.models import CatalogEntry, DocStatus
from assistant.domain.vntext import nfc

RESTRUCTURING_CODES = frozenset({"merged_province", "district_abolished", "renamed_body", "other"})

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VN_DATE_RE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_DATE_FIELDS = ("issued", "effective")
_TEXT_FIELDS = ("number", "period", "iso_version", "kind", "title", "issuer", "province", "notes")
_FORMATS = (
    ("period", re.compile(r"^\d{4}(?:-\d{4})?$"), "2022-2030"),
    ("iso_version", re.compile(r"^9001:\d{4}$"), "9001:2015"),
)
_STATUSES = ", ".join(f'"{s.value}"' for s in DocStatus)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last silently)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    entry_id = next(
        (
            v.value
            for k, v in node.value
            if isinstance(k, yaml.ScalarNode) and k.value == "id" and isinstance(v, yaml.ScalarNode)
        ),
        None,
    )
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            who = f" (id: {entry_id})" if entry_id else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"khóa '{key}' bị lặp trong cùng một mục{who}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_catalog(path: Path) -> Catalog:
    """Read, validate and index the catalog file. Raises ``ConfigError`` on any problem."""
    entries = read_entries(path)
    return Catalog(entries)


def read_entries(path: Path) -> list[CatalogEntry]:
    """The validated entries of the catalog file, in file order."""
    path = Path(path)
    raw = _read_yaml(path)
    entries: list[CatalogEntry] = []
    index_of: dict[str, int] = {}
    file_owner: dict[str, str] = {}
    for i, item in enumerate(raw, start=1):
        entry = _parse_entry(path, i, item)
        if entry.id in index_of:
            raise _error(path, i, entry.id, f"mã (id) bị trùng với mục #{index_of[entry.id]}")
        index_of[entry.id] = i
        for f in entry.files:
            owner = file_owner.get(f.lower())
            if owner is not None:
                raise _error(path, i, entry.id, f"tệp '{f}' đã được gán cho mục '{owner}'")
            file_owner[f.lower()] = entry.id
        entries.append(entry)
    _check_links(path, entries, index_of)
    return entries


# --------------------------------------------------------------------------- reading


def _read_yaml(path: Path) -> list[Any]:
    if not path.is_file():
        raise ConfigError(
            f"Không tìm thấy tệp danh mục văn bản: {path}. Hãy kiểm tra đường dẫn "
            "(biến ISOASSIST_CATALOG_PATH) hoặc khôi phục tệp knowledge/catalog.yaml."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Không đọc được tệp danh mục văn bản {path}: {exc}. Hãy lưu tệp ở dạng UTF-8."
        ) from exc
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" (dòng {mark.line + 1}, cột {mark.column + 1})"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            f"Tệp danh mục văn bản {path} không đúng cú pháp YAML{where}: {problem}. "
            "Hãy sửa lại tệp (mỗi mục bắt đầu bằng '- id: ...')."
        ) from exc
    if data is None:
        raise ConfigError(f"Tệp danh mục văn bản {path} đang rỗng. Hãy thêm các mục văn bản.")
    if not isinstance(data, list):
        raise ConfigError(
            f"Tệp danh mục văn bản {path} phải là một danh sách các mục (mỗi mục bắt đầu bằng '- id: ...')."
        )
    return data


def _parse_entry(path: Path, i: int, item: Any) -> CatalogEntry:
    if not isinstance(item, Mapping):
        raise _error(path, i, None, "mục phải là một bảng các trường (id, kind, title, ...)")
    data = {str(k): _normalise(v) for k, v in item.items()}
    entry_id = data.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise _error(path, i, None, "thiếu trường 'id'")
    if not _ID_RE.match(entry_id):
        raise _error(path, i, entry_id, "mã (id) chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang")
    for field in _TEXT_FIELDS:
        value = data.get(field)
        if value is not None and not isinstance(value, str):
            raise _error(
                path,
                i,
                entry_id,
                f"trường '{field}' phải là chuỗi; hãy đặt giá trị trong dấu nháy kép, ví dụ \"9001:2015\"",
            )
    for field, pattern, example in _FORMATS:
        value = data.get(field)
        if value is not None and not pattern.match(value):
            raise _error(path, i, entry_id, f"trường '{field}' sai dạng ({value!r}); viết như \"{example}\"")
    for field in _DATE_FIELDS:
        data[field] = _as_date(path, i, entry_id, field, data.get(field))
    for note in data.get("restructuring") or ():
        if isinstance(note, Mapping) and note.get("code") not in RESTRUCTURING_CODES:
            raise _error(
                path,
                i,
                entry_id,
                f"mã sắp xếp bộ máy '{note.get('code')}' không hợp lệ; dùng một trong: "
                + ", ".join(sorted(RESTRUCTURING_CODES)),
            )
    try:
        entry = CatalogEntry.model_validate(data)
    except ValidationError as exc:
        raise _error(path, i, entry_id, _describe(exc)) from exc
    if entry.status == DocStatus.REPLACED and not entry.replaced_by:
        raise _error(path, i, entry_id, "trạng thái 'bị thay thế' nhưng thiếu 'replaced_by'")
    if entry.id in entry.replaces or entry.id in entry.replaced_by:
        raise _error(path, i, entry_id, "văn bản không thể thay thế chính nó")
    return entry


def _normalise(value: Any) -> Any:
    """NFC every string (the YAML may be saved in NFD by some editors)."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _normalise(v) for k, v in value.items()}
    return value


def _as_date(path: Path, i: int, entry_id: str, field: str, value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        m = _VN_DATE_RE.match(value)
        if m:
            day, month, year = (int(g) for g in m.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                pass
        else:
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
    raise _error(
        path,
        i,
        entry_id,
        f"trường '{field}' không phải ngày hợp lệ ({value!r}); viết dạng 2014-03-05 hoặc \"05/03/2014\"",
    )


def _describe(exc: ValidationError) -> str:
    parts: list[str] = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "mục"
        kind = err["type"]
        if kind == "extra_forbidden":
            parts.append(f"trường không được hỗ trợ '{field}'")
        elif kind == "missing":
            parts.append(f"thiếu trường bắt buộc '{field}'")
        elif kind == "enum" and err["loc"][:1] == ("status",):
            parts.append(f"trạng thái {err.get('input')!r} không hợp lệ; dùng một trong: {_STATUSES}")
        else:
            parts.append(f"trường '{field}' không hợp lệ ({err['msg']})")
    return "; ".join(parts)


# --------------------------------------------------------------------------- links


def _check_links(path: Path, entries: list[CatalogEntry], index_of: dict[str, int]) -> None:
    by_id = {e.id: e for e in entries}
    for e in entries:
        i = index_of[e.id]
        if e.issued_with is not None and e.issued_with not in by_id:
            raise _error(
                path, i, e.id, f"'issued_with' trỏ tới mã không có trong danh mục: '{e.issued_with}'"
            )
        for field, targets, mirror in (
            ("replaces", e.replaces, "replaced_by"),
            ("replaced_by", e.replaced_by, "replaces"),
        ):
            for target in targets:
                other = by_id.get(target)
                if other is None:
                    raise _error(path, i, e.id, f"'{field}' trỏ tới mã không có trong danh mục: '{target}'")
                if e.id not in getattr(other, mirror):
                    raise _error(
                        path,
                        i,
                        e.id,
                        f"'{field}' có '{target}' nhưng mục '{target}' không ghi '{e.id}' trong '{mirror}'",
                    )


def _error(path: Path, i: int, entry_id: str | None, problem: str) -> ConfigError:
    who = f"mục #{i}" + (f" (id: {entry_id})" if entry_id else "")
    return ConfigError(f"Danh mục văn bản {path}, {who}: {problem}. Hãy sửa tệp danh mục rồi chạy lại.")
