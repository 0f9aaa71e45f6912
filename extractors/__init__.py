"""Text to facts: decoding, script conversion and the spaCy-based extractors.

Data flows one way: raw bytes -> decoded text -> analysis text (OpenCC t2s, same offsets)
-> layout (lines, sections, sentences) -> mentions -> normalised facts.
Nothing here imports Prefect, so every step is a plain function.
"""
