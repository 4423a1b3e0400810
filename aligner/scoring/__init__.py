"""Bead costs: each source of evidence (the shape prior, unpaired sentences, length, lexical
matches, sentence embeddings) is a `BeadCost` behind one interface, so that signals can be
switched on and off and measured one at a time. The aligner adds their weighted costs.

- `evidence.Evidence`: everything the costs read about one document pair;
- `base.BeadCost`: the interface, `bind(evidence, band, shapes)`;
- `costs.build_costs(options)`: the costs of a run, listed in one place;
- `keys`, `rates`: the lexical key table and the rates learned from a first pass;
- `confidence`: from bead posteriors to the calibrated scores written out.
"""
