"""Word 97-2003 .doc through an external converter: antiword, or else catdoc."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...domain.errors import DocumentParseError, MissingToolError
from ...domain.vntext import collapse_ws
from ._detect import _label, _parse_error
from ._normalise import _row_line

CONVERTER_TIMEOUT_S = 60

_ANTIWORD_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")


def _antiword_tables(text: str) -> str:
    """antiword draws table rows as ``|cell   |cell  |``; make them ``cell | cell``."""
    lines = []
    for line in text.split("\n"):
        m = _ANTIWORD_TABLE_ROW.match(line)
        lines.append(_row_line(m.group(1).split("|")) if m else line)
    return "\n".join(lines)


def _run_converter(cmd: list[str], name: str) -> str:
    tool, target = Path(cmd[0]).name, cmd[-1]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=CONVERTER_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise _parse_error(name, f"{tool} chạy quá {CONVERTER_TIMEOUT_S} giây") from exc
    except OSError as exc:
        raise _parse_error(name, f"không chạy được {tool} ({exc.strerror})") from exc
    if proc.returncode != 0:
        detail = collapse_ws(proc.stderr.decode("utf-8", "replace").replace(target, _label(name))).rstrip(".")
        raise _parse_error(name, f"{tool} báo lỗi: {detail[:200] or f'mã lỗi {proc.returncode}'}")
    return proc.stdout.decode("utf-8", "replace")


def _load_doc(data: bytes, name: str, path: Path | None) -> str:
    """Word 97-2003 via antiword (preferred: keeps paragraphs and table rows) or else catdoc."""
    antiword, catdoc = shutil.which("antiword"), shutil.which("catdoc")
    if not antiword and not catdoc:
        raise MissingToolError(
            f"Cần công cụ antiword để đọc tệp Word 97-2003 “{_label(name)}”. "
            "Cài bằng lệnh: sudo apt-get install antiword — hoặc mở tệp bằng Word và lưu lại dưới dạng .docx."
        )
    with tempfile.TemporaryDirectory(prefix="isoassist-doc-") as tmp:
        if path is None:
            path = Path(tmp) / "input.doc"
            path.write_bytes(data)
        target = str(Path(path).absolute())  # never starts with "-"
        first_error: DocumentParseError | None = None
        if antiword:
            try:
                return _antiword_tables(
                    _run_converter([antiword, "-m", "UTF-8.txt", "-w", "0", target], name)
                )
            except DocumentParseError as exc:
                first_error = exc
        if catdoc:
            try:
                out = _run_converter([catdoc, "-d", "utf-8", "-w", target], name)
            except DocumentParseError:
                if first_error is None:
                    raise
            else:
                return "\n".join(_row_line(ln.split("\t")) if "\t" in ln else ln for ln in out.split("\n"))
        assert first_error is not None
        raise first_error
