"""Command line: python -m bot <command>.

  kb validate [--dir DIR]          check the knowledge-base files
  db upgrade                       create/upgrade the database schema (DATABASE_URL or SQLite)
  questions list [--limit N]       unanswered questions, newest first
  nlu eval [--url URL | --model M] intent accuracy on the held-out files
  nlu generate                     lookup tables and synonyms from the knowledge base
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="group", required=True)

    kb = sub.add_parser("kb").add_subparsers(dest="command", required=True)
    validate = kb.add_parser("validate", help="check the knowledge-base files")
    validate.add_argument("--dir", help="knowledge-base folder (default: knowledge_base/ or $KB_DIR)")
    validate.set_defaults(func=cmd_kb_validate)

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

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
