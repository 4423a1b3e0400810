"""The run's signature, written with every output (as sacrebleu's): each component that can
change the beads reports its own piece, so a figure or a memory can be reproduced.

    aligner:0.1.0|seg:zh-rules1,en-rules1|tok:jieba-0.42.1|dict:cc-cedict(...)|
    evidence:length+lexicon+numbers+names+punct+learn|prior:w=3,table=mac-dev|
    length:w=2,var=6.5|lexical:w=1,q=0.6|learn:min-count=3,min-dice=0.6|search:...
"""

from __future__ import annotations

from aligner.version import __version__
from aligner.options import EVIDENCE, AlignOptions
from aligner.scoring import confidence, rates
from aligner.scoring.costs import build_costs


def signature(options: AlignOptions) -> str:
    """The signature of an alignment run with `options`."""
    from aligner import segment, tokenize
    from aligner.lexicon import cedict, learn

    parts = [f"aligner:{__version__}", segment.signature()]
    if options.lexical:
        parts.append(tokenize.signature())
    if options.lexicon:
        parts.append(cedict.signature())
    on = [kind for kind in EVIDENCE if getattr(options, kind)] + (["embed"] if options.embed else [])
    parts.append(f"evidence:{'+'.join(on) or 'prior'}")
    parts += [cost.signature() for cost in build_costs(options)]  # the costs, describing themselves
    if options.learn and options.lexical:
        parts.append(learn.signature())
        parts.append(rates.signature(options.weights.rate_strength))
    parts.append(options.search.signature())
    if options.temperature is not None:
        parts.append(confidence.signature(options.temperature))
    return "|".join(parts)
