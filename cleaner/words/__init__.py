"""What words are like: shared knowledge about English words, used by several stages.

``english.py`` says how common a word is and which are function words (to tell ordinary words
from names and jargon); ``similar.py`` how alike two spellings look and sound. Both take words
and return numbers or sets; neither reads a transcript.
"""
