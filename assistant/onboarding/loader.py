"""Read the curriculum files: lessons (``lessons/NN-slug.yaml``) and the glossary (``glossary.yaml``).

Problems become ``ConfigError`` with a Vietnamese message naming the file and the field to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..domain.errors import ConfigError
from ..domain.vntext import nfc
from .models import GlossaryTerm, LessonSpec

_MARKER = re.compile(r"\[(\d+)\]")


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"Không đọc được tệp “{path}”: {exc.strerror}. Hãy kiểm tra đường dẫn và quyền đọc."
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"Tệp “{path.name}” không phải YAML hợp lệ ({exc}). Hãy sửa cú pháp tệp.") from exc


def _where(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"]) or "(gốc)"
        parts.append(f"trường “{loc}”: {err['msg']}")
    return "; ".join(parts)


def _nfc_tree(value: object) -> object:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_tree(v) for k, v in value.items()}
    return value


def load_lesson(path: Path) -> LessonSpec:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"Tệp bài học “{path.name}” phải là một bảng khóa–giá trị (id, title, body…).")
    try:
        spec = LessonSpec.model_validate(_nfc_tree(data))
    except ValidationError as exc:
        raise ConfigError(
            f"Tệp bài học “{path.name}” không hợp lệ — {_where(exc)}. Hãy sửa tệp theo mẫu bài học."
        ) from exc
    numbers = {c.n for c in spec.citations}
    missing = sorted({int(n) for n in _MARKER.findall(spec.body)} - numbers)
    if missing:
        raise ConfigError(
            f"Bài học “{spec.id}” ({path.name}) dùng dấu trích dẫn {', '.join(f'[{n}]' for n in missing)} "
            "nhưng không có mục tương ứng trong “citations”."
        )
    ids = [q.id for q in spec.quiz]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"Bài học “{spec.id}” ({path.name}) có mã câu hỏi trùng nhau trong “quiz”.")
    for q in spec.quiz:
        if q.type == "choice" and not (isinstance(q.answer, int) and 0 <= q.answer < len(q.choices)):
            raise ConfigError(
                f"Câu hỏi “{q.id}” của bài “{spec.id}”: đáp án phải là số thứ tự (từ 0) của một lựa chọn."
            )
    return spec


def load_lessons(lessons_dir: Path) -> list[LessonSpec]:
    """All lessons, in curriculum order. Raises ``ConfigError`` on a bad file, duplicate id or order."""
    if not lessons_dir.is_dir():
        raise ConfigError(
            f"Không tìm thấy thư mục bài học “{lessons_dir}”. Hãy kiểm tra cấu hình knowledge_dir "
            "(thư mục cần có onboarding/lessons/*.yaml)."
        )
    specs = [load_lesson(p) for p in sorted(lessons_dir.glob("*.yaml"))]
    seen: dict[str, str] = {}
    orders: dict[int, str] = {}
    for s in specs:
        if s.id in seen:
            raise ConfigError(f"Mã bài học “{s.id}” bị trùng (bài “{seen[s.id]}”). Mỗi bài cần một mã riêng.")
        if s.order in orders:
            raise ConfigError(f"Thứ tự {s.order} bị trùng giữa bài “{orders[s.order]}” và “{s.id}”.")
        seen[s.id] = s.title
        orders[s.order] = s.id
    return sorted(specs, key=lambda s: s.order)


def load_glossary(path: Path) -> list[GlossaryTerm]:
    """Glossary terms. A missing file gives an empty glossary; a malformed one raises ``ConfigError``."""
    if not path.exists():
        return []
    data = _read_yaml(path)
    items = data.get("terms") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ConfigError(f"Tệp thuật ngữ “{path.name}” phải có khóa “terms” chứa danh sách thuật ngữ.")
    out: list[GlossaryTerm] = []
    for i, item in enumerate(items):
        try:
            out.append(GlossaryTerm.model_validate(_nfc_tree(item)))
        except ValidationError as exc:
            raise ConfigError(
                f"Thuật ngữ thứ {i + 1} trong “{path.name}” không hợp lệ — {_where(exc)}. Hãy sửa tệp thuật ngữ."
            ) from exc
    return out
