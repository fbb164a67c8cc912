"""Telegram front end of Trợ lý ISO (python-telegram-bot v22): ``build_application``, ``run_bot``."""

from .app import build_application, run_bot

__all__ = ["build_application", "run_bot"]
