"""``isoassist learn [LESSON]``: the Học ISO curriculum in the terminal (lessons, quiz, progress) and
``isoassist glossary [TERM]``: terms and abbreviations."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer
from rich.markdown import Markdown
from rich.table import Table

from ..domain.errors import InvalidInputError
from .common import StoreOption, assistant_from, console, fail, run_guarded, settings_from


def _default_user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:local"


def _service(store: Path | None):
    return assistant_from(settings_from(store)).onboarding()


def _list(svc, user: str) -> None:
    progress = svc.progress(user)
    done = set(progress.completed)
    table = Table(
        title=f"Lộ trình Học ISO — đã học {len(done)}/{progress.total_lessons} bài", show_lines=False
    )
    for col in ("Bài", "Mã", "Tên bài", "Phút", "Kiểm tra", "Trạng thái"):
        table.add_column(col, overflow="fold")
    for s in svc.lessons():
        score = progress.scores.get(s.id)
        quiz = f"{score.correct}/{score.total}" if score else f"–/{s.quiz_count}"
        state = (
            "✓ đã học"
            if s.id in done
            else ("→ học tiếp" if progress.next_lesson and progress.next_lesson.id == s.id else "")
        )
        table.add_row(str(s.order), s.id, s.title, str(s.minutes), quiz, state)
    console.print(table)
    if progress.next_lesson:
        console.print(
            f"Học bài tiếp theo: [bold]isoassist learn {progress.next_lesson.id}[/bold] "
            '(thêm --province "Tên tỉnh" để xem thời hạn, cơ quan của tỉnh).',
            highlight=False,
        )


def _print_lesson(lesson) -> None:
    console.print(
        Markdown(
            f"# Bài {lesson.order}. {lesson.title}\n\n*{lesson.summary}*  \n"
            f"Thời lượng: khoảng {lesson.minutes} phút"
        )
    )
    console.print(Markdown(lesson.markdown))
    for w in lesson.warnings:
        console.print(f"[yellow]⚠ {w.message}[/yellow]", highlight=False)
    console.print("\n[bold]Nguồn:[/bold]")
    for c in lesson.citations:
        where = f"mục {c.section}" if c.section else "phần đầu"
        console.print(f"[{c.n}] {c.number or c.title} — {where}: “{c.quote}”", highlight=False, markup=False)


def _run_quiz(svc, user: str, lesson) -> None:
    if not lesson.quiz:
        return
    console.print(f"\n[bold]Bài kiểm tra ({len(lesson.quiz)} câu)[/bold]")
    correct = 0
    for i, q in enumerate(lesson.quiz, 1):
        console.print(f"\n[bold]Câu {i}.[/bold] {q.question}", highlight=False)
        for k, choice in enumerate(q.choices):
            console.print(f"  {chr(ord('A') + k)}. {choice}", highlight=False, markup=False)
        prompt = "Chọn A, B, C…" if q.type == "choice" else "Trả lời ngắn"
        while True:
            answer = typer.prompt(prompt)
            try:
                result = svc.answer_quiz(user, lesson.id, q.id, answer)
                break
            except InvalidInputError as exc:
                console.print(f"[red]{exc.message}[/red]", highlight=False)
        correct += result.correct
        if result.correct:
            console.print("[green]✓ Đúng.[/green]")
        else:
            console.print(f"[red]✗ Chưa đúng.[/red] Đáp án: {result.correct_answer}", highlight=False)
        cite = result.citation
        console.print(
            f"{result.explanation}\n  Nguồn: {cite.number or cite.title}, mục {cite.section}: “{cite.quote}”",
            highlight=False,
            markup=False,
        )
    console.print(f"\nKết quả: {correct}/{len(lesson.quiz)} câu đúng.")


def register(app: typer.Typer) -> None:
    @app.command("learn")
    @run_guarded
    def learn(
        lesson_id: str = typer.Argument(
            None, metavar="LESSON", help="Mã bài học (bỏ trống để xem lộ trình)."
        ),
        province: str = typer.Option(
            None, "--province", help="Tỉnh: thêm thời hạn, cơ quan chủ trì của tỉnh."
        ),
        user: str = typer.Option(None, "--user", help="Mã người học (mặc định: cli:<tên đăng nhập>)."),
        no_quiz: bool = typer.Option(False, "--no-quiz", help="Chỉ đọc bài, không làm bài kiểm tra."),
        store: Path = StoreOption,
    ) -> None:
        """Học ISO: xem lộ trình, đọc một bài (có nguồn) và làm bài kiểm tra; tiến độ được lưu."""
        svc = _service(store)
        uid = user or _default_user()
        if not lesson_id:
            _list(svc, uid)
            return
        lesson = svc.lesson(lesson_id, province=province)
        _print_lesson(lesson)
        if not no_quiz:
            _run_quiz(svc, uid, lesson)
        progress = svc.complete_lesson(uid, lesson.id)
        console.print(
            f"Đã lưu: học xong {len(progress.completed)}/{progress.total_lessons} bài.", highlight=False
        )
        if progress.next_lesson:
            console.print(
                f"Bài tiếp theo: isoassist learn {progress.next_lesson.id}", highlight=False, markup=False
            )

    @app.command("glossary")
    @run_guarded
    def glossary(
        term: str = typer.Argument(None, help="Thuật ngữ hoặc viết tắt (HTQLCL, TTHC, đơn vị chủ trì…)."),
        store: Path = StoreOption,
    ) -> None:
        """Tra thuật ngữ và viết tắt về ISO trong cơ quan nhà nước."""
        svc = _service(store)
        if term:
            found = svc.lookup(term)
            if found is None:
                fail(
                    f"Chưa có thuật ngữ “{term}” trong bảng thuật ngữ. Chạy “isoassist glossary” để xem danh sách."
                )
            terms = [found]
        else:
            terms = svc.glossary()
        for t in terms:
            short = f" ({', '.join(t.abbreviations)})" if t.abbreviations else ""
            console.print(f"[bold]{t.term}[/bold]{short}: {t.definition}", highlight=False)
            if term and t.source:
                console.print(
                    f"  Nguồn: {t.source.doc_id}, mục {t.source.section}: “{t.source.quote}”",
                    highlight=False,
                    markup=False,
                )
