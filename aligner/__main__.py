"""`python -m aligner`, the `aligner` console script and the checkout's `cli.py` all start here."""

import sys


def run() -> None:
    """Import the command line, then run it. A Ctrl-C while the modules are still being
    imported ends the program as one later would: one line, exit 130, no traceback."""
    try:
        from aligner.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("aligner: interrupted; no output written\n")
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
