"""Front ends of Trợ lý ISO (web app, Telegram bot): thin edges over ``assistant.service.Assistant``."""
