"""The `keyprojects` console script: Django's manage.py with the project's commands.

`keyprojects demo`, `keyprojects serve`, `keyprojects stats …` are management commands
(`keyprojects import-ledger` is the command `import_ledger`);
a configuration error is printed as one line naming the variable, exit code 2.
"""

import os
import sys


def _command_name(argv: list[str]) -> list[str]:
    """`keyprojects import-ledger` runs the management command `import_ledger`: commands are
    modules (underscores), people type hyphens."""
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        return [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")
    from keyprojects.envconf import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(_command_name(argv if argv is not None else sys.argv))
    except ConfigError as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
