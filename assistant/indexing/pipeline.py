"""The incremental, crash-safe indexer.

Every run builds a complete new version beside the current one from (a) the chunks of unchanged
documents, reused as they are, and (b) freshly loaded and chunked changed/new documents; vectors come
from the embedding cache, so only new chunk texts are embedded. The version is switched in only when
complete. A run with nothing changed builds nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from ..config import StoreSettings
from ..domain.catalog import Catalog
from ..domain.errors import DocumentParseError, IndexLockedError
from ..domain.geo import find_provinces
from ..domain.models import CatalogEntry, Chunk, Document, IndexReport
from ..domain.vntext import nfc, parse_doc_numbers, strip_diacritics
from .chunker import chunk_text
from .layout import StoreLayout

# Bump when chunking, headers or tokenisation change: every document is then rebuilt (vectors still come
# from the cache when a chunk's text is unchanged).
PIPELINE_VERSION = "3"


def _code_digest() -> str:
    """Digest of the code that turns files into chunks, tokens and facts: when it changes, a re-index
    rebuilds every document (vectors still come from the cache) instead of serving stale chunks or facts."""
    root = Path(__file__).resolve().parent.parent
    parts = [
        root / "indexing" / "chunker.py",
        root / "adapters" / "pyvi_tokenizer.py",
        *sorted((root / "facts").glob("*.py")),
        *sorted((root / "adapters" / "loaders").glob("*.py")),
    ]
    h = hashlib.sha1()
    for p in parts:
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)

from ..adapters.loaders import SUPPORTED_EXTENSIONS as SUPPORTED  # noqa: E402


@dataclass
class _DocBuild:
    document: Document
    chunks: list[tuple[Chunk, list[str], list[str]]] = field(default_factory=list)


def discover(sources: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Supported files under the sources (recursive, hidden entries skipped), and rejected paths."""
    files: list[Path] = []
    rejected: list[tuple[str, str]] = []
    for src in sources:
        src = Path(src)
        if not src.exists():
            rejected.append((str(src), "Không tìm thấy đường dẫn."))
            continue
        candidates = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
        for p in candidates:
            rel_parts = p.relative_to(src).parts if src.is_dir() else (p.name,)
            if any(part.startswith(".") for part in rel_parts):
                continue
            if src.is_dir() and p.stem.lower() in {"readme", "changelog", "license"}:
                continue  # notes about a folder, not documents of the base
            ext = p.suffix.lower()
            if ext in SUPPORTED:
                files.append(p.resolve())
            elif ext in {".yaml", ".yml", ".json", ".jsonl", ".tsv", ".png", ".jpg"} or src.is_dir():
                if src.is_file():
                    rejected.append((str(p), f"Định dạng tệp không được hỗ trợ ({ext or 'không có đuôi'})."))
                # data files inside a source folder (catalog, onboarding) are not documents: skipped silently
            else:
                rejected.append((str(p), f"Định dạng tệp không được hỗ trợ ({ext or 'không có đuôi'})."))
    seen: set[Path] = set()
    unique = [f for f in files if not (f in seen or seen.add(f))]
    return unique, rejected


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text)).strip("-")[:60] or "tai-lieu"


def _title_from_text(text: str) -> str:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:25]
    for i, ln in enumerate(lines):
        if ln.upper() in {
            "KẾ HOẠCH",
            "QUYẾT ĐỊNH",
            "THÔNG TƯ",
            "NGHỊ ĐỊNH",
            "CHỈ THỊ",
            "HƯỚNG DẪN",
            "BÁO CÁO",
        }:
            if i + 1 < len(lines):
                return f"{ln.capitalize()} {lines[i + 1]}"[:300]
    return (lines[0] if lines else "Tài liệu")[:300]


