#!/usr/bin/env python3
"""Thin entry point: `python cli.py ...` runs the same command group as the `aligner` script."""

from aligner.__main__ import run

if __name__ == "__main__":
    run()
