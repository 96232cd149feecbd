"""The admissions staff console: sign-in with roles, leads, audit log (served by bot.console.web)."""