class Indexer:
    """Builds index versions of a store."""

    def __init__(
        self,
        store: StoreSettings,
        embedder,
        catalog: Catalog,
        loader,
        count_tokens=None,
        fact_writer=None,
        chunk_budget: int = 380,
    ) -> None:
        self.settings = store
        self.layout = StoreLayout(store.path)
        self.embedder = embedder  # a CachedEmbedder
        self.catalog = catalog
        self.loader = loader  # Path -> LoadedText
        self.count = count_tokens or embedder.token_count
        self.fact_writer = fact_writer  # (version_dir, documents, chunks, catalog) -> None
        self.chunk_budget = chunk_budget

    # ------------------------------------------------------------------ metadata
    def _describe(self, path: Path, text: str, used_ids: set[str]) -> Document:
        entry: CatalogEntry | None = self.catalog.by_file(path.name)
        if entry is None:
            head = "\n".join(text.split("\n")[:20])
            for ref in parse_doc_numbers(head):
                matches = [e for e in self.catalog.by_ref(ref) if ref.is_complete]
                if len(matches) == 1:
                    entry = matches[0]
                    break
        if entry is not None:
            doc_id = entry.id
            title, number, kind, province = entry.title, entry.number, entry.kind, entry.province
            year = entry.issued.year if entry.issued else None
        else:
            doc_id = _slug(path.stem)
            title = _title_from_text(text)
            refs = parse_doc_numbers("\n".join(text.split("\n")[:15]))
            number = refs[0].raw.strip() if refs and refs[0].is_complete else None
            kind = title.split(" ")[0].lower() if title else None
            provs = find_provinces("\n".join(text.split("\n")[:30]))
            province = provs[0] if provs else None
            years = re.findall(r"\b(20\d\d|19\d\d)\b", text[:2000])
            year = int(years[0]) if years else None
        base, n = doc_id, 2
        while doc_id in used_ids:
            doc_id = f"{base}-{path.suffix.lstrip('.').lower()}" if n == 2 else f"{base}-{n}"
            n += 1
        used_ids.add(doc_id)
        return Document(
            doc_id=doc_id,
            catalog_id=entry.id if entry else None,
            source_path=str(path),
            file_name=path.name,
            content_hash="",
            format=path.suffix.lstrip(".").lower(),
            title=title,
            number=number,
            kind=kind,
            province=province,
            year=year,
        )

    def _header(self, doc: Document, heading: str) -> str:
        label = " ".join(x for x in ((doc.kind or "").capitalize(), doc.number or "") if x)
        parts = [
            p for p in (label, doc.province and f"tỉnh {doc.province}", doc.title[:150], heading[:150]) if p
        ]
        return " | ".join(parts)

    def _build_doc(self, path: Path, digest: str, used_ids: set[str]) -> _DocBuild:
        from ..adapters.pyvi_tokenizer import accent_tokens, plain_tokens

        loaded = self.loader(path)
        text = nfc(loaded.text)
        doc = self._describe(path, text, used_ids).model_copy(
            update={"content_hash": digest, "format": loaded.format}
        )
        drafts = chunk_text(text, self.count, budget=self.chunk_budget)
        if not drafts:
            raise DocumentParseError(f"Tệp {path.name} không có nội dung văn bản để lập chỉ mục.")
        build = _DocBuild(document=doc)
        seen: dict[str, int] = {}
        for i, d in enumerate(drafts):
            index_text = f"{self._header(doc, d.heading)}\n{d.text}"
            h = hashlib.sha1(f"{doc.doc_id}\x1f{d.section}\x1f{d.text}".encode()).hexdigest()[:16]
            seen[h] = seen.get(h, 0) + 1
            cid = f"{doc.doc_id}:{h}" + (f"-{seen[h]}" if seen[h] > 1 else "")
            chunk = Chunk(
                chunk_id=cid,
                doc_id=doc.doc_id,
                ordinal=i,
                section=d.section,
                heading=d.heading,
                text=d.text,
                index_text=index_text,
            )
            build.chunks.append((chunk, accent_tokens(index_text), plain_tokens(index_text)))
        return build

    def signature(self) -> str:
        return (
            f"{PIPELINE_VERSION}|{self.embedder.model_id}|{self.chunk_budget}|{_code_digest()}"
            f"|ef{self.settings.hnsw_ef_search}"
        )

    # ------------------------------------------------------------------ run
    def run(self, sources: Sequence[Path], progress: ProgressFn | None = None) -> IndexReport:
        self.layout.ensure()
        lock = FileLock(str(self.layout.lock_file), timeout=0)
        try:
            lock.acquire()
        except Timeout as exc:
            raise IndexLockedError(
                "Một tiến trình lập chỉ mục khác đang chạy trên thư mục này. Hãy đợi nó xong rồi thử lại."
            ) from exc
        try:
            return self._run_locked([Path(s).resolve() for s in sources], progress or (lambda *_: None))
        finally:
            lock.release()

    def _run_locked(self, sources: list[Path], progress: ProgressFn) -> IndexReport:
        from ..adapters.sqlite_store import MetaStore

        t0 = time.perf_counter()
        self.layout.clean_partial()
        files, failed = discover(sources)
        current = self.layout.current()
        old_docs: dict[str, Document] = {}
        old_store: MetaStore | None = None
        if current:
            old_store = MetaStore(self.layout.version_dir(current) / "meta.sqlite", readonly=True)
            old_docs = {d.source_path: d for d in old_store.documents()}
            old_manifest = json.loads(old_store.meta("manifest") or "{}")
            if old_manifest.get("signature") != self.signature():
                # chunking or model changed: nothing can be reused as is
                old_docs = {p: d.model_copy(update={"content_hash": "stale"}) for p, d in old_docs.items()}

        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        builds: list[_DocBuild] = []
        used_ids: set[str] = set()
        # unchanged documents first keep their ids
        digests: dict[Path, str] = {}
        for f in files:
            digests[f] = hashlib.sha256(f.read_bytes()).hexdigest()
        for f in files:
            old = old_docs.get(str(f))
            if old is not None and old.content_hash == digests[f] and old_store is not None:
                used_ids.add(old.doc_id)
        for i, f in enumerate(files):
            progress("đọc tài liệu", i, len(files))
            old = old_docs.get(str(f))
            if old is not None and old.content_hash == digests[f] and old_store is not None:
                unchanged.append(str(f))
                builds.append(_DocBuild(document=old, chunks=old_store.chunks_with_tokens(old.doc_id)))
                continue
            try:
                if old is not None:
                    used_ids.discard(old.doc_id)
                build = self._build_doc(f, digests[f], used_ids)
            except DocumentParseError as exc:
                failed.append((str(f), exc.message))
                if old is not None and old_store is not None:  # keep the last good text of this file
                    used_ids.add(old.doc_id)
                    builds.append(_DocBuild(document=old, chunks=old_store.chunks_with_tokens(old.doc_id)))
                continue
            builds.append(build)
            (updated if old is not None else added).append(str(f))
        progress("đọc tài liệu", len(files), len(files))
        kept_paths = {str(f) for f in files}
        removed = [p for p in old_docs if p not in kept_paths]
        if old_store is not None:
            old_store.close()

        n_chunks = sum(len(b.chunks) for b in builds)
        if current and not (added or updated or removed):
            self.layout.write_sources(sources)
            return IndexReport(
                unchanged=tuple(unchanged),
                failed=tuple(failed),
                chunks=n_chunks,
                seconds=time.perf_counter() - t0,
                version=current,
                switched=False,
            )
        if not builds:
            return IndexReport(
                failed=tuple(failed),
                removed=tuple(removed),
                seconds=time.perf_counter() - t0,
                version=current,
                switched=False,
            )
        version, embed_s, embedded = self._materialise(builds, progress)
        self.layout.write_sources(sources)
        self._gc()
        return IndexReport(
            added=tuple(added),
            updated=tuple(updated),
            unchanged=tuple(unchanged),
            removed=tuple(removed),
            failed=tuple(failed),
            chunks=n_chunks,
            embedded=embedded,
            seconds=time.perf_counter() - t0,
            embed_seconds=embed_s,
            version=version,
            switched=True,
        )

    def _materialise(self, builds: list[_DocBuild], progress: ProgressFn) -> tuple[str, float, int]:
        from ..adapters.bm25_index import BM25Index
        from ..adapters.chroma_store import ChromaVectorIndex
        from ..adapters.sqlite_store import MetaStore

        version = self.layout.new_version_name()
        tmp = self.layout.versions / f"{version}.tmp"
        tmp.mkdir(parents=True)
        docs = [b.document for b in builds]
        rows = [row for b in builds for row in b.chunks]
        chunks = [c for c, _, _ in rows]

        meta = MetaStore(tmp / "meta.sqlite")
        meta.write(docs, rows)

        misses_before = getattr(self.embedder, "misses", 0)
        te = time.perf_counter()
        vectors = []
        step = 64
        for i in range(0, len(chunks), step):
            progress("tính vector", i, len(chunks))
            vectors.append(self.embedder.embed_passages([c.index_text for c in chunks[i : i + step]]))
        progress("tính vector", len(chunks), len(chunks))
        embed_s = time.perf_counter() - te
        import numpy as np

        mat = np.vstack(vectors)
        vindex = ChromaVectorIndex(self.settings, tmp, version, create=True)
        vindex.upsert(
            [c.chunk_id for c in chunks], mat, [{"doc_id": c.doc_id, "section": c.section} for c in chunks]
        )
        BM25Index.build([c.chunk_id for c in chunks], [a for _, a, _ in rows]).save(tmp / "bm25_accent")
        BM25Index.build([c.chunk_id for c in chunks], [p for _, _, p in rows]).save(tmp / "bm25_plain")
        if self.fact_writer is not None:
            self.fact_writer(tmp, docs, chunks, self.catalog)
        manifest = {
            "version": version,
            "documents": len(docs),
            "chunks": len(chunks),
            "embedding_model": self.embedder.model_id,
            "dim": int(mat.shape[1]),
            "chroma_mode": self.settings.chroma_mode,
            "signature": self.signature(),
        }
        meta.set_meta("manifest", json.dumps(manifest))
        meta.close()
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        final = self.layout.version_dir(version)
        tmp.rename(final)
        self.layout.switch(version)
        return version, embed_s, getattr(self.embedder, "misses", 0) - misses_before

    def _gc(self) -> None:
        from ..adapters.chroma_store import drop_version

        for v in self.layout.old_versions(self.settings.keep_versions):
            drop_version(self.settings, v)
            shutil.rmtree(self.layout.version_dir(v), ignore_errors=True)
