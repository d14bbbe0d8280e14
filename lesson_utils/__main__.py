"""``python -m lesson_utils``: the lesson's whole workflow, end to end."""

from lesson_utils.cli import main

if __name__ == "__main__":
    raise SystemExit(main(prog="python -m lesson_utils"))
