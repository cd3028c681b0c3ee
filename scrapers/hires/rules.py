"""Rule-based hire extraction: sentence templates over known company names and personal names.

Each sentence of the title and summary is checked against vetoes first (rumours, hiring plans,
layoffs, acquisitions, promotions, board seats), then against templates such as
"{to} hires {people} from {from}". A mention needs a named person and a known company to join;
the company left is optional. Every mention carries the sentence and the rule that matched.

Companies missing from the alias table are accepted where the sentence structure makes them
unambiguous (a capitalised name in a company slot of a template), but only when the other side
of the move is a known company or the name itself reads as a company ("Sakana AI", "Foo Labs");
such mentions carry less confidence and the rule name says "+unlisted". A template that alone
could describe an internal appointment ("Y named CEO of X") only yields a hire when another
sentence names the company the person came from ("+context-from").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.hires.aliases import LEGAL_SUFFIX, AliasTable
from scrapers.hires.models import HireMention
from scrapers.normalize.text import html_to_text

# Words that start with a capital letter but are never part of a personal name here.
NOT_NAMES = frozenset(
    re.findall(
        r"\S+",
        (
            "The A An His Her Its Their This That These Those Former Ex Head Chief Vice President "
            "Director Senior Principal Lead Staff Engineer "
            "Engineers Scientist Scientists Researcher "
            "Researchers Research Officer Manager General "
            "Partner Fellow Founder Co Cofounder CEO CTO "
            "Distinguished Technical Member Members Team Group Labs Lab Inc Corp Company Startup "
            "Veteran Alum Professor Dr Mr Ms Mrs Sir Exclusive Report Breaking Update News Today "
            "Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
            "March April May June July August September "
            "October November December Silicon Valley San "
            "Francisco New York London Paris Beijing Seattle AI Machine Learning Product Design "
            "Engineering Safety Policy Superintelligence Robotics Models Model Infrastructure "
            "Hardware Software Applied Deep Who After As At For From In Of On To With And But Also "
            "Meanwhile Sources Exec Executive "
        ),
    )
)

HIRE_VERBS = (
    r"hires|hired|has hired|poaches|poached|has poached|taps|tapped|recruits|"
    r"recruited|lands|landed|nabs|nabbed|snags|snagged|adds|added|lures|lured|"
    r"brings on|brought on|welcomes|welcomed|picks up|scoops up|has brought on|"
    r"has added|has tapped|has lured|has recruited|has landed|has snagged|has nabbed|"
    r"brings in|brought in|has brought in"
)
NAME_VERBS = (
    r"appoints|appointed|has appointed|names|named|has named|taps|tapped|hires|hired|"
    r"has hired|recruits|recruited|has recruited|welcomes|welcomed"
)
JOIN_VERBS = (
    r"joins|joined|has joined|is joining|will join|to join|moves to|moved to|heads to|"
    r"jumps to|jumped to|jumps ship to|defects to|is headed to|lands at|returns to|"
    r"comes to|came to|is coming to|is moving to|will move to|has moved to|"
    r"is heading to|has landed at"
)
LEAVE_VERBS = (
    r"leaves|left|has left|departs|departed|has departed|quits|has quit|exits|"
    r"has exited|is leaving|ditches"
)
FORMERLY = (
    r"(?:formerly|previously|most recently|until recently|late)\s+(?:of|at|with)|"
    r"who (?:previously |most recently |until recently )?"
    r"(?:led|worked|was|spent|ran|headed|built|managed|oversaw)"
    r"[^,]{0,60}?\s+(?:at|on|with)|a former|an ex-|ex-|a longtime|a onetime|"
    r"a one-time|a veteran|an? (?:[\w\-]+ )?(?:alum|alumnus|alumna|veteran) of"
)
BACKGROUND = (
    r"veteran|alum|alumna|alumnus|co-?founder|researcher|scientist|engineer|executive|"
    r"exec|leader|lead|chief|head|director|VP|CTO|CEO"
)
LEAD_VERBS = (
    r"to lead|to head|to run|joins|heads to|moves to|to join|is joining|lands at|"
    r"jumps to|departs for|leaves for|exits for|heads for|is moving to|comes to|"
    r"is leaving for|has joined|joined|will join|is heading to|quits for|"
    r"has departed for|departed for|has left for|left for|returns to|is returning to|"
    r"rejoins|has rejoined|defects to|has defected to|jumps ship to"
)
# The last word of a name that reads as a company even when the alias table does not know it.
COMPANY_WORDS = frozenset(
    re.findall(
        r"\S+",
        (
            "AI Labs Lab Technologies Robotics Systems "
            "Computing Intelligence Research Bio Therapeutics "
            "Semiconductor Semiconductors Networks Software "
            "Dynamics Motors Studios Inc Corp Company"
        ),
    )
)
# Capitalised words that never start or continue an unlisted company name.
NOT_COMPANY = frozenset(
    re.findall(
        r"\S+",
        (
            "The A An His Her Its Their This That These Those Former Ex Head Chief Vice President "
            "Director Senior Principal Lead Staff Engineer Scientist Researcher Officer Manager "
            "Partner Fellow Founder Co Cofounder CEO CTO COO CFO CPO VP SVP EVP Exclusive Report "
            "Breaking Update News Today Yesterday Monday "
            "Tuesday Wednesday Thursday Friday Saturday "
            "Sunday January February March April May June July August September October November "
            "December Who After As At For From In Of On "
            "To With And But Also Meanwhile Sources Exec "
            "Executive Why How What When Where Here Series Longtime Veteran Top Star Legendary "
            "Prominent Famed Noted Respected Celebrated Interim Acting Outgoing Incoming Founding "
            "Deputy"
        ),
    )
)

# Sentences of these kinds never announce a hire, whatever else they say.
VETOES: dict[str, str] = {
    "rumour": (
        r"\bin (?:advanced |early )?talks\b|\brumou?r|\breportedly (?:considering|"
        r"weighing|exploring|nearing|courting)|\b(?:could|may|might) (?:join|hire|poach)|"
        r"\bis said to\b|\bconsidering (?:hiring|joining)|\beyeing\b|\bcourting\b|"
        r"\b(?:tried|attempt(?:ed|s|ing)?|failed) to (?:hire|poach|lure)|"
        r"\bin discussions?\b|\b(?:in|entered|entering|amid|after) (?:\w+ )?negotiations\b|"
        r"\bnegotiat(?:ing|es|ed) (?:with|to|for|a|an|the)\b|\bpursu(?:ing|ed)\b"
    ),
    "plan": (
        r"\b(?:will|plans? to|planning to|looking to|aims? to|wants? to|set to|expects to) "
        r"hire\b|\bhiring (?:spree|push|plans?|freeze|for)\b|"
        r"\b(?:is|are|we're|we are) hiring\b|\bjob (?:openings?|ads?|posting|listings?)\b|"
        r"\bapply now\b|\bopen roles?\b|\bto hire (?:hundreds|thousands|dozens|more|\d)"
    ),
    "layoff": (
        r"\blay(?:s|ing)? off\b|\blaid off\b|\blayoffs?\b|\bjob cuts\b|"
        r"\bcuts? \d[\d,]* (?:jobs|staff|employees|roles)|\bredundanc|\bdownsiz"
    ),
    "acquisition": (
        # a company bought, not "to acquire content" or "acquired skills"
        r"\bacquir(?:es|ed|ing|e)\s+(?:(?-i:[A-Z0-9])|(?:the|a|an|its|his|her|their)\s+"
        r"(?:\w+\s+)?(?:company|startup|start-up|firm|lab|business|rival|maker|stake)|"
        r"by\b)|\bacquisition\b|\bbuys\b|\bbought\b|"
        r"\bmerg(?:er|es)\b|\bacqui-?hire|\btakeover\b|\bpart of the deal\b|"
        r"\bpurchase of\b|\bbuyout\b"
    ),
    "promotion": (
        r"\bpromot(?:ed|es|ion|ing)\b|\belevat(?:ed|es|ing)\b|\bsteps up\b|"
        r"\binternal(?:ly)? (?:promot|candidate|hire|move|appoint|transfer|shake|"
        r"change|pick|choice|successor)|\bfrom within\b|"
        r"\bsucceeds?\b|\breshuffle|\breorgani[sz]"
    ),
    "board": r"\bboard\b|\badvis(?:e|es|ing|ors?|ory|ers?)\b|\bdirectors\b",
    "finance": (
        r"\bfunding round\b|\bSeries [A-H]\b|\b(?:raises|raised) \$|\bIPO\b|"
        r"\bexplore (?:a )?sale\b|\b(?:potential|possible) sale\b|\bbankers\b|"
        r"\binvestors?\b"
    ),
    "appearance": (
        r"\bon stage\b|\bpanel\b|\bpodcast\b|\bfireside\b|\bkeynote\b|"
        r"\binterview\b|\bsummit\b|\bconference\b"
    ),
}
# Verbs of travel as much as of moving jobs: not enough to accept an unlisted destination.
TRAVEL = re.compile(r"\b(?:heads|heading|headed) (?:to|for)\b")


@dataclass(frozen=True)
class _Template:
    rule: str
    pattern: re.Pattern[str]
    confidence: float
    needs_from: bool = False  # only a hire when the company left is named somewhere


def _sentences(text: str) -> list[str]:
    parts = re.split(
        r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bInc\.)(?<!\bCorp\.)(?<!\bLtd\.)"
        r"\s+(?=[A-Z\"\u201c\u2018'])|\n+",
        text,
    )
    return [p.strip() for p in parts if p and p.strip()]


class RuleExtractor:
    """Explainable extraction; ``aliases`` decides which names are companies."""

    def __init__(self, aliases: AliasTable, context: bool = True) -> None:
        self.aliases = aliases
        # Whether other sentences are searched for the company left (compiles per person).
        self.context = context
        known = rf"(?:{aliases.pattern()})(?![\w])" if aliases.spellings else r"(?!x)x"
        not_co = "|".join(sorted(NOT_COMPANY, key=len, reverse=True))
        word = rf"(?!(?:{not_co})\b|{known})[A-Z][\w&\-]*(?:\.[A-Za-z]+)?"
        unlisted = rf"(?:The\s+)?{word}(?:\s+{word}){{0,2}}"
        company = rf"(?:{known}|{unlisted})(?:{LEGAL_SUFFIX}(?![\w-]))?"
        stop = "|".join(sorted({*NOT_NAMES, *aliases.words()}, key=len, reverse=True))
        name = rf"(?!(?:{stop})\b)[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'\u2019\-]*[a-zß-öø-ÿ]"
        initial = r"(?:[A-Z]\.\s+)?"
        person = (
            rf"{name}(?:\s+{initial}(?:(?:de|van|von|der|da|del|la|le|al|bin)\s+)?"
            rf"{name}){{1,2}}"
        )
        self._person = re.compile(rf"^{person}$")
        self._company = company
        people = rf"{person}(?:\s*,\s*{person})*(?:\s*,?\s+and\s+{person})?"
        slots = {
            "TO": rf"(?P<to>{company})",
            "FROM": rf"(?P<frm>{company})",
            "P": rf"(?P<people>{people})",
            "R": r"(?P<role>[\w\-/&\u2019' ]{1,80}?)",
            "POSS": r"(?:'s|\u2019s)?",
            # "Anysphere, which makes Cursor, hired ..." / "Harvey, the legal AI startup, hires"
            "APP": r"(?:,\s+(?:which|the|a|an)\b[^,]{1,60},)?",
            "END": (
                r"(?=\s*(?:[,.;:!?)(\"\u201d]|$|\s(?:as|to|from|and|who|in|for|after|on|"
                r"is|has|will|joins|joined|with|at|following|last|this|earlier|recently|"
                r"today|yesterday|amid|its|their)\b))"
            ),
        }
        hire, name_, join = f"(?:{HIRE_VERBS})", f"(?:{NAME_VERBS})", f"(?:{JOIN_VERBS})"
        leave, formerly = f"(?:{LEAVE_VERBS})", f"(?:{FORMERLY})"
        former = r"(?:[Ff]ormer\s+|[Ee]x-)"
        specs = [
            (
                "hire-from-possessive",
                0.92,
                r"{TO}{APP}\s+" + hire + r"\s+" + former + r"?{FROM}{POSS}\s+(?:{R}\s+)??{P}{END}",
            ),
            (
                "hire-people-from",
                0.92,
                r"{TO}{APP}\s+" + hire + r"\s+(?:{R}\s+)??{P}\s+(?:away\s+)?from\s+{FROM}",
            ),
            (
                "hire-count-from-then-people",
                0.88,
                r"{TO}{APP}\s+" + hire + r"\s+(?:(?:two|three|four|five|six|several|\d+)\s+)?"
                r"{FROM}{POSS}\s+{R}\s*(?:,|:|\u2014|\u2013)\s*{P}{END}",
            ),
            (
                "hire-role-from-then-people",
                0.88,
                r"{TO}{APP}\s+"
                + hire
                + r"\s+(?:{R}\s+)??from\s+{FROM}\s*(?:,|:|\u2014|\u2013|-)\s*"
                r"{P}{END}",
            ),
            (
                "appoint-formerly",
                0.9,
                r"{TO}\s+(?:" + name_ + "|" + hire + r")\s+{P},?\s+" + formerly + r"\s+{FROM}",
            ),
            (
                "formerly-joins",
                0.9,
                r"{P},?\s+" + formerly + r"\s+{FROM}(?:[^,]{0,60})?,?\s+" + join + r"\s+{TO}",
            ),
            (
                "joins-from",
                0.9,
                r"{P}\s+" + join + r"\s+{TO}(?:{POSS}\s+[\w\- ]{1,60}?)?\s+"
                r"(?:as\s+[^,.]{1,80}?\s+)?(?:from|after (?:\w+ )?(?:years|months|a \w+) at|"
                r"following (?:a )?[^,.]{0,40}?at)\s+{FROM}",
            ),
            (
                "leaves-for",
                0.9,
                r"{P}\s+" + leave + r"\s+{FROM}(?:\s+(?:for|to join|to head to|and joins|to lead|"
                r"and (?:has )?joined|and is joining|"
                r"and will join)|\s*,\s*(?:joins|to join))\s+{TO}",
            ),
            (
                "background-to-lead-at",
                0.85,
                former + r"?{FROM}{POSS}\s+(?:[\w\- ]{0,40}?\s)?(?:" + BACKGROUND + r")s?\s+{P}\s+"
                r"(?:to lead|to head|to run|will lead|will head|will run)\s+[\w\- ]{1,40}?"
                r"\s+at\s+{TO}",
            ),
            (
                "background-to-lead",
                0.85,
                former
                + r"?{FROM}{POSS}\s+(?:[\w\- ]{0,40}?\s)?(?:"
                + BACKGROUND
                + r")s?\s+{P}\s+(?:"
                + LEAD_VERBS
                + r")\s+{TO}",
            ),
            (
                "former-role-joins",
                0.85,
                r"(?:[Ff]ormer|[Ee]x-)\s*{FROM}\s+(?:{R}\s+)??{P}\s+" + join + r"\s+{TO}",
            ),
            (
                "hire-ex",
                0.85,
                r"{TO}\s+(?:" + hire + "|" + name_ + r")\s+(?:[Ff]ormer|[Ee]x-)\s*{FROM}\s+"
                r"(?:{R}\s+)??{P}{END}",
            ),
            (
                "possessive-joins",
                0.85,
                r"{FROM}(?:'s)\s+(?:{R}\s+)??{P}\s+(?:" + LEAD_VERBS + r")\s+{TO}",
            ),
            (
                "moves-from-to",
                0.88,
                r"{P}\s+(?:moves|moved|switches|switched|jumps|jumped)\s+from\s+{FROM}\s+to\s+{TO}",
            ),
            # No company left is named: still an announced hire, with less certainty. Only
            # hire/join verbs: "names"/"appoints" alone is usually an internal appointment.
            ("joins", 0.7, r"{P}\s+(?:joins|has joined|joined|is joining|will join)\s+{TO}"),
            ("hires", 0.7, r"{TO}{APP}\s+" + hire + r"\s+(?:{R}\s+)??{P}{END}"),
        ]
        # Appointments that could be internal: kept only with the previous company named.
        context_specs = [
            (
                "named-role",
                0.75,
                r"{P},?\s+(?:has been\s+|was\s+|is\s+)?(?:named|appointed|tapped as)\s+(?:as\s+)?"
                r"(?:the\s+)?(?:new\s+)?{R}\s+(?:of|at)\s+{TO}",
            ),
            (
                "names-as-role",
                0.75,
                r"{TO}\s+" + name_ + r"\s+{P}\s+(?:as\s+)?(?:its\s+)?(?:new\s+)?{R}{END}",
            ),
        ]
        self.templates = [
            _Template(rule, re.compile(_fill(spec, slots)), confidence)
            for rule, confidence, spec in specs
        ] + [
            _Template(rule, re.compile(_fill(spec, slots)), confidence, needs_from=True)
            for rule, confidence, spec in context_specs
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
            for mention in self._sentence(sentence, sentences):
                key = (mention.person.casefold(), mention.to_company)
                known = found.get(key)
                if known is None or (known.from_company is None and mention.from_company):
                    found[key] = mention
        return list(found.values())

    def _sentence(self, sentence: str, context: list[str]) -> list[HireMention]:
        clean = sentence.replace("\u2019", "'")
        for template in self.templates:
            position = 0
            # A rejected match may hide a good one starting inside it, so search on from its
            # second character rather than from its end.
            while (match := template.pattern.search(clean, position)) is not None:
                mentions = self._mentions(match, template, sentence, context)
                if mentions:
                    return mentions
                position = match.start() + 1
        return []

    def _listed(self, name: str) -> bool:
        return self.aliases.known(name)

    def _plausible_company(self, name: str) -> bool:
        """A listed company, or an unlisted name that is neither a person's name nor made only
        of generic words ("AI", "Labs")."""
        if self._listed(name):
            return True
        words = name.replace(".", " ").split()
        return not self._person.match(name) and not all(w in COMPANY_WORDS for w in words)

    def _article(self, name: str) -> str:
        """ "The" belongs to an unlisted name only when the name reads as a company
        ("The Browser Company"); otherwise it is the sentence's article."""
        if name.startswith("The ") and not (self._listed(name) or self._reads_as_company(name)):
            return name[4:]
        return name

    def _reads_as_company(self, name: str) -> bool:
        words = name.replace(".", " ").split()
        return bool(words) and words[-1] in COMPANY_WORDS

    def context_from(self, person: str, to: str, context: list[str]) -> str | None:
        """The company a person came from, when another sentence says where they were before:
        "Ibanez, who led developer tools at GitHub, ..." / "Tanaka spent nine years at Netflix"."""
        names = "|".join(re.escape(n) for n in {person, person.split()[-1]})
        pattern = re.compile(
            rf"\b(?:{names})\b(?:'s|,)?\s+(?:who\s+)?(?:has\s+|had\s+)?"
            r"(?:previously\s+|most recently\s+|formerly\s+|until recently\s+)?"
            r"(?:led|ran|headed|built|managed|oversaw|worked|was|spent|comes from|joins from)"
            rf"\b[^.;]{{0,60}}?\s(?:at|of|with|in|from)\s+(?P<frm>{self._company})"
        )
        # "After eight years at Amazon, Grace Kim is joining Anthropic" (the hire's sentence)
        tenure = re.compile(
            rf"\b(?:[Aa]fter|[Ff]ollowing)\s+(?:a\s+|an\s+)?(?:[\w\-]+\s+){{0,3}}?"
            rf"(?:years?|months?|decades?|stint|tenure|run)\s+(?:at|with)\s+(?P<frm>{self._company})"
            rf"[^.;]{{0,40}}?\b(?:{names})\b"
        )
        # "Cursor poaches two engineers from Replit", naming the people in another sentence
        unnamed = re.compile(
            rf"(?P<to>{self._company}){{APP}}\s+(?:{HIRE_VERBS})\s+(?:[\w\-]+\s+){{0,4}}?"
            rf"(?:away\s+)?from\s+(?P<frm>{self._company})".replace(
                "{APP}", r"(?:,\s+(?:which|the|a|an)\b[^,]{1,60},)?"
            )
        )
        for sentence in context:
            if self.veto(sentence):
                continue
            clean = sentence.replace("\u2019", "'")
            for match in [
                *pattern.finditer(clean),
                *tenure.finditer(clean),
                *(m for m in unnamed.finditer(clean) if self.aliases.resolve(m.group("to")) == to),
            ]:
                frm = match.group("frm")
                if self._listed(frm) and self.aliases.resolve(frm) != to:
                    return self.aliases.resolve(frm)
        return None

    def _mentions(
        self, match: re.Match[str], template: _Template, sentence: str, context: list[str]
    ) -> list[HireMention]:
        groups = match.groupdict()
        raw_to, raw_frm = self._article(groups["to"]), groups.get("frm")
        raw_frm = self._article(raw_frm) if raw_frm else None
        to = self.aliases.resolve(raw_to)
        frm = self.aliases.resolve(raw_frm) if raw_frm else None
        if frm == to:
            return []  # a move inside one company is a promotion, not a hire
        names = [raw_to, *([raw_frm] if raw_frm else [])]
        if not all(self._plausible_company(n) for n in names):
            return []
        # "joins OpenAI's Sam Altman at ..." joins a person, not the company.
        after_to = ("'s" if match.group("to").endswith("'s") else "") + match.string[
            match.end("to") :
        ]
        possessed = re.match(r"'s\s+(\S+\s+\S+)", after_to)
        if possessed and self._person.match(possessed.group(1).rstrip(",.;:")):
            return []
        if (
            not self._listed(raw_to)
            and not self._reads_as_company(raw_to)
            and TRAVEL.search(match.group(0))
        ):
            return []
        unlisted = not all(self._listed(n) for n in names)
        # An unlisted company needs support: a listed company on the other side of the move,
        # or a name that reads as a company.
        if unlisted and not (
            any(self._listed(n) for n in names) or any(self._reads_as_company(n) for n in names)
        ):
            return []
        role = (groups.get("role") or "").strip(" ,") or None
        people = [p.strip() for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", groups["people"])]
        people = [p for p in people if self._person.match(p)]
        rule, confidence = template.rule, template.confidence
        if unlisted:
            rule, confidence = f"{rule}+unlisted", round(confidence * 0.85, 3)
        mentions = []
        for person in people:
            person_frm, person_rule = frm, rule
            if person_frm is None:
                person_frm = self.context_from(person, to, context) if self.context else None
                if person_frm is not None:
                    person_rule = f"{rule}+context-from"
            if template.needs_from and person_frm is None:
                continue
            mentions.append(
                HireMention(
                    person=person,
                    to_company=to,
                    from_company=person_frm,
                    role=role,
                    evidence=sentence,
                    confidence=confidence,
                    rule=person_rule,
                )
            )
        return mentions


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
