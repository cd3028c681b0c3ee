"""Hire extraction over spaCy's named entities and dependency parse.

Each item (title + summary) is parsed once; companies are the alias table's spellings plus the
model's ORG entities, people are PERSON entities and proper-noun names. For every verb of
moving jobs the parse tells who moved where:

- hire/poach/recruit/appoint/tap/rope in/...: the subject is the new employer, the object
  (and its conjuncts and appositions) the people hired, "from X" or a possessive / "former X"
  description of the people the company left;
- join/rejoin, leave/depart/exit/quit, defect/move/jump/switch/return: the subject is the
  person; "from X", "leave X for Y", "leave X to join Y" and the person's own description
  ("X, former VP at Tesla,") give the companies.

"The company", "it", "he"/"she"/"they" and surnames are resolved against the rest of the item;
a hire of unnamed people takes the names of the next sentence. Sentences the regex vetoes
reject (rumours, plans, layoffs, acquisitions, promotions, board seats) are skipped, and a
mention's rule names the verb class and how each side was found, with the sentence as evidence.
The older regex templates still run as a second opinion for phrasings the small model misparses
("+pattern" rules).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from scrapers.hires.aliases import AliasTable
from scrapers.hires.learned import (
    PREVIOUS_FILE,
    Candidate,
    LogisticModel,
    own_features,
    path_features,
    shipped_model,
)
from scrapers.hires.models import HireMention
from scrapers.hires.nlp import DEFAULT_MODEL, load_pipeline
from scrapers.hires.rules import COMPANY_WORDS, NOT_COMPANY, NOT_NAMES, RuleExtractor
from scrapers.normalize.text import html_to_text

HIRE = frozenset(
    {
        "hire",
        "rehire",
        "poach",
        "recruit",
        "appoint",
        "tap",
        "rope",
        "nab",
        "snag",
        "lure",
        "add",
        "bring",
        "welcome",
        "name",
        "land",
        "sign",
        "enlist",
        "grab",
        "scoop",
        "pick",
        "woo",
        "snap",
        "onboard",
        "install",
        "select",
        "choose",
        "employ",
    }
)
# Nouns that name a hire as its verb does.
# Capitalised words before a title that are no company ("New CTO A", "Global Head B"), beside
# those that never name one (``NOT_COMPANY``); these may begin a company's name elsewhere.
TITLE_MODIFIERS = frozenset(
    re.findall(
        r"\S+",
        "new current then associate assistant general global regional corporate group company "
        "startup tech industry managing technical junior",
    )
)
# Hires that can name the company joined after "to": "(we) welcome A to X".
WELCOME = frozenset({"welcome", "bring"})
# What someone accepts or takes at a company: "took a new job at Meta".
JOB_NOUNS = ("job", "position", "role", "post")
NOMINAL_HIRES = {"hiring": "hire", "appointment": "appoint", "recruitment": "recruit"}
# Without the company left named these could be an internal appointment.
NEEDS_FROM = frozenset({"appoint", "name", "install", "select", "choose", "announce"})
# Verbs that name a hire through their object: "announced a new CEO, A".
ANNOUNCE = frozenset({"announce", "unveil", "introduce"})
JOIN = frozenset({"join", "rejoin"})
LEAVE = frozenset({"leave", "depart", "exit", "quit", "ditch", "abandon"})
GO = frozenset(
    {
        "defect",
        "move",
        "jump",
        "switch",
        "return",
        "decamp",
        "head",
        "land",
        "go",
        "come",
        "migrate",
    }
)
# Nouns that stand for a company named elsewhere in the item.
COMPANY_NOUNS = frozenset(
    {
        "company",
        "firm",
        "startup",
        "start-up",
        "lab",
        "laboratory",
        "group",
        "giant",
        "maker",
        "developer",
        "outfit",
        "employer",
        "network",
        "platform",
        "retailer",
        "automaker",
        "chipmaker",
        "carmaker",
        "studio",
        "business",
    }
)
# "almost joined", "nearly left": the move did not happen.
HEDGES = frozenset(
    {
        "almost",
        "nearly",
        "never",
        "allegedly",
        "rumored",
        "rumoured",
        "supposedly",
        "could",
        "might",
        "may",
        "would",
    }
)
# Words for several people named before: "the trio had been working at OpenAI".
GROUP_WORDS = frozenset({"trio", "pair", "duo", "they", "both", "quartet"})
UNIT_NOUNS = frozenset({"unit", "team", "lab", "group", "division", "roster"})
DEAL_WORDS = frozenset(
    {
        "acquire",
        "acquisition",
        "buy",
        "merge",
        "merger",
        "takeover",
        "purchase",
        "buyout",
        "acquihire",
        "acqui-hire",
    }
)
ANNOUNCE = frozenset({"announce", "say", "confirm", "decide", "post", "reveal", "tell"})
MOVE_NOUNS = frozenset({"departure", "move", "exit", "return", "defection"})
# "Karpathy's decision to join": a possessive that is the person moving.
OWN_MOVES = MOVE_NOUNS | {"decision", "arrival", "role", "appointment", "hiring", "plan", "profile"}
# Words of a job title: a model "ORG" made of them is a role, not a company.
ROLE_WORDS = frozenset(
    re.findall(
        r"\S+",
        (
            "VP SVP EVP CEO CTO COO CFO CPO CSO Chief Head Director President Vice Fellow Engineer "
            "Engineering Scientist Researcher Officer Manager "
            "Lead Founder Co-founder Cofounder Partner "
            "Principal Senior Staff Member Board Chair Chairman Executive Distinguished"
        ),
    )
)
PRONOUNS = frozenset({"he", "she", "they"})
# News outlets: the source of a story, never a person or an employer in it.
OUTLETS = (
    "Business Insider",
    "Insider",
    "Bloomberg",
    "Bloomberg News",
    "Reuters",
    "The Information",
    "TechCrunch",
    "CNBC",
    "The Verge",
    "Wired",
    "WIRED",
    "The Wall Street Journal",
    "WSJ",
    "The New York Times",
    "New York Times",
    "Financial Times",
    "FT",
    "Axios",
    "Semafor",
    "Forbes",
    "Fortune",
    "CNN",
    "BBC",
    "The Guardian",
    "Guardian",
    "Engadget",
    "VentureBeat",
    "Ars Technica",
    "The Register",
    "ZDNet",
    "Gizmodo",
    "Mashable",
    "Yahoo Finance",
    "Fast Company",
    "Business Wire",
    "PR Newswire",
    "GeekWire",
    "Platformer",
    "Puck",
    "The Times",
    "Nikkei",
    "South China Morning Post",
    "SCMP",
    "Caixin",
    "36Kr",
    "LatePost",
    "Sina",
    "Sohu",
    "Xinhua",
    "Decrypt",
    "CoinDesk",
    "The Decoder",
    "Tom's Hardware",
    "MarketWatch",
    "Barron's",
    "Business Standard",
    "Economic Times",
    "Times of India",
    "Moneycontrol",
    "Analytics India",
    "Fox Business",
    "NBC News",
    "ABC News",
    "CBS News",
    "Los Angeles Times",
    "Washington Post",
    "The Washington Post",
    "Benzinga",
    "Seeking Alpha",
    "Digital Trends",
    "Silicon Republic",
    "Sifted",
    "Tech in Asia",
    "Rest of World",
    "Electrek",
    "Teslarati",
    "9to5Mac",
    "MacRumors",
    "AppleInsider",
    "The Economist",
    "Economist",
    "Politico",
    "Vox",
    "Quartz",
    "Protocol",
    "Entrepreneur",
    "Inc.",
    "LinkedIn News",
    "X",
    "Twitter",
)
# Words of a past tenure: "after a stint at X", "after nine years with X".
TENURE = frozenset({"stint", "year", "tenure", "decade", "month", "spend", "run", "career", "time"})
# Verbs describing where a person was before: "A, who led X at GitHub", "A spent six years at".
BACKGROUND_VERBS = frozenset(
    {
        "lead",
        "run",
        "head",
        "build",
        "manage",
        "oversee",
        "work",
        "spend",
        "serve",
        "hold",
        "be",
        "start",
        "co-found",
        "found",
        "cofound",
        "appoint",
        "establish",
    }
)
CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj"})
# Prepositions whose objects are not the people being hired ("hired X with Y", "reports to Y").
NOT_HIRED_UNDER = frozenset(
    {
        "with",
        "by",
        "under",
        "to",
        "alongside",
        "behind",
        "than",
        "for",
        "after",
        "like",
        "about",
        "at",
        "of",
        "on",
        "over",
    }
)
# Every word that can start a move (the parse's lemmas and the templates' verbs), as written.
TRIGGER_WORDS = re.compile(
    r"\b(?:hir|poach|recruit|appoint|tap|rop|nab|snag|lur|add|bring|brought|welcom|nam|land|"
    r"sign|enlist|grab|scoop|pick|woo|snap|onboard|install|select|choos|chose|join|rejoin|"
    r"leav|left|depart|exit|quit|ditch|abandon|defect|mov|jump|switch|return|decamp|head|"
    r"go|went|gone|com|came|migrat|becam|becom|now|lead|led|run|ran|assum|took|tak|rehir|"
    r"acquir|departure|accept|includ|los|employ)",
    re.IGNORECASE,
)
TRIGGERS = HIRE | JOIN | LEAVE | GO | {"become", "lead", "assume", "accept"}
# Capitalised words of organisations and programmes, never of a person's name.
NOT_NAME_WORDS = frozenset(
    re.findall(
        r"\S+",
        (
            "Artificial Intelligence Lab Labs Laboratory "
            "Research Group University Institute Center "
            "Centre Foundation Project Division Unit Team Office Department Studio Studios Cloud "
            "Autopilot Models Brain Prize Award Nobel Capital Ventures Partners Fund Bank Agency "
            "Council Committee Ministry School College Academy Society Association Network Media "
            "Times Post Journal News Daily Weekly Magazine Street Avenue Road Square Valley "
            "Intelligence Superintelligence Computing "
            "Systems Technologies Technology Quantum Health"
        ),
    )
)
# "Dr. Desai", "Mr Michael Soden": the title is not part of the name.
HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sir|Dame)\.?\s+(?=\S)")
NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'\u2019\-.]*$")


@dataclass
class _Person:
    name: str
    span: Span


@dataclass
class _Item:
    """What the sentences of one item tell about each other."""

    sentences: list[Span] = field(default_factory=list)
    employer: str | None = None  # the company the item is about (subject of a hire)
    people: list[str] = field(default_factory=list)  # full names in order of appearance
    # every person mention so far: (sentence index, token index, person)
    seen: list[tuple[int, int, _Person]] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)  # companies in order of appearance
    subjects: list[str] = field(default_factory=list)  # companies that were a verb's subject
    moves: dict[str, str] = field(default_factory=dict)  # person -> company joined, so far


class SpacyExtractor:
    """Explainable extraction from the parse; ``aliases`` resolves company spellings."""

    def __init__(
        self,
        aliases: AliasTable,
        model: str = DEFAULT_MODEL,
        nlp: Language | None = None,
        patterns: bool = True,
        learned: bool = True,
    ) -> None:
        self.aliases = aliases
        # The company each hire left is chosen among the item's companies by a learned model
        # (``learned.py``); ``observe`` sees every choice's candidates (for training).
        self.previous: LogisticModel | None = shipped_model(PREVIOUS_FILE) if learned else None
        self.observe: Callable[[HireMention, list[Candidate]], None] | None = None
        self.nlp = nlp if nlp is not None else load_pipeline(model)
        # The templates fill in what the parse leaves open; the company left is then found
        # from the parse (``_context_from``), not by the templates' slower search.
        self.rules = RuleExtractor(aliases, context=False)
        self.patterns = patterns
        self._matcher = PhraseMatcher(self.nlp.vocab)
        make = self.nlp.make_doc
        self._matcher.add("ORG", [make(s) for s in sorted(aliases.spellings)])
        self._matcher.add("MEDIA", [make(s) for s in OUTLETS])

    # -- the interface ---------------------------------------------------------------------

    def extract(self, title: str, summary: str = "") -> list[HireMention]:
        return self.extract_many([(title, summary)])[0]

    def extract_many(self, items: Sequence[tuple[str, str]]) -> list[list[HireMention]]:
        """Mentions per (title, summary), parsing every text in one batch."""
        texts: list[str] = []
        for title, summary in items:
            text = html_to_text(summary) if "<" in summary else summary
            pair = (_clean(title), _clean(text))
            # Parsing is the cost: an item without a word of moving jobs is not parsed.
            texts.extend(pair if TRIGGER_WORDS.search(" ".join(pair)) else ("", ""))
        parsed = iter(self.nlp.pipe([t for t in texts if t], batch_size=128))
        docs = [next(parsed) if t else self.nlp.make_doc("") for t in texts]
        pairs = list(zip(docs[::2], docs[1::2], strict=True))
        found = [self._item(head, body) if len(head) or len(body) else [] for head, body in pairs]
        # A Title Case headline that gave nothing is read once more with its verbs and small
        # words lowered, which the model parses as a sentence; evidence keeps the original.
        again = [
            (n, cased)
            for n, (head, _) in enumerate(pairs)
            if not found[n] and len(head) and (cased := _sentence_case(head.text)) != head.text
        ]
        heads = self.nlp.pipe([cased for _, cased in again], batch_size=128)
        for (n, cased), head in zip(again, heads, strict=True):
            written, body = pairs[n]
            # Words left capitalised are names only if the headline as written had them so:
            # "Leaves OpenAI to Pursue Personal Projects" is no company.
            people = {e.text for e in written.ents if e.label_ == "PERSON"}
            companies = {c for e in written.ents if (c := self._company_name(e))}
            found[n] = [
                _replace(m, evidence=written.text[i : i + len(m.evidence)])
                if (i := cased.find(m.evidence)) >= 0
                else m
                for m in self._item(head, body)
                if any(m.person in p for p in people)
                and all(c is None or c in companies for c in (m.to_company, m.from_company))
            ]
        return found

    def veto(self, sentence: str) -> str | None:
        return self.rules.veto(sentence)

    # -- one item --------------------------------------------------------------------------

    def _item(self, title: Doc, summary: Doc) -> list[HireMention]:
        item = _Item()
        for doc in (title, summary):
            self._entities(doc)
            item.sentences.extend(s for s in doc.sents if s.text.strip())
        # People who arrive with an acquired company are not hires: a deal named anywhere
        # in the item rules out moves between the companies it names.
        deals = [
            sent
            for sent in item.sentences
            if self.veto(sent.text) == "acquisition" and self._vetoed(sent)
        ]
        dealt = {c for sent in deals for c in self._deal_companies(sent)}
        if deals and not dealt:
            return []
        found: dict[tuple[str, str], HireMention] = {}
        for index, sent in enumerate(item.sentences):
            vetoed = self._vetoed(sent)
            for group in self._groups(sent, item):
                for person in group:
                    item.seen.append((index, person.span.start, person))
                    if person.name not in item.people:
                        item.people.append(person.name)
            mentions = [] if vetoed else self._sentence(sent, index, item)
            if not vetoed:
                mentions.extend(self._surface(sent, index, item))
            for mention in mentions:
                item.moves.setdefault(mention.person, mention.to_company)
                key = (mention.person.casefold(), mention.to_company)
                known = found.get(key)
                if known is None or (known.from_company is None and mention.from_company):
                    found[key] = mention
            self._remember(sent, item, vetoed)
        if self.patterns and (not found or any(m.from_company is None for m in found.values())):
            for mention in self.rules.extract(title.text, summary.text):
                key = (mention.person.casefold(), mention.to_company)
                known = found.get(key)
                if known is None:
                    if mention.from_company is None:
                        mention = self._template_context(mention, item)
                    found[key] = _replace(mention, rule=f"{mention.rule}+pattern")
                elif (
                    known.from_company is None
                    and mention.from_company
                    and len(mention.from_company) > 2
                    and not self._in_outlet(mention.from_company, item)
                ):
                    found[key] = _replace(
                        known, from_company=mention.from_company, rule=f"{known.rule}+pattern-from"
                    )
        if self.previous is not None or self.observe is not None:
            for key, mention in found.items():
                found[key] = self._learned_from(mention, item, dealt)
        return [
            m
            for m in found.values()
            if m.from_company != m.to_company
            and m.to_company not in dealt
            and m.from_company not in dealt
        ]

    @staticmethod
    def _in_outlet(name: str, item: _Item) -> bool:
        """Whether a template's company is one word of a longer news outlet's name the item
        gives ("The Wall Street Journal previously reported that A left for Meta" names no
        "Journal"; an outlet that is a company too, "Twitter", stays a company)."""
        return any(
            ent.label_ == "MEDIA" and name != ent.text and name in ent.text.split()
            for sent in item.sentences
            for ent in sent.ents
        )

    # -- the company left, learned ---------------------------------------------------------

    def _learned_from(self, mention: HireMention, item: _Item, dealt: set[str]) -> HireMention:
        candidates = self._from_candidates(mention, item, dealt)
        if self.observe is not None:
            self.observe(mention, candidates)
        if self.previous is None or not candidates:
            return mention
        frm, _ = self.previous.choose(candidates)
        if frm == mention.from_company:
            return mention
        return _replace(
            mention,
            from_company=frm,
            rule=f"{mention.rule}+learned-{'from' if frm else 'none'}",
        )

    def _from_candidates(
        self, mention: HireMention, item: _Item, dealt: set[str]
    ) -> list[Candidate]:
        """Every company of the item but the one joined, described where it stands nearest
        to a mention of the person."""
        words = mention.person.split()
        names = {mention.person, *words[-1:]}
        anchors: list[tuple[int, Token]] = []
        for index, sent in enumerate(item.sentences):
            for token in sent:
                if token.text in names or (
                    token.lower_ in ("he", "she")
                    and self._antecedent_name(token, sent, item) in (mention.person, None)
                ):
                    anchors.append((index, token))
        if not anchors:
            return []
        best: dict[str, tuple[tuple[int, int], dict[str, float]]] = {}
        counts: dict[str, int] = {}
        for index, sent in enumerate(item.sentences):
            for ent in sent.ents:
                company = self._company_name(ent)
                if not company or company == mention.to_company or company in dealt:
                    continue
                counts[company] = counts.get(company, 0) + 1
                sent_gap, anchor = min(
                    anchors,
                    key=lambda a: (
                        abs(a[0] - index),
                        abs(a[1].i - ent.start) if a[0] == index else 0,
                    ),
                )
                gap = abs(sent_gap - index)
                rank = (gap, abs(anchor.i - ent.start) if gap == 0 else 0)
                if company in best and best[company][0] <= rank:
                    continue
                features = own_features(ent, _word_class)
                if gap == 0:
                    features |= path_features(anchor, ent, _word_class)
                    if anchor.lower_ in ("he", "she"):
                        features["anchor=pronoun"] = 1.0
                else:
                    features[f"sentences-apart{'=1' if gap == 1 else '>1'}"] = 1.0
                    features["company-sentence-" + ("before" if index < sent_gap else "after")] = (
                        1.0
                    )
                best[company] = (rank, features)
        beside = [c for c, (rank, _) in best.items() if rank[0] == 0]
        candidates: list[Candidate] = []
        for company, (_, features) in best.items():
            features = dict(features)
            if beside == [company]:
                # the one other company in a sentence that names the person
                features["only-company-beside-person"] = 1.0
                if mention.from_company is None:
                    features["only-company-beside-person:rules-chose-none"] = 1.0
            if company == mention.from_company:
                features["rules-chose"] = 1.0
            if mention.from_company is None:
                features["rules-chose-none"] = 1.0
            if company == item.employer:
                features["item-employer"] = 1.0
            if self.aliases.known(company):
                features["listed-company"] = 1.0
            features[f"named{'>1' if counts[company] > 1 else '=1'}"] = 1.0
            features[f"candidates{'>1' if len(best) > 1 else '=1'}"] = 1.0
            candidates.append(Candidate(company, features))
        if mention.from_company and mention.from_company not in best:
            # the templates' company, not an entity of the parse
            candidates.append(
                Candidate(mention.from_company, {"rules-chose": 1.0, "no-entity": 1.0})
            )
        return candidates

    def _entities(self, doc: Doc) -> None:
        """Alias spellings and outlets override the model's entities; names the small model
        takes for places or companies become people where the sentence says they are
        ("Karpathy joined Tesla", "hired Lucas Beyer, Alexander Kolesnikov")."""
        mine = [
            Span(doc, start, end, label=doc.vocab.strings[label])
            for label, start, end in self._matcher(doc)
        ]
        mine = filter_spans(mine)
        taken = {i for s in mine for i in range(s.start, s.end)}
        model = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        ents = filter_spans([*mine, *model])
        fixed: list[Span] = []
        for n, ent in enumerate(ents):
            if (
                ent.label_ in ("ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "LOC", "FAC")
                and ent.start not in taken
                and self._reads_as_person(ent, [*fixed, *ents[n:]], len(fixed))
            ):
                ent = Span(doc, ent.start, ent.end, label="PERSON")
            elif (
                ent.label_ == "PERSON"
                and len(ent) == 1
                and ent.end < len(doc)
                and _title_word(doc[ent.end])
                and doc[ent.end].ent_type_ == ""
                and doc[ent.end].text not in NOT_NAMES
                and not doc[ent.end].is_sent_start
            ):
                ent = Span(doc, ent.start, ent.end + 1, label="PERSON")  # "Ethan He"
            elif ent.label_ == "PERSON" and _joined_or_left(ent.root):
                ent = Span(doc, ent.start, ent.end, label="ORG")
            fixed.append(ent)
        doc.ents = filter_spans(fixed)

    def _reads_as_person(self, ent: Span, ents: list[Span], n: int) -> bool:
        words = [t.text for t in ent]
        if not all(_title_word(t) and t.pos_ == "PROPN" for t in ent) or len(ent) > 3:
            return False
        if any(w in COMPANY_WORDS or w in NOT_NAMES for w in words):
            return False
        if _in_move_role(ent.root):
            return True
        if ent.root.dep_ == "poss" and _lemma(ent.root.head) in OWN_MOVES and len(ent) <= 2:
            return True  # "Karpathy's decision to join", "Pang's role at Apple"
        doc = ent.doc
        # in a list next to a person: "Lucas Beyer, Alexander Kolesnikov and ..."
        for other in (ents[n - 1] if n else None, ents[n + 1] if n + 1 < len(ents) else None):
            if other is None or other.label_ != "PERSON":
                continue
            lo, hi = (other.end, ent.start) if other.start < ent.start else (ent.end, other.start)
            if 0 < hi - lo <= 2 and all(t.text in (",", "and") for t in doc[lo:hi]):
                return True
        return False

    def _template_context(self, mention: HireMention, item: _Item) -> HireMention:
        """A template's mention without the company left, completed from the parse."""
        person = next((p for _, _, p in item.seen if p.name == mention.person), None)
        if person is None:
            return mention
        frm = self._context_from(person, mention.to_company, item)
        if frm is None:
            return mention
        return _replace(mention, from_company=frm, rule=f"{mention.rule}+context-from")

    def _deal_companies(self, sent: Span) -> set[str]:
        """The companies an acquisition sentence makes a deal between: those in the clause
        of "acquire"/"buy"/"merger" (and the thing acquired), else every company named."""
        region: set[int] = set()
        for token in sent:
            if _lemma(token) in DEAL_WORDS:
                region.update(t.i for t in token.subtree)
                region.add(token.head.i)
                region.update(t.i for s in _subjects(token) for t in s.subtree)
        found = set()
        for ent in sent.ents:
            if not region or any(i in region for i in range(ent.start, ent.end)):
                company = self._company_name(ent)
                if company:
                    found.add(company)
        return found

    def _remember(self, sent: Span, item: _Item, vetoed: bool) -> None:
        for ent in sent.ents:
            company = self._company_name(ent)
            if company:
                item.companies.append(company)
                if ent.root.dep_ in ("nsubj", "nsubjpass"):
                    item.subjects.append(company)
        if item.employer is None and not vetoed:
            for token in sent:
                if token.lemma_ in HIRE and token.pos_ in ("VERB", "AUX", "NOUN"):
                    for subject in _subjects(token):
                        company = self._company_at(subject)
                        if company:
                            item.employer = company
                            return

    # -- entities --------------------------------------------------------------------------

    def _company_name(self, ent: Span) -> str | None:
        if ent.label_ != "ORG":
            return None
        text = re.sub(r"(?:'s|')$", "", ent.text)
        if ent.label_ == "ORG" and self.aliases.known(text):
            return self.aliases.resolve(text)
        words = re.split(r"[\s/]+", text)
        if not words or all(w in NOT_COMPANY or w in NOT_NAMES for w in words):
            return None
        if any(w in ROLE_WORDS for w in words):
            return None
        if ent.root.dep_ == "amod" and ent.root.head.text in ROLE_WORDS:
            return None  # "Corporate Vice President": a word of a title, tagged ORG
        if len(text) < 3 or text.isdigit() or text.casefold() in {"ai", "ceo", "cto"}:
            return None
        # A unit of a listed company ("Apple Intelligence team") counts as the company.
        for cut in range(len(ent) - 1, 0, -1):
            head = ent[:cut].text
            if self.aliases.known(head):
                return self.aliases.resolve(head)
        return self.aliases.resolve(text)

    def _company_at(self, token: Token) -> str | None:
        nxt = token.nbor(1) if token.i + 2 < len(token.doc) else None
        if (
            nxt is not None
            and nxt.text == "-"
            and token.nbor(2).lower_
            in ("backed", "led", "owned", "funded", "based", "rival", "style")
        ):
            return None  # "the Microsoft-backed company" is not Microsoft
        if token.ent_type_ == "ORG":
            ent = _ent_of(token)
            return self._company_name(ent) if ent is not None else None
        return None

    def _company_ref(self, token: Token) -> bool:
        """ "the company", "the startup", "it": a company named elsewhere."""
        if token.lower_ == "it" and token.pos_ == "PRON":
            return True
        return token.lower_ in COMPANY_NOUNS and any(
            c.dep_ in ("det", "poss") and c.lower_ in ("the", "its", "this", "that")
            for c in token.children
        )

    def _person(self, token: Token, item: _Item | None = None) -> _Person | None:
        """The person whose name ends at ``token`` (a full name of two to four words, or a
        surname of a full name the item gave earlier)."""
        if not _namey(token) or (
            token.dep_ in ("compound", "flat") and token.head.i > token.i and _namey(token.head)
        ):
            return None
        if token.ent_type_ in ("ORG", "MEDIA"):
            return None
        doc = token.doc
        if token.ent_type_ == "PERSON":
            ent = _ent_of(token)
            if ent is not None and ent.end - 1 != token.i:
                return None
            if ent is not None and len(ent) > 1:
                names = [t for t in ent if t.text not in NOT_NAMES and t.text != "'s"]
                if names and names[-1].i == token.i and len(names) <= 4:
                    span = doc[names[0].i : token.i + 1]
                    if len(span) > 1 or not item:
                        return _Person(span.text, span) if len(span) > 1 else None
        start = token.i
        sent_start = token.sent.start
        while (
            start > sent_start
            and _namey(doc[start - 1])
            and doc[start - 1].ent_type_ not in ("ORG", "MEDIA")
            and doc[start - 1].dep_ in ("compound", "flat", "amod", "nmod", "nsubj", "appos")
            and doc[start - 1].head.i >= start - 1
        ):
            start -= 1
        end = token.i + 1
        span = doc[start:end]
        if token.pos_ == "PRON" and len(span) == 1:
            return None
        if len(span) == 1 and (
            token.dep_ in ("compound", "amod", "nmod")
            or (
                token.dep_ == "poss"
                and token.ent_type_ != "PERSON"
                and not (token.pos_ == "PROPN" and _lemma(token.head) in OWN_MOVES)
            )
        ):
            return None  # "Claude users", "GitHub Copilot lead"
        if len(span) == 1:
            # A surname alone: the full name given earlier, else the surname as written.
            full = [
                p
                for p in (item.people if item else [])
                if p.split()[-1] == token.text and p != token.text
            ]
            if full:
                return _Person(full[-1], span)
            if token.pos_ == "PROPN" and (
                token.ent_type_ == "PERSON"
                or (
                    token.ent_type_ == ""
                    and _in_move_role(token)
                    and token.text not in COMPANY_WORDS
                    and not self.aliases.known(token.text)
                )
            ):
                return _Person(token.text, span)
            return None
        if len(span) > 4:
            return None
        person_like = (
            any(t.ent_type_ == "PERSON" for t in span)
            or all(t.pos_ == "PROPN" for t in span)
            or (token.pos_ == "PROPN" and _in_move_role(token))
        )
        if not person_like or (
            not any(t.ent_type_ == "PERSON" for t in span)
            and any(t.ent_type_ not in ("", "PERSON") for t in span)
        ):
            return None
        return _Person(span.text, span)

    def _people_from(self, token: Token, item: _Item) -> list[_Person]:
        """The person at ``token`` and the people coordinated or apposed with it."""
        out: list[_Person] = []
        seen: set[int] = set()

        def visit(t: Token) -> None:
            if t.i in seen:
                return
            seen.add(t.i)
            person = self._person(t, item)
            if person is not None:
                out.append(person)
            for child in t.children:
                if child.dep_ in ("conj", "appos"):
                    visit(child)

        visit(token)
        return out

    def _subject_people(self, verb: Token, item: _Item, index: int) -> list[_Person]:
        people: list[_Person] = []
        for subject in _subjects(verb):
            if subject.lower_ in PRONOUNS and subject.pos_ == "PRON":
                people.extend(self._antecedent(subject, index, item))
                continue
            if subject.lower_ in ("who", "that") and verb.dep_ == "relcl":
                people.extend(self._people_from(verb.head, item))
                continue
            people.extend(self._people_from(subject, item))
        return people

    def _object_people(self, verb: Token, item: _Item) -> list[_Person]:
        """People on the object side of a hiring verb, within its clause."""
        out: list[_Person] = []
        for token in verb.subtree:
            if token.i == verb.i or token.dep_ in ("compound", "flat", "poss"):
                continue
            path = _path(token, verb)
            if path is None or any(
                t.dep_ in ("nsubj", "nsubjpass", "csubj", "agent", "npadvmod") for t in path
            ):
                continue
            if any(
                t.dep_ in CLAUSES or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")) for t in path
            ):
                continue
            if any(t.dep_ == "prep" and t.lower_ in NOT_HIRED_UNDER for t in path):
                continue
            if token.dep_ == "pobj" and token.head.lower_ == "from":
                continue  # "from Pixar" names the company left
            person = self._person(token, item)
            if person is not None:
                out.append(person)
        return out

    def _described_company(self, person: _Person, skip: str | None) -> str | None:
        """The company a person's own description names: "Apple's X", "former OpenAI
        researcher X", "X, former VP at Tesla,", "X, a key figure behind DeepMind's AlphaFold"."""
        root = person.span[-1]
        region: list[Token] = [
            t for t in root.subtree if t.i < person.span.start or t.i >= person.span.end
        ]
        if root.dep_ in ("appos", "compound") and root.head.pos_ in ("NOUN", "PROPN"):
            head = root.head
            region.extend(t for t in head.subtree if t not in root.subtree)
        for token in sorted(region, key=lambda t: t.i):
            # People coordinated with this one describe themselves.
            if token.dep_ == "conj" and token.head == root:
                break
            company = self._company_at(token)
            if company and company != skip:
                return company
        for token in region:  # "Covariant CEO A" where the model saw no entity
            if (
                token.i < person.span.start
                and token.dep_ in ("compound", "amod")
                and (token.head.text in ROLE_WORDS or token.head.text.capitalize() in ROLE_WORDS)
                and token.is_title
                and not token.ent_type_
                and token.text not in NOT_COMPANY | NOT_NAMES | ROLE_WORDS
                and token.lower_ not in TITLE_MODIFIERS
            ):
                company = self.aliases.resolve(token.text)
                if company != skip:
                    return company
        return None

    # -- the surface of the sentence -------------------------------------------------------

    def _vetoed(self, sent: Span) -> bool:
        kind = self.veto(sent.text)
        if kind == "acquisition" and any(
            _lemma(t) in ("acquire", "buy")
            and any(
                c.dep_ == "dobj" and (p := self._person(c)) is not None and len(p.span) > 1
                for c in t.children
            )
            for t in sent
        ):
            return False  # "acquiring Ruoming Pang": a hire in a takeover's words
        if kind == "plan" and any(
            _lemma(t) in HIRE
            and any(
                c.dep_ == "dobj" and (p := self._person(c)) is not None and len(p.span) > 1
                for c in t.children
            )
            for t in sent
        ):
            return False  # "it is hiring Instacart CEO Fidji Simo": a named hire, no plan
        if kind == "appearance":
            # "... became the head of Amazon's AGI Lab, and while his interview with ..."
            words = {t.i for t in sent if self.veto(t.text) == "appearance"}
            moves = [t for t in sent if _lemma(t) in TRIGGERS and t.pos_ == "VERB"]
            if (
                moves
                and words
                and not any(w in {x.i for x in m.subtree} for m in moves for w in words)
            ):
                return False
        return kind is not None

    def _groups(self, sent: Span, item: _Item) -> list[list[_Person]]:
        """Lists of people as written: "A", "A and B", "A, B, and C"."""
        groups: list[list[_Person]] = []
        last_end = -1
        for token in sent:
            person = self._person(token, item)
            if person is None or person.span.start < last_end:
                continue
            gap = [t.text for t in token.doc[last_end : person.span.start]] if last_end >= 0 else []
            if groups and gap and all(w in (",", "and", "&") for w in gap):
                groups[-1].append(person)
            else:
                groups.append([person])
            last_end = person.span.end
        return groups

    def _antecedent(self, pronoun: Token, index: int, item: _Item) -> list[_Person]:
        """The person a he/she/his/her refers to: the last one named before it."""
        before = [p for i, start, p in item.seen if i < index or (i == index and start < pronoun.i)]
        return [before[-1]] if before else []

    def _company_near(
        self, tokens: Iterable[Token], item: _Item, skip: str | None = None, refs: bool = True
    ) -> tuple[str | None, Token | None]:
        """The first company in ``tokens``: a named one or "the company" resolved."""
        for token in tokens:
            company = self._company_at(token)
            if company is None and refs and self._company_ref(token):
                company = self._referent(token, item, skip)
            if company and company != skip:
                return company, token
        return None, None

    def _referent(self, token: Token, item: _Item, skip: str | None) -> str | None:
        """ "the lab" / "the company" / "it": a company of the same kind named before it in
        the item, else the item's employer, else the last company named."""
        noun = token.lower_
        here = self._companies_before(token.sent, token.i)
        before = [c for c in [*item.companies, *here] if c != skip]
        same_kind = [c for c in before if noun in c.casefold().split()]
        if same_kind:
            return same_kind[-1]
        if item.employer and item.employer != skip:
            return item.employer
        return before[-1] if before else None

    def _describe(self, group: list[_Person], sent: Span, skip: str | None) -> str | None:
        """A company in the words around a list of people: before it ("Nvidia researchers A
        and B", "Apple's top executive A") or in an apposition after it ("A, former VP at
        Tesla,", "A and B, co-founders of Inflection AI,")."""
        doc = sent.doc
        start, end = group[0].span.start, group[-1].span.end
        before: list[Token] = []
        i = start - 1
        if (
            i > sent.start
            and doc[i].text == ","
            and (doc[i - 1].pos_ == "NOUN" or doc[i - 1].text in ROLE_WORDS)
        ):
            i -= 1  # "its CEO, A"
        while i >= sent.start and len(before) < 10:
            t = doc[i]
            role_and = t.lower_ == "and" and doc[i + 1].pos_ in ("ADJ", "NOUN") and before
            if t.pos_ in ("VERB", "AUX", "ADP", "CCONJ", "PUNCT", "SCONJ") and not (
                t.text in ("-", "'s") or t.lower_ in ("of", "at") or role_and
            ):
                break  # "Adept's co-founder and former CEO A" is one description
            if _lemma(t) in HIRE | JOIN | LEAVE | GO:
                break
            before.append(t)
            i -= 1
        company, _ = self._company_near(reversed(before), _Item(), skip, refs=False)
        if company:
            return company
        if any(t.lower_ in ("its", "their") for t in before[:3]):  # "hired its CEO, A"
            company = next(
                (c for c in reversed(self._companies_before(sent, start)) if c != skip), None
            )
            if company:
                return company
        if end + 1 < sent.end and doc[end].lower_ == "from":  # "A and B from xAI"
            company, _ = self._company_near(
                doc[end + 1 : min(sent.end, end + 4)], _Item(), skip, refs=False
            )
            if company:
                return company
        if end < sent.end and doc[end].text == ",":
            after: list[Token] = []
            for t in doc[end + 1 : sent.end]:
                if t.text in (",", ";", "(", ")") or len(after) > 20:
                    break
                after.append(t)
            verbs = [t for t in after if t.pos_ == "VERB"]
            if (
                after
                and after[0].lower_ in ("who", "which")
                and verbs
                and not any(t.lemma_ in BACKGROUND_VERBS for t in verbs)
            ):
                after = []  # "A, who once shadowed Bezos and launched Alexa," is no employer
            if after and not (
                after[0].pos_ in ("VERB", "AUX")
                or (
                    after[0].lower_ in ("who", "which")
                    and any(t.lower_ in ("will", "would") for t in after)
                )
            ):
                company = self._background_company(after, skip)
                if company:
                    return company
                for t in after:  # "A, the company's cofounder,"
                    if self._company_ref(t) and t.nbor(1).text == "'s":
                        return self._referent(t, _Item(), skip)
        return None

    def _companies_before(self, sent: Span, end: int) -> list[str]:
        found = []
        for ent in sent.ents:
            if ent.end <= end:
                company = self._company_name(ent)
                if company:
                    found.append(company)
        return found

    def _background_company(self, tokens: list[Token], skip: str | None) -> str | None:
        """A listed company of a description, else an unlisted one after "at/of/from/with"
        ("the key architect behind the AlphaFold network" names a product, not an employer)."""
        listed = [
            c for t in tokens if (c := self._company_at(t)) and c != skip and self.aliases.known(c)
        ]
        if listed:
            return listed[0]
        for t in tokens:
            company = self._company_at(t)
            if company and company != skip and t.i > 0 and _after_preposition(t):
                return company
        for t in tokens:  # "former CFO of Square" where the model saw no entity
            if t.lower_ in ("at", "of") and t.head.text in ROLE_WORDS:
                company = self._unlabelled_company(t)
                if company and company != skip:
                    return company
        return None

    def _surface(self, sent: Span, index: int, item: _Item) -> list[HireMention]:
        """Who moved where by word order around each trigger, for sentences the parse gets
        wrong (headlines above all): "<company> <hires> <people> from <company>", "<people>
        <joins> <company>", "<people> <leaves> <company> for/to join <company>"."""
        groups = self._groups(sent, item)
        doc = sent.doc
        mentions: list[HireMention] = []
        for trigger in sent:
            # "the departing CFO" modifies a noun; "A, assumed leadership" (misparsed) does not
            modifier = trigger.dep_ == "amod" and not (
                trigger.i > sent.start
                and (doc[trigger.i - 1].text == "," or doc[trigger.i - 1].pos_ == "PROPN")
            )
            if modifier or not (
                trigger.is_lower
                or (trigger.is_title and trigger.i > sent.start and _title_case(sent))
            ):
                continue
            if any(c.dep_ == "neg" or c.lower_ in HEDGES for c in trigger.children):
                continue
            if _hedged_above(trigger):
                continue
            lemma = _lemma(trigger)
            if lemma == "departure":
                lemma = "depart"
            if trigger.tag_ == "VBG" and trigger.dep_ in ("advcl", "acl") and lemma in HIRE:
                continue  # "..., bringing A aboard": the subject is the main clause's
            if (
                lemma in DEAL_WORDS
                and trigger.pos_ == "VERB"
                and any(
                    c.dep_ == "dobj"
                    and (p := self._person(c, item)) is not None
                    and len(p.span) > 1
                    for c in trigger.children
                )
            ):
                lemma = "acquire-person"  # "landed a coup: acquiring Ruoming Pang"
                mentions.extend(self._surface_hire(trigger, lemma, sent, index, item, groups))
            elif (
                trigger.dep_ == "nsubj"
                and _lemma(trigger.head) == "include"
                and (
                    (lemma in HIRE and trigger.tag_ == "NNS")
                    or (
                        lemma in UNIT_NOUNS
                        and any(c.lower_ == "new" for c in trigger.children)
                        and self._unit_owner(trigger)
                    )
                )
            ):
                mentions.extend(self._hires_include(trigger, sent, item, groups))
            elif lemma in HIRE and trigger.pos_ in ("VERB", "NOUN", "AUX"):
                mentions.extend(self._surface_hire(trigger, lemma, sent, index, item, groups))
            elif (
                (lemma in ("become", "assume") and trigger.pos_ == "VERB")
                or (
                    lemma == "take"
                    and any(c.dep_ == "prt" and c.lower_ == "over" for c in trigger.children)
                )
                or (
                    lemma in ("lead", "head", "run")
                    and trigger.i > sent.start
                    and doc[trigger.i - 1].lower_ == "to"
                    and trigger.pos_ in ("VERB", "PROPN")
                    and _title_case(sent)
                )
                or (
                    trigger.lower_ == "now"
                    and _lemma(trigger.head) == "be"
                    and trigger.head.i < trigger.i
                )
            ):
                mentions.extend(self._surface_move(trigger, "become", sent, index, item, groups))
            elif lemma in ("accept", "take") and any(
                c.dep_ == "dobj"
                and c.lemma_ in (("offer",) if lemma == "accept" else ()) + JOB_NOUNS
                for c in trigger.children
            ):
                mentions.extend(self._surface_move(trigger, "accept", sent, index, item, groups))
            elif lemma in JOIN and any(c.dep_ == "auxpass" for c in trigger.children):
                mentions.extend(self._joined_by(trigger, sent, item, groups))
            elif lemma == "lose" and trigger.pos_ == "VERB":
                mentions.extend(self._lost_to(trigger, sent, item, groups))
            elif lemma in JOIN | LEAVE | GO and (
                trigger.pos_ in ("VERB", "NOUN", "AUX")
                # Title Case headlines tag their verbs as names: "Jan Leike Joins Anthropic"
                or (trigger.pos_ == "PROPN" and trigger.is_title and _title_case(sent))
            ):
                if lemma == "head" and trigger.pos_ == "NOUN":
                    continue  # "former engineering head for Google's chatbot": a title
                mentions.extend(self._surface_move(trigger, lemma, sent, index, item, groups))

        return mentions

    def _lost_to(
        self, trigger: Token, sent: Span, item: _Item, groups: list[list[_Person]]
    ) -> list[HireMention]:
        """ "OpenAI, which recently lost Jerry Tworek, its VP of research, to Anthropic": the
        subject is the company left, the company after "to" the new employer."""
        doc = sent.doc
        subject = next((c for c in trigger.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return []
        if subject.lower_ in ("which", "that", "who") and trigger.dep_ == "relcl":
            subject = trigger.head
        frm, _ = self._company_near([subject, *subject.lefts], item)
        end = next((t.i for t in doc[trigger.i + 1 : sent.end] if t.text in (".", ";")), sent.end)
        to_word = next(
            (t for t in doc[trigger.i + 1 : end] if t.lower_ == "to" and t.dep_ == "prep"), None
        )
        if frm is None or to_word is None:
            return []
        to, _ = self._company_near(doc[to_word.i + 1 : min(end, to_word.i + 6)], item, frm)
        people = [
            p
            for g in groups
            if trigger.i < g[0].span.start and g[-1].span.end <= to_word.i
            for p in g
        ]
        if to is None or not people:
            return []
        return [
            self._mention(p.name, to, frm, trigger, sent, "surface:lost-to", 0.8) for p in people
        ]

    def _coordinated(self, sent: Span, company: str) -> bool:
        """Whether ``company`` is named in a list of companies ("Google and Microsoft")."""
        for ent in sent.ents:
            if ent.label_ != "ORG" or self._company_name(ent) != company:
                continue
            root = ent.root
            partners = [c for c in root.children if c.dep_ == "conj"]
            if root.dep_ == "conj":
                partners.append(root.head)
            first = min([root, *partners], key=lambda t: t.i)
            if first.head.lower_ == "of" and "founder" in first.head.head.lower_:
                continue  # "the co-founder of Inflection and DeepMind" left the first
            if any(self._company_at(p) not in (None, company) for p in partners):
                return True
        return False

    def _left_company(self, sent: Span, to: str) -> str | None:
        """The one company the sentence says was left ("after leaving Netflix", "his
        departure from OpenAI", "After OpenAI Departure"), when a move names no other."""
        found: set[str] = set()
        for t in sent:
            lemma = _lemma(t)
            if lemma in LEAVE and t.pos_ == "VERB":
                tokens = [c for c in t.children if c.dep_ == "dobj"]
            elif lemma in ("departure", "exit") and t.pos_ in ("NOUN", "PROPN"):
                tokens = [
                    c for c in t.children if c.dep_ in ("compound", "poss") and c.ent_type_ == "ORG"
                ] + [g for c in t.children if c.lower_ == "from" for g in c.children]
            else:
                continue
            for token in tokens:
                company = self._company_at(token)
                if company and company != to:
                    found.add(company)
        return found.pop() if len(found) == 1 else None

    def _surface_hire(
        self,
        trigger: Token,
        lemma: str,
        sent: Span,
        index: int,
        item: _Item,
        groups: list[list[_Person]],
    ) -> list[HireMention]:
        doc = sent.doc
        if lemma == "rope" and not any(t.lower_ == "in" for t in doc[trigger.i : trigger.i + 4]):
            return []
        if lemma == "bring" and not any(
            t.lower_ in ("on", "in", "aboard", "onboard")
            for t in doc[trigger.i + 1 : trigger.i + 6]
        ):
            return []
        # The employer is the subject, not a company named in a phrase ("investment in X")
        left = [
            doc[i]
            for i in range(trigger.i - 1, max(sent.start, trigger.i - 8) - 1, -1)
            if doc[i].dep_ not in ("pobj", "poss")
        ]
        to, _ = self._company_near(left, item)
        if (
            to is None
            and trigger.tag_ in ("VBN", "VBD")
            and trigger.i + 1 < sent.end
            and doc[trigger.i + 1].lower_ == "as"
        ):
            # "J.B. Holston hired as NewsGator CEO": the role names the employer
            group = next((g for g in reversed(groups) if g[-1].span.end == trigger.i), None)
            to, _ = self._company_near(
                doc[trigger.i + 2 : min(sent.end, trigger.i + 7)], item, refs=False
            )
            if group is None or to is None:
                return []
            frm = self._describe(group, sent, to)
            if lemma in NEEDS_FROM and frm is None:
                return []
            return [
                self._mention(
                    p.name, to, frm, trigger, sent, f"surface:{lemma}-as", 0.8 if frm else 0.65
                )
                for p in group
            ]
        if to is None:
            return []
        group = next((g for g in groups if g[0].span.start > trigger.i), None)
        rule = f"surface:{lemma}"
        if (
            group is None
            or group[0].span.start - trigger.i > 14
            or any(
                t.pos_ == "VERB" and _lemma(t) not in HIRE and t.dep_ not in ("acl", "amod")
                for t in doc[trigger.i + 1 : group[0].span.start]
            )
            or any(t.text in (".", ";") for t in doc[trigger.i + 1 : group[0].span.start])
        ):
            group = self._named_after(trigger, sent, index, item)
            if not group:
                return []
            rule += "+names-after"
        if any(
            p.span[-1].dep_ in ("nsubj", "nsubjpass") and p.span[-1].head.i != trigger.i
            for p in group
        ):
            return []  # "..., Altman says": the speaker, not a hire
        gap = doc[trigger.i + 1 : group[0].span.start]
        frm = None
        for t in [*gap, *doc[group[-1].span.end : sent.end]][:14]:
            if t.lower_ == "from":
                frm, _ = self._company_near(doc[t.i + 1 : t.i + 6], item, to, refs=False)
                break
        if frm is None:
            frm, _ = self._company_near(gap, _Item(), to, refs=False)
        frm = frm or self._describe(group, sent, to)
        mentions = []
        for person in group:
            person_frm, person_rule = frm, rule
            if person_frm is None:
                person_frm = self._context_from(person, to, item)
                if person_frm:
                    person_rule += "+context-from"
            if lemma in NEEDS_FROM and person_frm is None:
                continue
            mentions.append(
                self._mention(
                    person.name,
                    to,
                    person_frm,
                    trigger,
                    sent,
                    person_rule,
                    0.85 if person_frm else 0.7,
                )
            )
        return mentions

    def _joined_by(
        self, trigger: Token, sent: Span, item: _Item, groups: list[list[_Person]]
    ) -> list[HireMention]:
        """ "Lau is joined by A, who served at xAI, and B": they join Lau's new employer."""
        subject = [
            p for c in trigger.children if c.dep_ == "nsubjpass" for p in self._people_from(c, item)
        ]
        to = item.moves.get(subject[0].name) if subject else None
        if to is None:
            return []
        mentions: list[HireMention] = []
        for group in groups:
            if group[0].span.start <= trigger.i:
                continue
            frm = self._describe(group, sent, to)
            mentions.extend(
                self._mention(
                    p.name, to, frm, trigger, sent, "surface:joined-by", 0.8 if frm else 0.65
                )
                for p in group
            )
        return mentions

    def _alongside(self, verb: Token, to: str) -> str | None:
        """ "joined Amazon alongside other Adept co-founders": the colleagues' company."""
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("alongside", "with"):
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and any(c.lower_ == "other" for c in pobj.children):
                        company, _ = self._company_near(list(pobj.subtree), _Item(), to, refs=False)
                        if company:
                            return company
        return None

    def _unit_owner(self, noun: Token) -> str | None:
        """The company a unit belongs to: "Meta's new unit"."""
        for child in noun.children:
            if child.dep_ in ("poss", "compound"):
                company = self._company_at(child)
                if company:
                    return company
        return None

    def _hires_include(
        self, trigger: Token, sent: Span, item: _Item, groups: list[list[_Person]]
    ) -> list[HireMention]:
        """ "The hires include A, formerly at Tesla; B and C from xAI": the employer is the
        company the item is about, each group's own words give the company left."""
        to = (
            self._unit_owner(trigger)
            or item.employer
            or next(iter(reversed(item.subjects)), None)
            or next(iter(reversed(self._companies_before(sent, trigger.i))), None)
            or (item.companies[-1] if item.companies else None)
        )
        if to is None:
            return []
        mentions = []
        for group in groups:
            if group[0].span.start <= trigger.head.i:
                continue
            frm = self._describe(group, sent, to)
            for person in group:
                mentions.append(
                    self._mention(
                        person.name,
                        to,
                        frm,
                        trigger,
                        sent,
                        "surface:hires-include",
                        0.8 if frm else 0.65,
                    )
                )
        return mentions

    def _named_after(
        self, trigger: Token, sent: Span, index: int, item: _Item, subject: Token | None = None
    ) -> list[_Person]:
        """Unnamed people ("two researchers") named after a colon or in the next sentence."""
        doc = sent.doc
        window = (
            [subject, *subject.children]
            if subject is not None
            else doc[trigger.i + 1 : min(sent.end, trigger.i + 6)]
        )
        if not any(
            t.like_num or t.lower_ in ("several", "three", "two", "four", "five") or t.tag_ == "NNS"
            for t in window
        ):
            return []
        colon = next((t.i for t in doc[trigger.i : sent.end] if t.text in (":", "\u2014")), None)
        if colon is not None:
            groups = [g for g in self._groups(sent, item) if g[0].span.start > colon]
            if groups:
                return groups[0]
        if index + 1 < len(item.sentences) and not sent_ends_question(trigger):
            nxt = item.sentences[index + 1]
            if not self._vetoed(nxt):
                groups = self._groups(nxt, item)
                if groups and groups[0][0].span.start - nxt.start <= 3 and len(groups[0]) > 1:
                    return groups[0]
        return []

    def _surface_move(
        self,
        trigger: Token,
        lemma: str,
        sent: Span,
        index: int,
        item: _Item,
        groups: list[list[_Person]],
    ) -> list[HireMention]:
        doc = sent.doc
        group = next((g for g in reversed(groups) if g[-1].span.end <= trigger.i), None)
        between = doc[group[-1].span.end : trigger.i] if group else doc[sent.start : trigger.i]
        if (
            trigger.pos_ == "NOUN"
            and trigger.i + 1 < sent.end
            and doc[trigger.i + 1].lower_ == "of"
        ):
            # "The return of Noam Shazeer to Google"
            after_of = next((g for g in groups if g[0].span.start == trigger.i + 2), None)
            if after_of is None:
                return []
            group, between = after_of, doc[trigger.i : trigger.i]
            trigger_end = after_of[-1].span.end - 1
        else:
            trigger_end = trigger.i
        pronoun = next(
            (
                t
                for t in reversed(list(doc[max(sent.start, trigger.i - 4) : trigger.i]))
                if t.lower_ in ("he", "she", "his", "her")
            ),
            None,
        )
        if pronoun is not None and (group is None or pronoun.i > group[-1].span.end):
            group = self._antecedent(pronoun, index, item)
            between = doc[pronoun.i + 1 : trigger.i]
        verb = trigger.head if trigger.lower_ == "now" else trigger
        subjects = [
            p
            for c in verb.children
            if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN"
            for p in self._people_from(c, item)
        ]
        if subjects and group and subjects[0].name not in {p.name for p in group}:
            group = subjects  # the parse knows the subject: "A, a former B aide, became"
            between = doc[group[-1].span.end : trigger.i]
        unnamed = [
            c
            for c in trigger.children
            if c.dep_ == "nsubj" and c.tag_ == "NNS" and (group is None or c.i > group[-1].span.end)
        ]
        if unnamed:  # "two researchers from Nvidia joined xAI: A and B"
            named = self._named_after(trigger, sent, index, item, subject=unnamed[0])
            if not named:
                return []
            to_named, _ = self._company_near(
                doc[trigger.i + 1 : min(sent.end, trigger.i + 6)], item
            )
            if lemma not in JOIN or to_named is None:
                return []
            return self._move_mentions(
                trigger,
                lemma,
                sent,
                item,
                named,
                to_named,
                self._from_prep(unnamed[0], to_named),
                "+names-after",
            )
        if not group:
            return []
        # Subject and verb may be apart ("A, a key figure behind X, has departed") but not
        # by another clause's verb or a second company acting.
        if len(between) > 25 or any(t.text in (";", ":") for t in between):
            return []
        if any(
            t.pos_ == "VERB"
            and t.dep_ not in ("relcl", "acl", "amod", "advcl")
            and t.head.i != trigger.i
            and _lemma(t) not in ("announce", "say", "confirm", "decide", "post", "reveal")
            and t.i > group[-1].span.end + 1
            and not _inside_commas(t, between)
            for t in between
        ):
            return []
        # The verb has a subject of its own that is not this person ("Musk said many former
        # Meta engineers have joined xAI").
        own = [
            c
            for c in trigger.children
            if c.dep_ in ("nsubj", "nsubjpass")
            and c.i > group[-1].span.end
            and c.pos_ in ("NOUN", "PROPN")
            and c.ent_type_ != "PERSON"
        ]
        if own:
            return []
        after = list(doc[trigger_end + 1 : min(sent.end, trigger_end + 13)])
        to = frm = None
        how = ""
        if lemma == "become":  # "became the CFO of X", "is now a senior executive at X"
            # also "will assume the CEO role at X", "took over as CEO of X", "A to Lead X's Group"
            window = []
            for t in doc[trigger.i + 1 : min(sent.end, trigger.i + 12)]:
                if t.text in (",", ";", "(") or (t.pos_ == "VERB" and t.dep_ != "amod"):
                    break
                window.append(t)
            to, _ = self._company_near(window, item, refs=False)
        elif lemma == "accept":  # "accepted Meta's offer", "took a new job at Meta"
            offer = next(c for c in trigger.children if c.dep_ == "dobj")
            at = [
                t
                for c in trigger.children
                if c.dep_ == "prep" and c.lower_ in ("at", "with")
                for t in c.subtree
            ]
            to, _ = self._company_near([*offer.subtree, *at], item, refs=False)
        elif lemma in JOIN or lemma in GO:
            if lemma in GO and after and after[0].lower_ == "from":
                # "to move from Oberlin to Pace": the company left comes first
                turn = next((n for n, t in enumerate(after[:8]) if t.lower_ in ("to", "for")), None)
                if turn is not None:
                    frm, _ = self._company_near(after[1:turn], item, refs=False)
                    after = after[turn:]
                    how = "+from-to"
            aimed = any(t.lower_ in ("to", "for", "at") for t in after[:2])
            if lemma in GO and not aimed and lemma != "return":
                return []
            to = self._company_near(after, item)[0] if aimed or lemma in JOIN else None
            if lemma in JOIN and after and after[0].lower_ == "from":
                # "when he joined from Google": the company after "from" was left; the one
                # joined was named before the verb ("a huge get for Apple").
                frm, _ = self._company_near(after[1:6], item, refs=False)
                before = [c for c in self._companies_before(sent, trigger.i) if c != frm]
                to = before[-1] if frm and before else None
                how = "+joined-from"
            if (
                to is None
                and lemma in JOIN
                and trigger.dep_ == "relcl"
                and any(
                    c.dep_ == "dobj" and c.lower_ in ("which", "that") for c in trigger.children
                )
            ):
                to = self._company_at(trigger.head)  # "quit xAI, which he had joined"
            if lemma == "return" and to is None:  # "had briefly left OpenAI ... but returned"
                leaves = [t for t in doc[sent.start : trigger.i] if _lemma(t) in LEAVE]
                left = [c for t in leaves for c in t.children if c.dep_ == "dobj"]
                to, _ = self._company_near(left, item, refs=False)
                how = "+to-company-left"
                leavers = [p for t in leaves for p in self._subject_people(t, item, index)]
                if to is None or not leavers:
                    return []
                group = leavers
            for t in doc[trigger.i + 1 : min(sent.end, trigger.i + 12)]:
                if t.lower_ == "from":
                    frm, _ = self._company_near(doc[t.i + 1 : t.i + 5], item, to)
                    break
        else:
            for t in after[:7]:
                if (
                    t.lower_ in ("for", "to", "and", "after", "in", "when")
                    or t.text in (",", ";", ".")
                    or t.pos_ == "VERB"
                ):
                    break
                frm = self._company_at(t)
                if frm is None and self._company_ref(t):
                    frm = self._describe(group, group[0].span.sent, None) or self._referent(
                        t, item, None
                    )
                if frm:
                    break
            for t in doc[trigger.i + 1 : min(sent.end, trigger.i + 16)]:
                if (
                    t.lower_ == "for"
                    or _lemma(t) in JOIN
                    or (t.lemma_ == "work" and doc[t.i - 1].lower_ == "to")
                ):
                    to, _ = self._company_near(doc[t.i + 1 : min(sent.end, t.i + 10)], item, frm)
                    if to:
                        how = "+for" if t.lower_ == "for" else "+to-join"
                        break
        if to is None or to == frm:
            return []
        return self._move_mentions(trigger, lemma, sent, item, group, to, frm, how)

    def _move_mentions(
        self,
        trigger: Token,
        lemma: str,
        sent: Span,
        item: _Item,
        group: list[_Person],
        to: str,
        frm: str | None,
        how: str,
    ) -> list[HireMention]:
        frm = frm or self._describe(group, group[0].span.sent, to) or self._alongside(trigger, to)
        mentions = []
        for person in group:
            person_frm, rule = frm, f"surface:{lemma}{how}"
            if person_frm is None:
                person_frm = self._context_from(person, to, item)
                if person_frm:
                    rule += "+context-from"
            if (
                lemma in ("head", "come", "go", "land")
                and person_frm is None
                and not self.aliases.known(to)
            ):
                continue
            if lemma == "become" and person_frm is None:
                continue  # a title alone may be a promotion inside the company
            mentions.append(
                self._mention(
                    person.name, to, person_frm, trigger, sent, rule, 0.85 if person_frm else 0.7
                )
            )
        return mentions

    def _context_from(self, person: _Person, to: str, item: _Item) -> str | None:
        """The company a person came from, told anywhere in the item: "A, who led X at
        GitHub", "Tanaka spent nine years at Netflix", "after a stint at Alphabet",
        "Cursor poaches two engineers from Replit" (the hire's company, people unnamed)."""
        names = {person.name, person.name.split()[-1]}
        together = len(item.people) > 1
        for sent in item.sentences:
            mentioned = [
                t
                for t in sent
                if t.text in names
                or (together and t.lower_ in GROUP_WORDS and t.dep_ == "nsubj")
                or (
                    t.lower_ in ("he", "she")
                    and self._antecedent_name(t, sent, item) == person.name
                )
            ]
            for token in sent:
                if token.lower_ in ("after", "following") and token.dep_ in ("prep", "mark"):
                    window = list(token.doc[token.i + 1 : min(sent.end, token.i + 12)])
                    if any(t.text in (",", ";") for t in window):  # within its own clause
                        window = window[: next(n for n, t in enumerate(window) if t.text in ",;")]
                    if any(t.lemma_ in TENURE for t in window) and mentioned:
                        company, _ = self._company_near(window, item, to, refs=False)
                        if company:
                            return company
            for mention in mentioned:
                window = list(mention.doc[mention.i + 1 : min(sent.end, mention.i + 14)])
                left = next(
                    (t for t in window[:3] if _lemma(t) in LEAVE and t.pos_ == "VERB"), None
                )
                if left is None and mention.dep_ == "nsubj" and _lemma(mention.head) in LEAVE:
                    left = mention.head  # "A, a Nobel laureate ..., left Google DeepMind"
                if left is not None:  # "A left Google DeepMind after 9 years. His move to"
                    company, _ = self._company_near(
                        [c for c in left.children if c.dep_ == "dobj"], item, to, refs=False
                    )
                    if company:
                        return company
                verbs = [
                    t for t in window if t.lemma_ in BACKGROUND_VERBS and t.pos_ in ("VERB", "AUX")
                ]
                if verbs:
                    rest = [t for t in window if t.i > verbs[0].i]
                    if any(_lemma(t) in HIRE | JOIN | LEAVE | GO for t in rest):
                        continue  # the move itself, not the background
                    company, _ = self._company_near(rest, item, to, refs=False)
                    if company:
                        return company
            for token in sent:  # "licensing technology from his startup, Character.ai"
                if (
                    token.lower_ in ("his", "her")
                    and token.dep_ == "poss"
                    and token.head.lower_ in COMPANY_NOUNS
                    and self._antecedent_name(token, sent, item) == person.name
                ):
                    named = [t for t in token.head.subtree if t.dep_ in ("appos", "compound")]
                    company, _ = self._company_near(
                        [t for n in named for t in n.subtree], item, to, refs=False
                    )
                    if company:
                        return company
            for trigger in sent:
                if _lemma(trigger) in HIRE and trigger.pos_ == "VERB":
                    subjects = _subjects(trigger)
                    if subjects and self._employer(subjects[0], item)[0] == to:
                        frm = self._from_prep(trigger, to)
                        if frm:
                            return frm
        return None

    def _antecedent_name(self, pronoun: Token, sent: Span, item: _Item) -> str | None:
        index = item.sentences.index(sent) if sent in item.sentences else len(item.sentences)
        found = self._antecedent(pronoun, index, item)
        return found[0].name if found else None

    # -- one sentence ----------------------------------------------------------------------

    def _sentence(self, sent: Span, index: int, item: _Item) -> list[HireMention]:
        mentions: list[HireMention] = []
        for verb in sent:
            if verb.pos_ not in ("VERB", "AUX") and not (
                verb.pos_ == "NOUN" and verb.i == sent.root.i
            ):
                continue
            if any(c.dep_ == "neg" or c.lower_ in HEDGES for c in verb.children):
                continue
            if _hedged_above(verb):
                continue
            lemma = _lemma(verb)
            if lemma in HIRE:
                mentions.extend(self._hire(verb, lemma, sent, index, item))
            if lemma in ANNOUNCE and _names_new_role(verb):
                # "Mozilla has announced a new CEO, Gary Kovacs, former SVP at Sybase"
                mentions.extend(self._hire(verb, "announce", sent, index, item))
            if lemma in JOIN | LEAVE | GO:
                mentions.extend(self._move(verb, lemma, sent, index, item))
        return mentions

    def _employer(self, subject: Token, item: _Item) -> tuple[str | None, str]:
        company = self._company_at(subject)
        if company:
            return company, "subject"
        if self._company_ref(subject):
            company = self._referent(subject, item, None)
            if company:
                return company, "item-employer"
        return None, ""

    def _hire(
        self, verb: Token, lemma: str, sent: Span, index: int, item: _Item
    ) -> list[HireMention]:
        if lemma == "rope" and not any(c.lower_ == "in" for c in verb.children):
            return []
        passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if passive:
            agents = [
                g
                for c in verb.children
                if c.dep_ == "agent"
                for g in c.children
                if g.dep_ == "pobj"
            ]
            if agents:
                to, how = self._employer(agents[0], item)
            else:  # "A, president of X, has been named chancellor of Y"
                to, how = self._role_company(verb), "role-of"
            people = [p for s in passive for p in self._people_from(s, item)]
        else:
            subjects = _subjects(verb)
            if not subjects and lemma not in WELCOME:
                return []
            to, how = self._employer(subjects[0], item) if subjects else (None, "")
            people = self._object_people(verb, item)
            if not to and lemma in WELCOME:  # "we're thrilled to welcome A to X"
                to, how = self._welcomed_to(verb), "welcomed-to"
        if not to:
            return []
        frm_clause = self._from_prep(verb, to)
        rule = f"spacy:{lemma}"
        if not people:
            people = self._next_sentence_people(verb, index, item)
            if not people:
                return []
            rule += "+next-sentence"
        mentions = []
        for person in people:
            frm = frm_clause or self._described_company(person, to)
            if frm is None:
                frm = self._object_company(verb, to)
            person_rule = rule + (f"+{how}" if how != "subject" else "")
            if frm is None:
                frm = self._context_from(person, to, item)
                if frm is not None:
                    person_rule += "+context-from"
            if lemma in NEEDS_FROM and frm is None:
                continue
            mentions.append(
                self._mention(person.name, to, frm, verb, sent, person_rule, 0.9 if frm else 0.75)
            )
        return mentions

    def _welcomed_to(self, verb: Token) -> str | None:
        """The company after "to" of "welcome/bring A to X" (the welcoming subject is "we")."""
        for prep in verb.children:
            if prep.dep_ in ("prep", "dative") and prep.lower_ in ("to", "into"):
                company, _ = self._company_near(prep.subtree, _Item(), refs=False)
                if company:
                    return company
        return None

    def _role_company(self, verb: Token) -> str | None:
        """The company of the role a passive appointment names: "(as) chancellor of Y",
        "chief executive at Y" (before the clause ends)."""
        doc = verb.doc
        for t in doc[verb.i + 1 : min(verb.sent.end, verb.i + 14)]:
            if t.text in (",", ";", ".", "(") or (t.pos_ == "VERB" and t.i > verb.i + 1):
                return None
            if t.lower_ in ("of", "at"):
                company, _ = self._company_near(doc[t.i + 1 : t.i + 5], _Item(), refs=False)
                if company:
                    return company
                return self._unlabelled_company(t)
        return None

    def _unlabelled_company(self, prep: Token) -> str | None:
        """ "chief executive of Lyft" where the model saw no entity: a proper noun of one to
        three words, none of them a place or a person, is taken for the company."""
        objects = [c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
        if not objects or objects[0].ent_type_ not in ("", "ORG"):
            return None
        noun = objects[0]
        words = [c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        span = [*words, noun]
        if len(span) > 3 or any(w.ent_type_ not in ("", "ORG") for w in span):
            return None
        text = " ".join(w.text for w in span)
        if any(w.text in NOT_COMPANY or w.text in NOT_NAMES or w.text in ROLE_WORDS for w in span):
            return None
        return self.aliases.resolve(text)

    def _object_company(self, verb: Token, to: str) -> str | None:
        """A company describing the hired role: "hires two NVIDIA researchers",
        "poached Apple's top executive"."""
        for child in verb.children:
            if child.dep_ not in ("dobj", "attr", "oprd"):
                continue
            for token in child.subtree:
                if token.dep_ in ("compound", "poss", "amod", "nmod") and token.head == child:
                    company = self._company_at(token)
                    if company and company != to:
                        return company
            # "a dozen members of Apple's AI team"
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
                    for token in prep.subtree:
                        company = self._company_at(token)
                        if company and company != to:
                            return company
        return None

    def _from_prep(self, verb: Token, to: str | None) -> str | None:
        """ "from X" in the verb's clause, attached to the verb or to its object."""
        for token in verb.subtree:
            if token.dep_ == "prep" and token.lower_ == "from":
                path = _path(token, verb)
                if path is None or any(t.dep_ in CLAUSES for t in path):
                    continue
                for pobj in token.children:
                    if pobj.dep_ == "pobj":
                        company = self._company_at(pobj)
                        if company and company != to:
                            return company
        return None

    def _move(
        self, verb: Token, lemma: str, sent: Span, index: int, item: _Item
    ) -> list[HireMention]:
        people = self._subject_people(verb, item, index)
        if not people:
            return []
        to: str | None = None
        frm: str | None = None
        how = ""
        objects = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
        preps = {
            c.lower_: [g for g in c.children if g.dep_ == "pobj"]
            for c in verb.children
            if c.dep_ == "prep"
        }
        ref_left = False
        if lemma in JOIN:
            for obj in objects:
                to = self._company_at(obj)
                if to is None and self._company_ref(obj):
                    to = item.employer or (item.companies[-1] if item.companies else None)
                    how = "+item-employer"
                if to:
                    break
            frm = self._first_company(preps.get("from", []), to)
        elif lemma in LEAVE:
            for obj in objects:
                frm = self._company_at(obj)
                if frm is None and self._company_ref(obj):
                    ref_left = True
                if frm or ref_left:
                    break
            for pobj in preps.get("from", []):
                frm = frm or self._company_at(pobj)
            to = self._first_company(preps.get("for", []), frm) or self._first_company(
                preps.get("to", []), frm
            )
            if to is None:
                for child in verb.children:
                    if child.dep_ in ("xcomp", "advcl", "ccomp", "conj") and _lemma(child) in JOIN:
                        for obj in child.children:
                            if obj.dep_ in ("dobj", "attr"):
                                to = self._company_at(obj)
                            elif obj.dep_ == "nsubj" and self._company_ref(obj) and not frm:
                                ref_left = True
                            if to:
                                break
                        if to:
                            how = "+to-join"
                            break
        else:  # defect / move / jump / switch / return / head
            targets = [*preps.get("to", []), *preps.get("at", [])]
            if lemma in ("head", "come", "go"):
                targets = [*preps.get("to", [])]
            to = self._first_company(targets, None)
            frm = self._first_company(preps.get("from", []), to)
        if not to:
            return []
        mentions = []
        listed: str | None = None  # the company described for an earlier person of the list
        for person in people:
            person_frm = frm
            rule = f"spacy:{lemma}{how}"
            if person_frm is None:
                person_frm = self._described_company(person, to)
                if person_frm is not None:
                    listed = listed or person_frm
                elif listed and _titled(person):
                    # "Covariant CEO A, CTO B, Chief Scientist C": one company's titles
                    person_frm, rule = listed, rule + "+listed"
                if person_frm is None:
                    person_frm = self._alongside(verb, to)
                if person_frm is None and ref_left:
                    person_frm = self._previous_company(item, to)
                if person_frm is not None:
                    rule += "+description" if not ref_left else "+company-left"
            if person_frm is None:
                person_frm = self._context_from(person, to, item)
                if person_frm is not None:
                    rule += "+context-from"
            if (
                lemma in ("head", "come", "go", "land")
                and person_frm is None
                and not self.aliases.known(to)
            ):
                continue  # "heads to WWDC": a trip, not a move
            mentions.append(
                self._mention(
                    person.name, to, person_frm, verb, sent, rule, 0.9 if person_frm else 0.7
                )
            )
        return mentions

    def _first_company(self, tokens: Iterable[Token], skip: str | None) -> str | None:
        for token in tokens:
            company = self._company_at(token)
            if company and company != skip:
                return company
        return None

    def _previous_company(self, item: _Item, skip: str) -> str | None:
        return next((c for c in reversed(item.companies) if c != skip), None)

    def _next_sentence_people(self, verb: Token, index: int, item: _Item) -> list[_Person]:
        """ "X hired three people from DeepMind. A, B and C announced ...": the names of the
        next sentence's subject when the object is a number of unnamed people."""
        objects = [
            c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN" and c.tag_ == "NNS"
        ]
        if not objects or index + 1 >= len(item.sentences) or sent_ends_question(verb):
            return []
        nxt = item.sentences[index + 1]
        if self.veto(nxt.text):
            return []
        people: list[_Person] = []
        for subject in _subjects(nxt.root):
            people.extend(self._people_from(subject, item))
        if not people:  # "They are A, B and C."
            for child in nxt.root.children:
                if child.dep_ in ("attr", "dobj"):
                    people.extend(self._people_from(child, item))
        return people

    def _mention(
        self,
        person: str,
        to: str,
        frm: str | None,
        verb: Token,
        sent: Span,
        rule: str,
        confidence: float,
    ) -> HireMention:
        if frm is None:
            frm = self._left_company(sent, to)
            if frm is not None:
                rule += "+left"
        elif self._coordinated(sent, frm):
            frm = None  # "after stints with Tesla and Apple": not one company left
            rule += "+several-before"
        return HireMention(
            person=HONORIFIC.sub("", person),
            to_company=to,
            from_company=frm,
            role=_role(verb),
            evidence=sent.text.strip(),
            confidence=confidence,
            rule=rule,
        )


# -- helpers ---------------------------------------------------------------------------------


def _word_class(token: Token) -> str:
    """A word's class for the learned model: which lexicon of moves or roles holds it."""
    lemma = _lemma(token)
    for name, words in (
        ("hire", HIRE),
        ("join", JOIN),
        ("leave", LEAVE),
        ("go", GO),
        ("background", BACKGROUND_VERBS),
        ("tenure", TENURE),
        ("company-noun", COMPANY_NOUNS),
        ("move-noun", MOVE_NOUNS),
    ):
        if lemma in words:
            return name
    if token.text in ROLE_WORDS or token.lower_ in ("ceo", "cto", "cfo", "coo", "founder"):
        return "role"
    if token.ent_type_ == "PERSON":
        return "person"
    return "other"


def _inflections(lemmas: Iterable[str]) -> set[str]:
    out = set()
    for lemma in lemmas:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        out |= {lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    return out


# Words a Title Case headline capitalises that are not names: its verbs and small words.
# Lowered, the headline parses as a sentence ("Jan Leike joins Anthropic after OpenAI
# departure"); every name keeps its capital.
HEADLINE_WORDS = frozenset(
    _inflections(TRIGGERS | {"leave", "quit", "exit", "poach", "hire", "tap", "name"})
    | {"left", "led", "ran", "took", "came", "went", "gone", "brought", "chose", "lost"}
    | {"after", "from", "for", "to", "as", "at", "in", "of", "with", "and", "amid", "over"}
    | {"into", "departure", "exit", "return", "reportedly", "officially", "finally"}
    | {"formally", "quietly", "now", "also", "back", "its", "his", "her", "their", "new"}
)


def _sentence_case(title: str) -> str:
    """A Title Case headline with its verbs and small words lowered (all but the first)."""
    words = [w for w in re.findall(r"[A-Za-z]{4,}", title)]
    if len(words) < 3 or sum(w[0].isupper() for w in words) < 0.7 * len(words):
        return title
    return re.sub(
        r"(?<=\s)[A-Z][a-z]+\b",
        lambda m: m.group(0).lower() if m.group(0).lower() in HEADLINE_WORDS else m.group(0),
        title,
    )


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()


def _replace(mention: HireMention, **changes: object) -> HireMention:
    from dataclasses import replace

    return replace(mention, **changes)  # type: ignore[arg-type]


def _lemma(token: Token) -> str:
    lemma = token.lemma_.casefold()
    if lemma == "re-join":
        return "rejoin"
    if token.pos_ == "NOUN" and lemma in NOMINAL_HIRES:
        return NOMINAL_HIRES[lemma]  # "announced the hiring of Jan Leike"
    if token.text[:1].isupper() and lemma not in TRIGGERS:
        # Title Case headlines ("Shazeer Rejoins Google") leave verbs unlemmatised.
        word = token.lower_
        for cut in ("", "s", "es", "d", "ed", "ing"):
            if cut and not word.endswith(cut):
                continue
            base = word[: len(word) - len(cut)] if cut else word
            for candidate in (base, base + "e"):
                if candidate in TRIGGERS:
                    return candidate
    return lemma


def _title_word(token: Token) -> bool:
    text = token.text
    return bool(NAME_TOKEN.match(text)) and not (len(text) > 1 and text.isupper())


def _namey(token: Token) -> bool:
    text = token.text
    if (
        not NAME_TOKEN.match(text)
        or text in NOT_NAMES
        or text in NOT_NAME_WORDS
        or (len(text) > 1 and text.isupper())
    ):
        return False
    if token.ent_type_ == "PERSON" and token.ent_iob_ == "I":
        return True  # "Ethan He"
    if token.pos_ == "PRON" or token.lower_ in PRONOUNS | {"it", "we", "i"}:
        # "Ethan He": a surname that is also a pronoun, after a first name
        return (
            token.i > 0
            and token.nbor(-1).ent_type_ == "PERSON"
            and token.nbor(-1).head.i == token.i
        )
    return True


def _hedged_above(token: Token) -> bool:
    """ "it would take quite the offer to lure Petersen away": a verb the move hangs from is
    hedged or denied, so the move is not stated."""
    for above in token.ancestors:
        if above.pos_ not in ("VERB", "AUX"):
            continue
        if any(
            c.dep_ in ("aux", "neg") and c.lower_ in HEDGES | {"not", "n't", "never"}
            for c in above.children
        ):
            # "announced he would leave to join Anthropic" reports a decision
            return _lemma(above.head) not in ANNOUNCE

    return False


def _names_new_role(verb: Token) -> bool:
    """The verb's object is a new role with a person in apposition: "a new CEO, A"."""
    for obj in verb.children:
        if obj.dep_ != "dobj" or not (
            obj.text in ROLE_WORDS or obj.text.capitalize() in ROLE_WORDS
        ):
            continue
        if any(c.lower_ == "new" for c in obj.children) and any(
            c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in obj.children
        ):
            return True
    return False


def _titled(person: _Person) -> bool:
    """A role word right before the name: "CTO Rocky Duan", "Chief Scientist Pieter Abbeel"."""
    start = person.span.start
    return start > 0 and person.span.doc[start - 1].text in ROLE_WORDS


def _after_preposition(token: Token) -> bool:
    """ "at/of/from/with" shortly before ``token``, with only a description of the company
    between ("of luxury fashion house Yves Saint Laurent")."""
    doc = token.doc
    for i in range(token.i - 1, max(-1, token.i - 6), -1):
        if doc[i].lower_ in ("at", "of", "from", "with"):
            return True
        if i < token.i - 2 and doc[i].pos_ not in ("NOUN", "ADJ", "PROPN", "DET"):
            return False
    return False


def sent_ends_question(token: Token) -> bool:
    return token.sent.text.rstrip().endswith("?")


def _title_case(sent: Span) -> bool:
    """A Title Case headline: most words of four letters or more are capitalised."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.is_title for t in words) >= 0.7 * len(words)


def _joined_or_left(token: Token) -> bool:
    """Object of "join"/"leave" whose subject is a person: a place of work the small model
    took for a name ("Kenyon left Manchester United to join Chelsea")."""
    verb = token.head
    if token.dep_ != "dobj" or _lemma(verb) not in JOIN | LEAVE:
        return False
    return any(s.ent_type_ == "PERSON" for s in _subjects(verb))


def _in_move_role(token: Token) -> bool:
    """Subject of a verb of moving (or of announcing one), or object of a verb of hiring
    ("hired A", "a significant hire in A")."""
    head = token.head
    lemma = _lemma(head)
    if token.dep_ in ("nsubj", "nsubjpass"):
        if lemma in JOIN | LEAVE | GO | {"become"}:
            return True
        return lemma in ANNOUNCE and any(
            _lemma(c) in JOIN | LEAVE | GO | MOVE_NOUNS
            for c in head.children
            if c.dep_ in ("dobj", "ccomp", "xcomp")
        )
    if token.dep_ == "pobj" and head.lower_ == "in" and _lemma(head.head) in HIRE:
        return True
    return token.dep_ in ("dobj", "appos") and lemma in HIRE


def _inside_commas(token: Token, span: Span) -> bool:
    """Whether the token sits in a comma-delimited aside of the span."""
    before = [t for t in span if t.i < token.i and t.text == ","]
    after = [t for t in span if t.i > token.i and t.text == ","]
    return bool(before) and bool(after)


def _ent_of(token: Token) -> Span | None:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _subjects(verb: Token) -> list[Token]:
    """The verb's subject, inherited from the governing verb for "to join", "and joined"."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            break
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects
        if current.dep_ in ("xcomp", "conj", "advcl") and current.head.i != current.i:
            current = current.head
        else:
            break
    return []


def _path(token: Token, top: Token) -> list[Token] | None:
    """The tokens from ``token`` up to (not including) ``top``; None when not below it."""
    path = []
    current = token
    while current.i != top.i:
        path.append(current)
        if current.head.i == current.i:
            return None
        current = current.head
    return path


def _role(verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "as":
            words = [t.text for t in child.subtree][1:]
            if 0 < len(words) <= 8:
                return " ".join(words)
    return None
