"""Readers of the official file formats, one per format, shared by the dataset loaders and
``mmbench eval``; :mod:`mmbench.formats.readers` holds the bounded JSON/JSONL/Kaldi readers and
the one error style (file, what was found, what is expected) they all use."""
