"""Moodle's GIFT question format, as a library: no Flask, no database; questions in and out are
:class:`lms.quizzes.questions.Question` objects.

- ``reader.py``: :func:`parse` (text -> questions, or :class:`GiftError` with the line), and the format's rules;
- ``writer.py``: :func:`dump` (questions -> text that parses back to equal questions);
- ``text.py``: the lexical layer both share (escapes, blocks, ``[format]``, ``%weight%``, ``[id:]``/``[tag:]``).

The app's side (a course's quizzes to and from GIFT files) is ``quizzes/gift_export.py`` and ``gift_import.py``.
"""
from lms.quizzes.gift.reader import GiftError, parse
from lms.quizzes.gift.text import default_name  # Moodle's name for an unnamed question
from lms.quizzes.gift.writer import dump

__all__ = ["GiftError", "default_name", "dump", "parse"]
