"""Sentence embeddings for the optional embedding cost (--embed): the model, and its cache."""
