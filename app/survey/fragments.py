"""Rendered question blocks, kept by each worker and shown again while nothing in them changed.

A section page is mostly its questions' blocks: texts, choices, evidence controls. A block shows
the question (the definition, fixed by its digest) in a language, editable or not, with the
stored answer (fixed by the answer row, its version and its time: every change raises the
version, and the time tells apart rows removed and made again under the same id), whether it is
shown (other answers decide) and the evidence listed (rows never change; they are added or
removed). Those make the key, so a block is rendered again exactly when one of them changes:
record-versioned fragment caching. The page's content is kept too, under the keys of all its
blocks and what else it shows, so a page whose answers did not change is one lookup. Pages sent
back with errors or a conflict show what was typed, not what is stored, and are never cached.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from flask import current_app
from markupsafe import Markup

from app.survey.queries import AnswerRecord, EvidenceRecord
from questionnaires.schema import Question, Section

FragmentKey = tuple[Any, ...]


class FragmentCache:
    """A thread-safe map of the most recently used fragments, up to `budget` bytes of text."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self._items: OrderedDict[FragmentKey, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: FragmentKey) -> Markup | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: FragmentKey, fragment: Markup) -> None:
        size = sys.getsizeof(fragment)
        if size > self.budget:
            return
        with self._lock:
            replaced = self._items.pop(key, None)
            if replaced is not None:
                self.used -= sys.getsizeof(replaced)
            self._items[key] = fragment
            self.used += size
            while self.used > self.budget:
                _, dropped = self._items.popitem(last=False)
                self.used -= sys.getsizeof(dropped)

    def __len__(self) -> int:
        return len(self._items)


def question_cache() -> FragmentCache | None:
    """The app's cache of question blocks; none when turned off, or while templates are reloaded
    on change (development), since a changed template must show at once."""
    megabytes = current_app.config["SURVEY_FRAGMENT_CACHE_MB"]
    if not megabytes or current_app.jinja_env.auto_reload:
        return None
    cache = current_app.extensions.get("survey_question_blocks")
    if cache is None:
        budget = megabytes * 1024 * 1024
        cache = current_app.extensions.setdefault("survey_question_blocks", FragmentCache(budget))
    return cache


class QuestionBlocks:
    """The question blocks of one page: taken from the cache, or rendered by `macro` and kept."""

    def __init__(
        self,
        cache: FragmentCache | None,
        page_key: FragmentKey,
        answers: Mapping[str, AnswerRecord],
        evidence: Mapping[str, Sequence[EvidenceRecord]],
        visible: Collection[str],
    ) -> None:
        self.cache = cache
        self.page_key = page_key
        self.answers = answers
        self.evidence = evidence
        self.visible = visible

    def render(self, question: Question, macro: Callable[[Question], Markup]) -> Markup:
        """`macro` is the template's own block macro: its output is escaped markup already."""
        return self._kept((*self.page_key, *self._shows(question)), lambda: macro(question))

    def render_page(
        self, section: Section, shown: FragmentKey, macro: Callable[[], Markup]
    ) -> Markup:
        """The page's content around the blocks as well (tabs, progress, the form and every
        block in it, which `macro` renders by calling `render`), kept under the keys of all the
        section's blocks (they fix the progress too) and `shown`: what else the content shows
        that may change (the submission's status, the campaign's title)."""
        blocks = tuple(self._shows(question) for question in section.questions())
        return self._kept((*self.page_key, section.id, shown, blocks), macro)

    def _kept(self, key: FragmentKey, render: Callable[[], Markup]) -> Markup:
        if self.cache is None:
            return render()
        fragment = self.cache.get(key)
        if fragment is None:
            fragment = render()
            self.cache.put(key, fragment)
        return fragment

    def _shows(self, question: Question) -> FragmentKey:
        """What a question's block shows, beyond the page's own key."""
        answer = self.answers.get(question.id)
        return (
            question.id,
            (answer.id, answer.version, answer.updated_dt) if answer is not None else None,
            question.id in self.visible,
            tuple(e.id for e in self.evidence.get(question.id, ())),
        )
