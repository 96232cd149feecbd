"""Command line: python -m bot <command>.

  kb validate [--dir DIR]          check the knowledge-base files
  db upgrade                       create/upgrade the database schema (DATABASE_URL or SQLite)
  questions list [--limit N]       unanswered questions, newest first
  nlu eval [--url URL | --model M] intent accuracy on the held-out files
  nlu generate                     lookup tables and synonyms from the knowledge base
  leads export [--since DATE] --format csv|xlsx [--output FILE]
  leads flush-outbox               deliver leads queued while the database was down
  retention show                   the personal-data retention policy in effect
  retention purge [--dry-run]      apply it now (the staff console also does, daily)
  answer INTENT "TEXT" [--date D] [--aspect A]
                                   the answer to a question for an intent (no model needed)
  support check "TEXT" [--date D] [--details]
                                   what the support check answers to a sentence (for counsellors
                                   checking the knowledge base), with the details on request
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from bot.kb import kb_dir


def cmd_kb_validate(args: argparse.Namespace) -> int:
    from bot.kb.loader import load
    from bot.kb.validate import validate_dir

    root = Path(args.dir) if args.dir else kb_dir()
    _, problems = validate_dir(root)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    kb = load(root)
    print(f"knowledge base OK: {len(kb.programmes)} programmes, {len(kb.policies)} policies, "
          f"{len(kb.faqs)} FAQs, {len(kb.documents)} documents")
    return 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    from bot.storage.db import database_url, migrate

    url = database_url()
    migrate(url)
    print(f"database schema up to date ({url.split('@')[-1]})")
    return 0


def cmd_questions_list(args: argparse.Namespace) -> int:
    from bot.storage.questions import list_unanswered

    for q in list_unanswered(limit=args.limit):
        print(f"{q.asked_at:%Y-%m-%d %H:%M}  [{q.channel}] ({q.reason}) {q.text}")
    return 0


def cmd_nlu_eval(args: argparse.Namespace) -> int:
    from bot.nlu.evaluate import evaluate, http_parser, model_parser

    parse = model_parser(args.model) if args.model else http_parser(args.url)
    report = evaluate(parse)
    print(report.render())
    failures = report.failures()
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


def cmd_nlu_generate(_args: argparse.Namespace) -> int:
    from bot.kb import get_kb
    from bot.nlu.lookups import OUTPUT, write

    changed = write(get_kb())
    print(f"{OUTPUT.relative_to(OUTPUT.parents[2])} {'written' if changed else 'already up to date'}")
    return 0


def _date_arg(value):
    """A YYYY-MM-DD option; a wrong one ends the command with a Vietnamese message (exit code 2)."""
    import datetime as dt

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        print(f"Ngày không hợp lệ: {value!r} (dùng dạng YYYY-MM-DD, ví dụ 2026-09-01)", file=sys.stderr)
        raise SystemExit(2)


def cmd_leads_export(args: argparse.Namespace) -> int:
    from bot.leads.export import load_leads, rows, write_csv, write_xlsx

    since = _date_arg(args.since)
    if args.format == "xlsx" and not args.output:
        print("Xuất XLSX cần --output TỆP.xlsx", file=sys.stderr)
        return 2
    data = rows(load_leads(since))
    if args.format == "xlsx":
        write_xlsx(data, args.output)
    elif args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            write_csv(data, handle)
    else:
        sys.stdout.reconfigure(encoding="utf-8", newline="")
        write_csv(data, sys.stdout)
    if args.output:
        print(f"{len(data)} lead(s) -> {args.output}", file=sys.stderr)
    return 0


def cmd_leads_flush(_args: argparse.Namespace) -> int:
    from bot.leads import outbox
    from bot.leads.service import flush_outbox

    delivered = flush_outbox()
    print(f"delivered {delivered} queued lead(s); {outbox.count()} still waiting")
    return 0



def _retention_policy():
    from bot.retention import RetentionConfigError, RetentionPolicy

    try:
        return RetentionPolicy.from_env()
    except RetentionConfigError as problem:
        print(f"retention settings: {problem}", file=sys.stderr)
        raise SystemExit(2)


def cmd_retention_show(_args: argparse.Namespace) -> int:
    from bot.retention import describe

    for line in describe(_retention_policy()):
        print(line)
    return 0


def cmd_retention_purge(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.retention import purge, purge_exclusive

    policy = _retention_policy()
    try:
        report = purge(policy=policy, dry_run=True) if args.dry_run else purge_exclusive(policy=policy)
    except SQLAlchemyError as problem:
        print(f"retention purge: database error ({problem.__class__.__name__}); nothing was changed "
              "by the kinds that did not finish", file=sys.stderr)
        return 1
    if report is None:
        print("another instance is purging this database right now; nothing done", file=sys.stderr)
        return 1
    print("dry run: nothing was changed; a purge now would do this:" if report.dry_run else "retention purge done:")
    for line in report.lines():
        print(f"  {line}")
    return 1 if report.failed else 0


def cmd_quiz_report(args: argparse.Namespace) -> int:
    """Career interests per xã/phường, from the anonymous quiz results."""
    from bot.kb import get_kb
    from bot.storage.quiz import interests_by_commune

    kb = get_kb()
    labels = {code: label for code, (label, _) in kb.career.riasec_types.items()}
    rows = interests_by_commune(_date_arg(args.since), _date_arg(args.until))
    if not rows:
        print("Chưa có kết quả trắc nghiệm nào trong khoảng thời gian này.")
        return 0
    for row in rows:
        types = ", ".join(f"{labels[t]} {n}" for t, n in row.types.most_common(3))
        names = ", ".join((kb.programme(p).name if kb.programme(p) else p) for p in row.top_programmes())
        print(f"{row.commune}: {row.people} người | nhóm sở thích: {types} | nghề gợi ý nhiều nhất: {names}")
    return 0


def cmd_console_serve(args: argparse.Namespace) -> int:
    import logging
    import os

    from bot.console.web import create_app
    from bot.storage.db import migrate

    _retention_policy()  # a wrong retention setting stops the start-up with a clear message
    # The application's own INFO lines (e.g. the daily retention purge) on stderr; the root logger is
    # left alone (Sanic logs on its own; httpx's INFO lines would show the channels' tokens in URLs).
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    own = logging.getLogger("bot")
    own.setLevel(logging.INFO)
    own.addHandler(handler)
    own.propagate = False
    migrate()
    secure = os.environ.get("CONSOLE_SECURE_COOKIES", "0") == "1"
    app = create_app(secure_cookies=secure)
    app.run(host=args.host, port=args.port, access_log=False, motd=False, workers=1)
    return 0


def _read_password(args: argparse.Namespace) -> str:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu: ")
    if first != getpass.getpass("Nhập lại mật khẩu: "):
        raise SystemExit("Hai lần nhập mật khẩu không khớp.")
    return first


def cmd_staff_create(args: argparse.Namespace) -> int:
    from bot.console.auth import AccountError, create_user
    from bot.storage.db import migrate

    migrate()
    role = getattr(args, "role", None) or "admin"
    try:
        create_user(args.username, args.name or args.username, role, _read_password(args))
    except AccountError as problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Đã tạo tài khoản {args.username.strip().lower()} ({role}).")
    return 0


def cmd_staff_unlock(args: argparse.Namespace) -> int:
    from bot.console.auth import unlock
    from bot.storage.db import migrate

    migrate()
    if not unlock(args.username):
        print(f"error: no account {args.username!r}", file=sys.stderr)
        return 1
    print(f"{args.username}: unlocked")
    return 0


def cmd_staff_has_admin(_args: argparse.Namespace) -> int:
    from bot.console.auth import admin_exists
    from bot.storage.db import migrate

    migrate()
    return 0 if admin_exists() else 1


def _print_answer(intent: str, text: str, date: Optional[str], entities=None):
    """The reply to `text` for `intent` as a person reads it: text, its length and its buttons."""
    import datetime as dt

    from bot.answers import Context, answer
    from bot.kb import get_kb

    kb = get_kb()
    day = _date_arg(date) if date else dt.date.today()
    reply = answer(intent, Context(kb, text, day, intent, entities or {}, {}, []))
    print(reply.text)
    print(f"[{len(reply.text)} ký tự] " + " | ".join(b.title for b in reply.buttons))
    if reply.follow_up:
        print(f"(tiếp theo: {reply.follow_up})")
    return kb, day, reply


def cmd_answer(args: argparse.Namespace) -> int:
    """Print the answer to a question for the intent the NLU would give it (no model needed)."""
    entities = {"aspect": [args.aspect]} if args.aspect else {}
    _print_answer(args.intent, args.text, args.date, entities)
    return 0


def cmd_support_check(args: argparse.Namespace) -> int:
    """Print the assistant's support answer to a sentence, as a person would read it."""
    from bot.answers import Context, answer

    kb, day, reply = _print_answer("check_eligibility", args.text, args.date)
    if args.details:
        for aspect in ("papers", "totals", "open"):
            detail = answer("check_eligibility", Context(kb, "", day, "check_eligibility", {"aspect": [aspect]},
                                                         {"profile": reply.slots.get("profile")}, []))
            print(f"\n--- {aspect} ---\n{detail.text}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="group", required=True)

    kb = sub.add_parser("kb").add_subparsers(dest="command", required=True)
    validate = kb.add_parser("validate", help="check the knowledge-base files")
    validate.add_argument("--dir", help="knowledge-base folder (default: knowledge_base/ or $KB_DIR)")
    validate.set_defaults(func=cmd_kb_validate)

    support = sub.add_parser("support").add_subparsers(dest="command", required=True)
    check = support.add_parser("check", help="the support check's answer to a sentence")
    check.add_argument("text", help='e.g. "em người Thái, hộ nghèo, học trung cấp trường công lập"')
    check.add_argument("--date", help="YYYY-MM-DD: answer as on that day (lương cơ sở of that day)")
    check.add_argument("--details", action="store_true", help="also the papers, course totals and open questions")
    check.set_defaults(func=cmd_support_check)

    from bot.answers import ANSWERS

    ask = sub.add_parser("answer", help="the answer to a question, for a given intent")
    ask.add_argument("intent", choices=sorted(ANSWERS), help="the intent the NLU gives the question")
    ask.add_argument("text", help='e.g. "học phí nghề hàn bao nhiêu"')
    ask.add_argument("--date", help="YYYY-MM-DD: answer as on that day")
    ask.add_argument("--aspect", help='a button\'s aspect, e.g. "papers", "who", "open", "all"')
    ask.set_defaults(func=cmd_answer)

    db = sub.add_parser("db").add_subparsers(dest="command", required=True)
    db.add_parser("upgrade", help="create or upgrade the schema").set_defaults(func=cmd_db_upgrade)

    qs = sub.add_parser("questions").add_subparsers(dest="command", required=True)
    listing = qs.add_parser("list", help="unanswered questions")
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(func=cmd_questions_list)

    nlu = sub.add_parser("nlu").add_subparsers(dest="command", required=True)
    ev = nlu.add_parser("eval", help="intent accuracy on tests/nlu_holdout/")
    ev.add_argument("--url", default="http://localhost:5005", help="running Rasa server (default)")
    ev.add_argument("--model", help="evaluate a model file in this process instead")
    ev.set_defaults(func=cmd_nlu_eval)
    nlu.add_parser("generate", help="write data/nlu/generated_from_kb.yml (lookups, synonyms)").set_defaults(
        func=cmd_nlu_generate)

    leads = sub.add_parser("leads").add_subparsers(dest="command", required=True)
    export = leads.add_parser("export", help="export leads (CSV to stdout by default)")
    export.add_argument("--since", help="only leads from this date (YYYY-MM-DD)")
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--output", help="file to write (required for xlsx)")
    export.set_defaults(func=cmd_leads_export)
    leads.add_parser("flush-outbox", help="deliver leads queued while the database was down").set_defaults(
        func=cmd_leads_flush)

    retention = sub.add_parser("retention").add_subparsers(dest="command", required=True)
    retention.add_parser("show", help="the retention policy in effect (from the environment)").set_defaults(
        func=cmd_retention_show)
    purge = retention.add_parser("purge", help="anonymise and delete personal data past its retention period")
    purge.add_argument("--dry-run", action="store_true", help="count what would go, change nothing")
    purge.set_defaults(func=cmd_retention_purge)

    quiz = sub.add_parser("quiz").add_subparsers(dest="command", required=True)
    report = quiz.add_parser("report", help="career interests per xã/phường (anonymous quiz results)")
    report.add_argument("--since", help="from this date (YYYY-MM-DD)")
    report.add_argument("--until", help="up to this date, inclusive (YYYY-MM-DD)")
    report.set_defaults(func=cmd_quiz_report)

    console = sub.add_parser("console").add_subparsers(dest="command", required=True)
    serve = console.add_parser("serve", help="the staff console (web)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5006)
    serve.set_defaults(func=cmd_console_serve)

    staff = sub.add_parser("staff").add_subparsers(dest="command", required=True)
    for name, helptext, with_role in (("create-admin", "create an admin account (the first one)", False),
                                      ("create", "create a staff account with a role", True)):
        cmd = staff.add_parser(name, help=helptext)
        cmd.add_argument("username")
        cmd.add_argument("--name", help="full name shown in the console")
        if with_role:
            cmd.add_argument("--role", choices=["admin", "counsellor", "viewer"], required=True)
        cmd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        cmd.set_defaults(func=cmd_staff_create)

    staff.add_parser("has-admin", help="exit 0 if an admin account exists").set_defaults(func=cmd_staff_has_admin)
    unlock = staff.add_parser("unlock", help="lift an account's lock-out after wrong passwords")
    unlock.add_argument("username")
    unlock.set_defaults(func=cmd_staff_unlock)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
