"""Private: a pure-Python port of the Stanford PTBTokenizer rules that pycocoevalcap runs in Java.

Used by CIDEr-D, BLEU, ROUGE-L (coco) and METEOR through ``mmbench.metrics._impl.coco_inputs``;
the public entry point for other code is :func:`mmbench.metrics._ptb.tokenizer.ptb_tokenize`.
"""
