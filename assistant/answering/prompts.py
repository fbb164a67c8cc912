"""Prompt files (``prompts/*.j2``) rendered with Jinja2 ``StrictUndefined``: a missing variable fails loudly."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from ..domain.errors import ConfigError
from ..domain.vntext import nfc


@lru_cache(maxsize=8)
def _environment(prompts_dir: str) -> Environment:
    return Environment(
        loader=FileSystemLoader(prompts_dir),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(prompts_dir: Path | str, name: str, **variables: Any) -> str:
    """Render ``prompts_dir/name`` (NFC). ``jinja2.UndefinedError`` when a variable the template uses is missing."""
    env = _environment(str(Path(prompts_dir).resolve()))
    try:
        template = env.get_template(name)
    except TemplateNotFound as exc:
        raise ConfigError(
            f"Không tìm thấy tệp mẫu câu lệnh “{name}” trong thư mục {prompts_dir}. "
            "Hãy kiểm tra cấu hình prompts_dir (ISOASSIST_PROMPTS_DIR)."
        ) from exc
    return nfc(template.render(**variables)).strip() + "\n"
