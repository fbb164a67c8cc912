"""On-disk layout of a store and the atomic version switch.

```
<store>/CURRENT                    name of the version being served (replaced atomically)
<store>/versions/<version>/        meta.sqlite, bm25_accent/, bm25_plain/, chroma/, facts.sqlite, manifest.json
<store>/versions/<version>.tmp/    a version being built (never served; removed by the next run)
<store>/cache/embeddings.sqlite    vectors by (model, text hash), shared by all versions
<store>/index.lock                 held while an indexer runs
<store>/uploads/                   files uploaded through the web app
<store>/sources.json               the sources of the last index run
```
A killed indexer leaves at most a ``.tmp`` directory; ``CURRENT`` still names a complete version.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
from pathlib import Path

from ..domain.errors import IndexNotBuiltError


class StoreLayout:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def versions(self) -> Path:
        return self.root / "versions"

    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    @property
    def lock_file(self) -> Path:
        return self.root / "index.lock"

    @property
    def cache_file(self) -> Path:
        return self.root / "cache" / "embeddings.sqlite"

    @property
    def uploads(self) -> Path:
        return self.root / "uploads"

    @property
    def sources_file(self) -> Path:
        return self.root / "sources.json"

    def ensure(self) -> None:
        self.versions.mkdir(parents=True, exist_ok=True)
        (self.root / "cache").mkdir(parents=True, exist_ok=True)

    def current(self) -> str | None:
        try:
            name = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name if name and (self.versions / name / "manifest.json").exists() else None

    def require_current(self) -> str:
        v = self.current()
        if v is None:
            raise IndexNotBuiltError(
                f"Chưa có chỉ mục trong thư mục {self.root}. Hãy chạy: isoassist index --source knowledge"
            )
        return v

    def version_dir(self, version: str) -> Path:
        return self.versions / version

    @staticmethod
    def new_version_name() -> str:
        return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)

    def switch(self, version: str) -> None:
        """Point CURRENT at ``version`` atomically (write temp file, fsync, rename)."""
        tmp = self.root / f"CURRENT.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(version)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.current_file)
        dir_fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def clean_partial(self) -> None:
        """Remove versions left half-built by a killed indexer (call only while holding the lock)."""
        if not self.versions.exists():
            return
        for p in self.versions.iterdir():
            if p.name.endswith(".tmp"):
                shutil.rmtree(p, ignore_errors=True)

    def old_versions(self, keep: int) -> list[str]:
        """Complete versions older than the newest ``keep`` (never the current one)."""
        cur = self.current()
        done = sorted(p.name for p in self.versions.iterdir() if not p.name.endswith(".tmp"))
        old = done[:-keep] if keep > 0 else done
        return [v for v in old if v != cur]

    def read_sources(self) -> list[Path]:
        try:
            return [Path(p) for p in json.loads(self.sources_file.read_text(encoding="utf-8"))]
        except (FileNotFoundError, ValueError):
            return []

    def write_sources(self, sources: list[Path]) -> None:
        tmp = self.sources_file.with_suffix(".tmp")
        tmp.write_text(json.dumps([str(p) for p in sources], ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.sources_file)
