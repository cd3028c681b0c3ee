"""Rule-based hire extraction: sentence templates over known company names and personal names.

Each sentence of the title and summary is checked against vetoes first (rumours, hiring plans,
layoffs, acquisitions, promotions, board seats), then against templates such as
"{to} hires {people} from {from}". A mention needs a named person and a known company to join;
the company left is optional. Every mention carries the sentence and the rule that matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.hires.aliases import AliasTable
from scrapers.hires.models import HireMention
from scrapers.text import html_to_text

# Words that start with a capital letter but are never part of a personal name here.
NOT_NAMES = frozenset(re.findall(r"\S+", (
    "The A An His Her Its Their This That These Those Former Ex Head Chief Vice President "
    "Director Senior Principal Lead Staff Engineer Engineers Scientist Scientists Researcher "
    "Researchers Research Officer Manager General Partner Fellow Founder Co Cofounder CEO CTO "
    "Distinguished Technical Member Members Team Group Labs Lab Inc Corp Company Startup "
    "Veteran Alum Professor Dr Mr Ms Mrs Sir Exclusive Report Breaking Update News Today "
    "Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
    "March April May June July August September October November December Silicon Valley San "
    "Francisco New York London Paris Beijing Seattle AI Machine Learning Product Design "
    "Engineering Safety Policy Superintelligence Robotics Models Model Infrastructure "
    "Hardware Software Applied Deep Who After As At For From In Of On To With And But Also "
    "Meanwhile Sources Exec Executive "
)))

HIRE_VERBS = (r"hires|hired|has hired|poaches|poached|has poached|taps|tapped|recruits|"
              r"recruited|lands|landed|nabs|nabbed|snags|snagged|adds|added|lures|lured|"
              r"brings on|brought on|welcomes|welcomed|picks up|scoops up")
NAME_VERBS = (r"appoints|appointed|has appointed|names|named|has named|taps|tapped|hires|hired|"
              r"has hired|recruits|recruited|has recruited|welcomes|welcomed")
JOIN_VERBS = (r"joins|joined|has joined|is joining|will join|to join|moves to|moved to|heads to|"
              r"jumps to|jumped to|jumps ship to|defects to|is headed to|lands at|returns to")
LEAVE_VERBS = r"leaves|left|has left|departs|departed|quits|exits|is leaving|ditches"
FORMERLY = (r"(?:formerly|previously|most recently|until recently|late)\s+(?:of|at|with)|"
            r"who (?:previously |most recently |until recently )?(?:led|worked|was|spent)"
            r"[^,]{0,60}?\s+at|a former|an ex-|ex-")
BACKGROUND = (r"veteran|alum|alumna|alumnus|co-?founder|researcher|scientist|engineer|executive|"
              r"exec|leader|lead|chief|head|director|VP|CTO|CEO")
LEAD_VERBS = (r"to lead|to head|to run|joins|heads to|moves to|to join|is joining|lands at|"
              r"jumps to|departs for|leaves for|exits for|heads for")

# Sentences of these kinds never announce a hire, whatever else they say.
VETOES: dict[str, str] = {
    "rumour": (r"\bin (?:advanced |early )?talks\b|\brumou?r|\breportedly (?:considering|"
               r"weighing|exploring|nearing|courting)|\b(?:could|may|might) (?:join|hire|poach)|"
               r"\bis said to\b|\bconsidering (?:hiring|joining)|\beyeing\b|\bcourting\b|"
               r"\b(?:tried|attempt(?:ed|s|ing)?|failed) to (?:hire|poach|lure)|"
               r"\bin discussions?\b|\bnegotiat|\bpursu(?:ing|ed)\b"),
    "plan": (r"\b(?:will|plans? to|planning to|looking to|aims? to|wants? to|set to|expects to) "
             r"hire\b|\bhiring (?:spree|push|plans?|freeze|for)\b|"
             r"\b(?:is|are|we're|we are) hiring\b|\bjob (?:openings?|ads?|posting|listings?)\b|"
             r"\bapply now\b|\bopen roles?\b|\bto hire (?:hundreds|thousands|dozens|more|\d)"),
    "layoff": (r"\blay(?:s|ing)? off\b|\blaid off\b|\blayoffs?\b|\bjob cuts\b|"
               r"\bcuts? \d[\d,]* (?:jobs|staff|employees|roles)|\bredundanc|\bdownsiz"),
    "acquisition": (r"\bacquir(?:es|ed|ing|e)\b|\bacquisition\b|\bbuys\b|\bbought\b|"
                    r"\bmerg(?:er|es)\b|\bacqui-?hire|\btakeover\b|\bpart of the deal\b"),
    "promotion": (r"\bpromot(?:ed|es|ion|ing)\b|\belevat(?:ed|es|ing)\b|\bsteps up\b|"
                  r"\binternal\b|\bsucceeds?\b|\breshuffle|\breorgani[sz]"),
    "board": r"\bboard\b|\badvis(?:or|ory)\b|\bdirectors\b",
}


@dataclass(frozen=True)
class _Template:
    rule: str
    pattern: re.Pattern[str]
    confidence: float


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"\u201c\u2018'])|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]


class RuleExtractor:
    """Explainable extraction; ``aliases`` decides which names are companies."""

    def __init__(self, aliases: AliasTable) -> None:
        self.aliases = aliases
        company = rf"(?:{aliases.pattern()})(?![\w])"
        stop = "|".join(sorted({*NOT_NAMES, *aliases.words()}, key=len, reverse=True))
        name = rf"(?!(?:{stop})\b)[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'\u2019\-]*[a-zß-öø-ÿ]"
        person = rf"{name}(?:\s+(?:(?:de|van|von|der|da|del|la|le|al|bin)\s+)?{name}){{1,2}}"
        self._person = re.compile(rf"^{person}$")
        people = rf"{person}(?:\s*,\s*{person})*(?:\s*,?\s+and\s+{person})?"
        slots = {
            "TO": rf"(?P<to>{company})", "FROM": rf"(?P<frm>{company})",
            "P": rf"(?P<people>{people})",
            "R": r"(?P<role>[\w\-/&\u2019' ]{1,80}?)",
            "POSS": r"(?:'s|\u2019s)?",
            "END": (r"(?=\s*(?:[,.;:!?)(\"\u201d]|$|\s(?:as|to|from|and|who|in|for|after|on|"
                    r"is|has|will|joins|joined|with|at|following)\b))"),
        }
        hire, name_, join = f"(?:{HIRE_VERBS})", f"(?:{NAME_VERBS})", f"(?:{JOIN_VERBS})"
        leave, formerly = f"(?:{LEAVE_VERBS})", f"(?:{FORMERLY})"
        former = r"(?:[Ff]ormer\s+|[Ee]x-)"
        specs = [
            ("hire-from-possessive", 0.92,
             r"{TO}\s+" + hire + r"\s+" + former + r"?{FROM}{POSS}\s+(?:{R}\s+)??{P}{END}"),
            ("hire-people-from", 0.92,
             r"{TO}\s+" + hire + r"\s+(?:{R}\s+)??{P}\s+(?:away\s+)?from\s+{FROM}"),
            ("hire-role-from-then-people", 0.88,
             r"{TO}\s+" + hire + r"\s+(?:{R}\s+)??from\s+{FROM}\s*(?:,|:|\u2014|\u2013|-)\s*"
             r"{P}{END}"),
            ("appoint-formerly", 0.9,
             r"{TO}\s+" + name_ + r"\s+{P},?\s+" + formerly + r"\s+{FROM}"),
            ("formerly-joins", 0.9,
             r"{P},?\s+" + formerly + r"\s+{FROM}(?:[^,]{0,60})?,?\s+" + join + r"\s+{TO}"),
            ("joins-from", 0.9,
             r"{P}\s+" + join + r"\s+{TO}(?:{POSS}\s+[\w\- ]{1,60}?)?\s+"
             r"(?:as\s+[^,.]{1,80}?\s+)?(?:from|after (?:\w+ )?(?:years|months|a \w+) at|"
             r"following (?:a )?[^,.]{0,40}?at)\s+{FROM}"),
            ("leaves-for", 0.9,
             r"{P}\s+" + leave + r"\s+{FROM}\s+(?:for|to join|to head to|and joins|to lead)"
             r"\s+{TO}"),
            ("background-to-lead", 0.85,
             former + r"?{FROM}\s+(?:[\w\- ]{0,40}?\s)?(?:" + BACKGROUND + r")s?\s+{P}\s+(?:"
             + LEAD_VERBS + r")\s+{TO}"),
            ("former-role-joins", 0.85,
             r"(?:[Ff]ormer|[Ee]x-)\s*{FROM}\s+(?:{R}\s+)??{P}\s+" + join + r"\s+{TO}"),
            ("hire-ex", 0.85,
             r"{TO}\s+(?:" + hire + "|" + name_ + r")\s+(?:[Ff]ormer|[Ee]x-)\s*{FROM}\s+"
             r"(?:{R}\s+)??{P}{END}"),
            ("moves-from-to", 0.88,
             r"{P}\s+(?:moves|moved|switches|switched|jumps|jumped)\s+from\s+{FROM}\s+to\s+{TO}"),
            # No company left is named: still an announced hire, with less certainty. Only
            # hire/join verbs: "names"/"appoints" alone is usually an internal appointment.
            ("joins", 0.7, r"{P}\s+(?:joins|has joined|joined|is joining|will join)\s+{TO}"),
            ("hires", 0.7, r"{TO}\s+" + hire + r"\s+(?:{R}\s+)??{P}{END}"),
        ]
        self.templates = [
            _Template(rule, re.compile(_fill(spec, slots)), confidence)
            for rule, confidence, spec in specs
        ]
        self.vetoes = {kind: re.compile(p, re.IGNORECASE) for kind, p in VETOES.items()}

    def veto(self, sentence: str) -> str | None:
        """Which kind of non-hire this sentence is, if any."""
        return next((kind for kind, p in self.vetoes.items() if p.search(sentence)), None)

    def extract(self, title: str, summary: str = "") -> list[HireMention]:
        found: dict[tuple[str, str], HireMention] = {}
        text = html_to_text(summary) if "<" in summary else summary
        sentences = [*_sentences(title), *_sentences(text)]
        # People who arrive with an acquired company are not hires, wherever the deal is named.
        if any(self.veto(s) == "acquisition" for s in sentences):
            return []
        for sentence in sentences:
            if self.veto(sentence):
                continue
            for mention in self._sentence(sentence):
                key = (mention.person.casefold(), mention.to_company)
                known = found.get(key)
                if known is None or (known.from_company is None and mention.from_company):
                    found[key] = mention
        return list(found.values())

    def _sentence(self, sentence: str) -> list[HireMention]:
        clean = sentence.replace("\u2019", "'")
        for template in self.templates:
            for match in template.pattern.finditer(clean):
                mentions = self._mentions(match, template, sentence)
                if mentions:
                    return mentions
        return []

    def _mentions(self, match: re.Match[str], template: _Template,
                  sentence: str) -> list[HireMention]:
        groups = match.groupdict()
        to = self.aliases.resolve(groups["to"])
        frm = self.aliases.resolve(groups["frm"]) if groups.get("frm") else None
        if frm == to:
            return []  # a move inside one company is a promotion, not a hire
        role = (groups.get("role") or "").strip(" ,") or None
        people = [p.strip() for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", groups["people"])]
        return [
            HireMention(person=p, to_company=to, from_company=frm, role=role,
                        evidence=sentence, confidence=template.confidence, rule=template.rule)
            for p in people if self._person.match(p)
        ]


def _fill(spec: str, slots: dict[str, str]) -> str:
    """Substitute the slots; a named group may appear only once, so later uses are unnamed."""
    used: set[str] = set()

    def sub(match: re.Match[str]) -> str:
        slot = match.group(1)
        value = slots[slot]
        if slot in used:
            value = re.sub(r"\(\?P<\w+>", "(?:", value)
        used.add(slot)
        return value

    return re.sub(r"\{(\w+)\}", sub, spec)
