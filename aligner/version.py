"""The aligner's version (the distribution's, pyproject.toml): in every output's signature and
header, and `aligner.__version__`. A module of its own, which imports nothing, so that the
package's modules need not import the package's root (its public API, which imports them)."""

__version__ = "0.1.0"
