"""Which documents a batch aligns, found before any work starts.

A document is one bilingual article file (found in a folder, recursively, as `*.txt` or
`*.md`, the archive's own layout `rmrb/YYYY.MM/*.md`, or
given as a file) or a source/translation pair of files from a pairs list. Its name is
what the merged output and the summary call it: the path relative to the folder it was
found in, the path as given on the command line, or the pairs list's id (else the source
path as written in the list), escaped as a terminal shows it (`chars.escaped`: a file name
may hold line ends, escape sequences or bytes that are not UTF-8), so that it is one safe
line in every output and message. Every problem with the inputs is a one-line
InputUsageError naming the path, or the pairs list's line, before anything is aligned;
but a file a folder scan finds and must not read (a link out of the folder, a device, a
FIFO: `plumbing.inputs.scan_folder`) is a warning and a failed document, and the batch
goes on.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from aligner.plumbing.chars import escaped
from aligner.plumbing.errors import AlignerError, AlignerWarning, InputUsageError
from aligner.plumbing.inputs import inside, kind_of, scan_folder
from aligner.plumbing.paths import file_id, same_path

ARTICLE_PATTERNS = ("*.txt", "*.md")
#: how messages name the files a folder is searched for
ARTICLE_PATTERN = " or ".join(ARTICLE_PATTERNS)


@dataclass(frozen=True)
class Document:
    """One unit of work: `source` alone is a bilingual article; with `translation`, two files."""

    name: str
    source: str
    translation: str | None = None
    # where it comes from, for messages only: how it got its name ('folder': the path
    # relative to the folder `where`; 'path': the path given; 'id' or 'source': a pairs list's
    # id or, without one, the source path, on the line `where`, 'pairs.tsv:3')
    named: str = field(default="path", compare=False)
    where: str = field(default="", compare=False)
    # why a file a folder scan found is not read (a link out of the folder, a FIFO...): the
    # document is then a failed one with this reason
    refused: str | None = field(default=None, compare=False)

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.source,) if self.translation is None else (self.source, self.translation)

    @property
    def location(self) -> str:
        """What an error about this document names: its pairs list's line, else its file."""
        return self.where if self.named in ("id", "source") else self.source

    def described(self) -> str:
        """'z.txt (found in the folder arts)', 'p.tsv:3', 'a.txt (given as a file)'."""
        return {"folder": f"{self.source} (found in the folder {self.where})",
                "path": f"{self.source} (given as a file)"}.get(self.named, self.where)


def find_documents(inputs: list[str], pairs: str | None = None, pairs_root: str | None = None) -> list[Document]:
    """The documents of `inputs` (folders and files, in the order given; a folder's files in
    sorted order of their relative paths) followed by those of the pairs list, in its order
    (its paths inside `pairs_root`, by default the list's folder). Hidden files and folders
    are skipped. Two documents of one name, or one document (the same file, or pair of
    files, however spelt) given twice, are refused."""
    documents: list[Document] = []
    for given in inputs:
        if os.path.isdir(given):
            found = _folder_articles(given)
            if not found:
                raise InputUsageError(f"folder has no {ARTICLE_PATTERN} files", given)
            documents += found
        elif os.path.isfile(given):
            documents.append(Document(escaped(given), given, where=given))
        elif os.path.exists(given):
            raise InputUsageError("is not a regular file or a folder", given)
        else:
            raise InputUsageError("no such file or folder", given)
    if pairs is not None:
        documents += read_pairs(pairs, pairs_root)
    _check_unique(documents)
    return documents


def check_outputs(outputs: list[str], inputs: list[str], pairs: str | None, documents: list[Document]) -> None:
    """Refuse an output (the merged output, its state file, rejects, summary) that is one of
    the batch's input files: a file of a document, however its path is spelt (compared as
    files, not as strings), or the pairs list. Also one that a folder given as input would
    find as an article: it does not exist yet, but the next run of the same command (a
    resume, or a rerun after adding articles) would read it as an input."""
    inputs_by_file: dict[tuple[int, int], str] = {}
    for doc in documents:
        if doc.refused is not None:  # not read
            continue
        for path, role in zip(doc.paths, ("source", "translation")):
            what = {"folder": f"an article found in the folder {doc.where}", "path": "an article given as a file"}.get(
                doc.named, f"the {role} on {doc.where}")
            inputs_by_file.setdefault(file_id(path), what)
    if pairs is not None:
        inputs_by_file[file_id(pairs)] = "the pairs list"
    inputs_by_file.pop(None, None)
    for k, output in enumerate(outputs):
        if any(same_path(output, other) for other in outputs[:k]):  # --summary OUT.state.jsonl
            raise InputUsageError("is given as two of the outputs (the state file is OUTPUT.state.jsonl)", output)
        what = inputs_by_file.get(file_id(output))
        if what is not None:
            raise InputUsageError(f"is also an input file ({what}); choose another output file", output)
        for folder in inputs:
            if os.path.isdir(folder) and _would_be_found(output, folder):
                raise InputUsageError(f"is inside the input folder {folder} and would be read as an article "
                                      f"({ARTICLE_PATTERN}) by the next run; choose another output file", output)


def _would_be_found(path: str, folder: str) -> bool:
    """Whether `path` (which need not exist) is where the search of `folder` finds articles."""
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(folder))
    parts = Path(relative).parts
    return bool(parts) and parts[0] != os.pardir and not any(p.startswith(".") for p in parts[:-1]) and _is_article_name(parts[-1])


