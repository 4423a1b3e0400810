"""Chinese sentence segmentation by rule.

A sentence ends at a run of 。！？ (or half-width ! ?, which occur in Chinese
text); closing quotes and brackets that follow the stop stay
with the sentence they close (。” → boundary after ”), even after a stray space.
Nothing inside 《》 is a boundary. ；and ：are not boundaries. …… and —— end a
sentence only when a closing quote follows (……” and ——” end an utterance; a bare
…… mostly trails off inside a sentence: "我叫…… 叫小玄子").

Each rule and each rejected variant (…… always or never a stop, ；or ：as stops,
pysbd) was chosen by boundary F1 against MAC-Dev's own split (`python
benchmarks/segmentation.py`; figures in docs/decisions.md and BENCHMARKS.md). Some
rules were added after reading MAC-Dev's errors, so part of their gain is on seen
data. Most remaining misses are the corpus splitting at ：；and bare …… or ——,
which it does inconsistently.
"""

from __future__ import annotations

# Stops: a run of these ends a sentence (？！ and ！？ are one boundary).
STOPS = frozenset("。！？!?")
# Characters that close a quotation or bracket and stay with the sentence before them.
CLOSERS = frozenset("”’」』）》】〕〉\"')]")
ELLIPSIS = "…"
DASH = "—"
# Closing quotes after …… or —— that make it a sentence end (……” ends an utterance).
_QUOTE_CLOSERS = frozenset("”’」』\"'")


class ChineseSegmenter:
    """Splits a Chinese paragraph into sentences by punctuation rules.

    `ellipsis` is 'quote' (…… ends a sentence only before a closing quote, the default),
    'never' or 'always'; `extra_stops` adds characters such as '；' as stops.
    The options exist to measure the alternatives (benchmarks/segmentation.py).
    """

    lang = "zh"
    version = 1  # of the rules: raise it when a change can move a boundary

    def signature(self) -> str:
        options = "" if (self.ellipsis, self.stops) == ("quote", STOPS) else f"(ellipsis={self.ellipsis},stops={''.join(sorted(self.stops))})"
        return f"zh-rules{self.version}{options}"

    def __init__(self, ellipsis: str = "quote", extra_stops: str = "") -> None:
        if ellipsis not in ("quote", "never", "always"):
            raise ValueError(f"ellipsis must be 'quote', 'never' or 'always', not {ellipsis!r}")
        self.ellipsis = ellipsis
        self.stops = STOPS | frozenset(extra_stops)

    def split(self, paragraph: str) -> list[str]:
        """Sentences of one paragraph, stripped, none empty."""
        text = paragraph.strip()
        sentences: list[str] = []
        start = 0
        i, n = 0, len(text)
        title_depth = 0  # inside 《》 nothing ends a sentence
        while i < n:
            ch = text[i]
            if ch == "《":
                title_depth += 1
            elif ch == "》":
                title_depth = max(0, title_depth - 1)
            if title_depth == 0 and (ch in self.stops or ch == ELLIPSIS or ch == DASH):
                end = self._sentence_end(text, i)
                if end is not None:
                    sentences.append(text[start:end])
                    start = i = end
                    continue
            i += 1
        sentences.append(text[start:])
        return [s.strip() for s in sentences if s.strip()]

    def _sentence_end(self, text: str, i: int) -> int | None:
        """End offset of the sentence whose stop starts at `i`, or None if `i` is no boundary."""
        n = len(text)
        j = i
        saw_stop = saw_ellipsis = False
        while j < n and (text[j] in self.stops or text[j] in (ELLIPSIS, DASH)):
            saw_stop = saw_stop or text[j] in self.stops
            saw_ellipsis = saw_ellipsis or text[j] == ELLIPSIS
            j += 1
        # a stray space between the stop and its closing quote (MAC-Dev has "。 ”")
        k = j
        while k < n and text[k] in " \u3000":
            k += 1
        if k < n and text[k] in CLOSERS:
            j = k
        closers_start = j
        while j < n and text[j] in CLOSERS:
            j += 1
        if not saw_stop:  # a run of …… or —— with no 。！？ in it
            quoted = j > closers_start and text[closers_start] in _QUOTE_CLOSERS
            if saw_ellipsis and self.ellipsis != "quote":
                return j if self.ellipsis == "always" else None
            if not quoted:
                return None
        return j
