#!/usr/bin/env python3
"""Thin entry point: `python cli.py ...` runs the same command group as the `aligner` script."""

from aligner.cli import main

if __name__ == "__main__":
    main()
