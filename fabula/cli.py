"""The `fabula` command: Django's manage.py under the project's own name."""

import os
import sys

# Django names commands after modules, which cannot hold a hyphen; people type hyphens.
HYPHENATED = {
    "import-text": "import_text",
    "import-efiction": "import_efiction",
    "load-dump": "load_dump",
    "write-dump": "write_dump",
    "send-digests": "send_digests",
}


def django_arguments(argv: list[str]) -> list[str]:
    """The command line with a hyphenated command name (also after `help`) spelt as Django's."""
    argv = list(argv)
    for index in (1, 2):
        if len(argv) > index and (index == 1 or argv[1] == "help"):
            argv[index] = HYPHENATED.get(argv[index], argv[index])
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(django_arguments(sys.argv))


if __name__ == "__main__":
    main()
