"""What words are like: shared knowledge about English words, used by several stages.

``english.py`` says how common a word is and which are function words (to tell ordinary words
from names and jargon); ``similar.py`` how alike two spellings look and sound; ``names.py`` the
forms a person's name is called by. They take words (or a text) and return numbers or sets;
none reads a transcript.
"""