def _folder_articles(folder: str) -> list[Document]:
    """`*.txt` and `*.md` files under `folder`, recursively, hidden ones left out, sorted by relative
    path; each one that is not to be read (`scan_folder`) with a warning saying why."""
    documents = []
    for found in scan_folder(folder, _is_article_name):
        if found.problem is not None:
            warnings.warn(AlignerWarning(f"skipped: {found.problem}", found.path))
        documents.append(Document(escaped(found.relative), found.path, named="folder", where=folder,
                                  refused=None if found.problem is None else f"not read: {found.problem}"))
    return documents


def _is_article_name(name: str) -> bool:
    """Whether a folder's file of this name is an input: `*.txt` or `*.md`, not hidden."""
    return not name.startswith(".") and any(Path(name).match(p) for p in ARTICLE_PATTERNS)


def read_pairs(list_path: str, root: str | None = None) -> list[Document]:
    """Documents of a pairs list: TSV lines `source<TAB>translation[<TAB>id]`, paths relative
    to the list's folder; blank lines are skipped and a first line `source<TAB>translation...`
    is a header. Each path must lead (links followed) to a regular file inside `root`, by
    default the list's folder: a list from elsewhere cannot read files outside the folder it
    came in unless the user names a wider one (--pairs-root). Errors name the line:
    'pairs.tsv:3: ...'."""
    from aligner.readers.decode import read_text

    try:
        lines = read_text(list_path).splitlines()
    except InputUsageError:  # missing, a folder, unreadable
        raise
    except AlignerError as e:  # empty, binary: still a usage error here
        raise InputUsageError(f"{e.message}; --pairs takes a TSV file of source and translation paths", list_path) from None
    base = os.path.dirname(list_path)
    if root is None:
        root = base or "."
    documents = []
    for number, line in enumerate(lines, 1):
        where = f"{list_path}:{number}"
        if not line.strip():
            continue
        fields = line.split("\t")
        if number == 1 and [f.strip().lower() for f in fields[:2]] == ["source", "translation"]:
            continue
        if len(fields) not in (2, 3):
            raise InputUsageError(
                f"expected 2 or 3 tab-separated fields (source, translation, optional id), found {len(fields)}", where)
        source, translation = (os.path.join(base, f) for f in fields[:2])
        for given, path in zip(fields[:2], (source, translation)):
            if not given:
                raise InputUsageError("empty path", where)
            if not os.path.exists(path):
                raise InputUsageError(f"{escaped(given)}: no such file", where)
            if not inside(path, root):
                raise InputUsageError(f"{escaped(given)}: outside {escaped(root)}, the folder the list's paths must stay "
                                      "in; give --pairs-root FOLDER to allow a wider one", where)
            if not os.path.isfile(path):
                raise InputUsageError(f"{escaped(given)}: {kind_of(os.stat(path).st_mode)}, not a regular file", where)
        name = escaped(fields[2].strip() if len(fields) == 3 else fields[0])
        if not name:
            raise InputUsageError("empty id", where)
        documents.append(Document(name, source, translation, named="id" if len(fields) == 3 else "source", where=where))
    if not documents:
        raise InputUsageError("no pairs in the list", list_path)
    return documents


def _check_unique(documents: list[Document]) -> None:
    """Names key the merged output and the state file: two documents may not share one. And
    a document given twice (a file in a folder and by its path, a pair written 'z.txt' and
    './z.txt') would be aligned twice: its units twice in the output."""
    names: dict[str, Document] = {}
    files: dict[tuple, Document] = {}
    for doc in documents:
        key = tuple(file_id(p) for p in doc.paths) if doc.refused is None else (None,)
        if None not in key and key in files:
            first = files[key]
            raise InputUsageError(
                f"the same {'files' if doc.translation else 'file'} as {first.described()}: "
                f"it would be aligned twice; give each {'pair' if doc.translation else 'file'} once", doc.location)
        files[key] = doc
        if doc.name in names:
            raise InputUsageError(_name_taken(doc, names[doc.name]), doc.location)
        names[doc.name] = doc


def _name_taken(doc: Document, first: Document) -> str:
    """Why `doc` cannot have its name: `first` has it."""
    by = f"by {first.described()}"
    if doc.named in ("id", "source") and first.named in ("id", "source"):
        first_list, line = first.where.rsplit(":", 1)
        if first_list == doc.where.rsplit(":", 1)[0]:
            by = f"on line {line}"
    if doc.named == "id":
        return f"{name_of(doc)} is already used {by}"
    if doc.named == "source":
        return f"{name_of(doc)} is already used {by}; give the line an id (a third column)"
    shown = (" (as shown: a name's control characters and bytes that are not UTF-8 are written as backslash "
             "escapes)") if "\\" in doc.name else ""
    return (f"two documents are named {doc.name!r}{shown} ({first.described()} and {doc.described()}); "
            "give each folder or file once, or ids in the pairs list")


def name_of(doc: Document) -> str:
    """How a message calls the document's name: "id 'ch1'", "document name 'z.txt' (the
    source path: the line has no id)", "the document name 'a.txt'"."""
    if doc.named == "id":
        return f"id {doc.name!r}"
    if doc.named == "source":
        return f"document name {doc.name!r} (the source path: the line has no id)"
    return f"the document name {doc.name!r}"

