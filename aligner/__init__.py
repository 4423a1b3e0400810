"""aligner: sentence alignment of Chinese texts with their English translations."""

__version__ = "0.1.0"
