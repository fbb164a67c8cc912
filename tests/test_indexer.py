"""Incremental, crash-safe indexing with the real default stack on small real inputs."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EMBED_CACHE, KNOWLEDGE_DOCS, LEGAL, ROOT

from assistant.bootstrap import build_assistant
from assistant.domain.errors import IndexLockedError, IndexNotBuiltError
from assistant.indexing.layout import StoreLayout

SEED_A = KNOWLEDGE_DOCS / "003_b3603c36b7cc60a7.txt"  # Hà Tĩnh 310/KH-UBND
SEED_B = KNOWLEDGE_DOCS / "000_a5180ff903824546.txt"  # Đồng Nai


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED_A, src / SEED_A.name)
    shutil.copy(SEED_B, src / SEED_B.name)
    shutil.copy(LEGAL / "tt-116-2015-tt-btc.txt", src / "tt-116-2015-tt-btc.txt")
    return src


@pytest.fixture()
def asst(tmp_path: Path, make_settings):
    return build_assistant(make_settings(tmp_path / "store"))


def test_search_before_any_index_says_what_to_do(asst):
    with pytest.raises(IndexNotBuiltError) as exc:
        asst.search("hạn báo cáo")
    assert "isoassist index" in exc.value.message


def test_incremental_add_unchanged_update_remove(asst, source: Path):
    r1 = asst.index([source])
    assert len(r1.added) == 3 and r1.switched and not r1.failed
    v1 = r1.version
    ids1 = {h.chunk_id for h in asst.search("Sở Khoa học và Công nghệ chủ trì", k=50)}

    r2 = asst.index([source])
    assert len(r2.unchanged) == 3 and not r2.switched and r2.version == v1
    assert r2.embedded == 0  # the time of a no-change re-index is measured by `isoassist bench index`

    # change one document: only its chunks change, ids of the others are stable
    f = source / SEED_B.name
    f.write_text(
        f.read_text(encoding="utf-8")
        + "\nV. ĐIỀU KHOẢN BỔ SUNG\nHạn chót thử nghiệm là ngày 31/12 hàng năm.\n",
        encoding="utf-8",
    )
    r3 = asst.index([source])
    assert [Path(p).name for p in r3.updated] == [SEED_B.name] and len(r3.unchanged) == 2
    assert r3.embedded <= 3, "unchanged chunk texts must come from the embedding cache"
    hits = asst.search("hạn chót thử nghiệm 31/12 của Đồng Nai", k=3)
    assert "31/12" in hits[0].text
    ids3 = {h.chunk_id for h in asst.search("Sở Khoa học và Công nghệ chủ trì", k=50)}
    kept = {i for i in ids1 if i.startswith("kh-310-2022-ha-tinh:")}
    assert kept and kept <= ids3

    f.unlink()
    r4 = asst.index([source])
    assert [Path(p).name for p in r4.removed] == [SEED_B.name]
    assert all(h.doc_id != "kh-dong-nai-2019" for h in asst.search("Đồng Nai", k=20))


def test_corrupt_and_unsupported_files_are_reported_and_skipped(asst, source: Path):
    (source / "hong.docx").write_bytes(b"PK\x03\x04 this is not a real zip archive")
    (source / "anh.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    r = asst.index([source])
    failed = {Path(p).name: why for p, why in r.failed}
    assert set(failed) == {"hong.docx", "anh.pdf"}
    assert all(why and why[0].isupper() for why in failed.values())
    assert len(r.added) == 3 and r.switched


def test_a_second_indexer_is_refused_while_one_runs(asst, source: Path):
    from filelock import FileLock

    layout = StoreLayout(asst.settings.store.path)
    layout.ensure()
    with FileLock(str(layout.lock_file)):
        with pytest.raises(IndexLockedError):
            asst.index([source])


def test_the_legacy_doc_and_every_corpus_file_are_indexed(tmp_path: Path, make_settings):
    asst = build_assistant(make_settings(tmp_path / "store"))
    r = asst.index([LEGAL.parent])
    names = {Path(p).name for p in r.added}
    assert "nd-30-2020-nd-cp-phu-luc-I.doc" in names and len(names) == 6, r
    docs = {d.doc_id for d in asst.reader.snapshot().documents.values()}
    assert {"nd-30-2020-nd-cp-phu-luc-i", "nd-30-2020-nd-cp-phu-luc-i-doc", "qd-19-2014-qd-ttg"} <= docs


def test_killing_the_indexer_mid_run_leaves_the_previous_index_serving(
    tmp_path: Path, source: Path, make_settings
):
    store = tmp_path / "store"
    asst = build_assistant(make_settings(store))
    first = asst.index([source])
    layout = StoreLayout(store)
    assert layout.current() == first.version

    # new text that is not in the embedding cache, so the run spends seconds embedding
    big = source / "kế-hoạch-mới.txt"
    lines = ["KẾ HOẠCH", "Kế hoạch thử nghiệm lập chỉ mục", "I. NỘI DUNG"]
    for i in range(1, 60):
        lines.append(
            f"{i}. Nhiệm vụ số {i} về đánh giá nội bộ đợt {i * 7} của đơn vị thử nghiệm {os.getpid()}-{i}: "
            + "cán bộ ISO rà soát quy trình, cập nhật tài liệu, báo cáo lãnh đạo. " * 8
        )
    big.write_text("\n".join(lines), encoding="utf-8")
    env = {
        **os.environ,
        "ISOASSIST_STORE__PATH": str(store),
        "ISOASSIST_STORE__EMBEDDING_CACHE": str(EMBED_CACHE),
        "OMP_WAIT_POLICY": "passive",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "index", "--json", "--source", str(source)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 300
    while time.time() < deadline and not any(p.name.endswith(".tmp") for p in layout.versions.iterdir()):
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the indexer finished before it could be killed"
    time.sleep(0.5)  # inside the version build (embedding)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert layout.current() == first.version
    fresh = build_assistant(make_settings(store))
    hits = fresh.search("Sở Khoa học và Công nghệ", k=3)
    assert hits and all(h.doc_id != "ke-hoach-moi" for h in hits)

    again = fresh.index([source])
    assert again.switched and any(Path(p).name == big.name for p in again.added)
    assert not any(p.name.endswith(".tmp") for p in layout.versions.iterdir())


def test_dense_search_is_exact_so_a_rerun_ranks_the_same(assistant):
    """Chroma's HNSW search at its default breadth is approximate, and two processes loading one index
    could rank near neighbours differently; the index is built to visit every vector instead."""
    import numpy as np

    snap = assistant.reader.snapshot()
    got = snap.vectors._col.get(include=["embeddings"])
    ids, mat = got["ids"], np.asarray(got["embeddings"], dtype=np.float32)
    assert len(ids) == len(snap.chunks) > 100
    questions = [
        "Có bao nhiêu cơ quan phải mở rộng hoặc chuyển đổi?",
        "thời hạn công bố hệ thống quản lý chất lượng",
        "kinh phí tư vấn xây dựng ISO tối đa bao nhiêu",
        "Sở Khoa học và Công nghệ có trách nhiệm gì",
        "chuyen doi sang tcvn iso 9001 2015 den khi nao",
        "đánh giá nội bộ bao lâu một lần",
        "cơ quan nào kiểm tra việc áp dụng ISO",
        "hồ sơ đăng ký tham gia đào tạo chuyên gia",
    ]
    for question in questions:
        vec = assistant.retriever.embedder.embed_query(question)
        sims = mat @ vec
        dense = snap.vectors.query(vec, 50)
        top = [ids[i] for i in np.argsort(-sims, kind="stable")[:50]]
        assert {cid for cid, _ in dense} == set(top), question  # the true 50 nearest, every time
