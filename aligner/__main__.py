import sys

try:
    from aligner.cli import main
except KeyboardInterrupt:  # Ctrl-C while importing: still no traceback
    sys.exit(130)

main()
