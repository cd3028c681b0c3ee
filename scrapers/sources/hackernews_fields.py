"""What the parts of a "Who is hiring?" post mean.

The first line is loosely ``Company | Role(s) | Location | REMOTE | Full-time | $pay`` in any
order, sometimes with `` - ``, `` / ``, ``·`` or ``;`` instead of ``|``. Each field is sorted by
what it looks like: a role has a role noun ("Engineer", "SREs", "DevRel") at its head, a place is
a short run of capitalised names, a workplace or employment field is made only of such words.
When the header names no role, the body's role list (bullets, ``Role: link`` lines, an inline
"looking for: A - B - C") or, failing that, the role its prose says it is hiring is used.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass, field
from functools import cache

from scrapers.normalize import gazetteer
from scrapers.normalize.locations import COUNTRIES_FILE

_ROLE_NOUN = (
    r"engineers?|developers?|devs?|scientists?|researchers?|designers?|managers?|architects?|"
    r"analysts?|leads?|directors?|recruiters?|programmers?|specialists?|consultants?|"
    r"technicians?|administrators?|writers?|marketers?|hackers?|generalists?|interns?|"
    r"accountants?|owners?|executives?|representatives?|officers?|strategists?|operators?|"
    r"associates?|coordinators?|editors?|producers?|artists?|tinkerers?|physicists?|"
    r"mathematicians?|statisticians?|professionals?|quants?|advocates?|evangelists?|"
    r"partners?|heads?|founders?|co-?founders?|sres?|swes?|mles?|sdes?|devrel|cto|ceo|cfo|eng|"
    r"coo|cpo|vp|pm|pms|founding\s+team|leadership|journalists?|creators?|assistants?|"
    r"fellows?|residents?|auditors?|instructors?|trainers?|economists?|chemists?|biologists?|"
    r"nurses?|clinicians?|physicians?|attorneys?|lawyers?|counsel|planners?|buyers?|agents?|"
    r"csms?|bdrs?|sdrs?|tpms?|sdets?|qa|expert|rvp|svp|evp|testers?|postdocs?|"
    # the people the function and seniority titles of scrapers/data/taxonomy.toml name
    r"annotators?|apprentices?|chiefs?|ciso|cmo|controllers?|copywriters?|evaluators?|"
    r"illustrators?|labell?ers?|moderators?|paralegals?|presidents?|raters?|receptionists?|"
    r"sourcers?|students?|transcriptionists?|tutors?|fdes?"
)
_ROLE_WORD = re.compile(rf"\b(?:{_ROLE_NOUN})\b", re.IGNORECASE)
ROLE_WORD = _ROLE_WORD
# What may follow a role noun in a title: a qualifier, never a verb or a sentence.
_ROLE_TAIL = re.compile(
    r"^(?:$|\s+(?:positions?|roles?|openings?)\s*$|[\s,:;(\[\-\u2013\u2014/&+]|"
    r"\s+(?:of|for|in|at|on|across|with|to|and|or|\(|-)\b)",
    re.IGNORECASE,
)


def _vocab(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SENTENCE_WORDS = _vocab(
    "i we you our your my us no not is are was be will would can should who that which if this "
    "these those they it its to with have has had do does looking hiring join want about call "
    "please mention apply email contact send check visit feel i'm i\u2019m we're we\u2019re "
    "here's here\u2019s there's there\u2019s it's it\u2019s that's that\u2019s"
)
_VERBS_AND_PRONOUNS = _vocab(
    "i we you they is are was were be been will would can could should may might must "
    "have has had do does did"
)
_DETERMINERS = _vocab("the a an our your their this these that those my his her its some")
# Lower-case words that may follow a role noun in a title: "Engineer for Payments", "Engineers
# across the stack", "Developer and Consultant", "Engineer positions".
_TITLE_CONTINUATIONS = _vocab(
    "of for in at on across with to and or from within into who that which positions position "
    "roles role openings opening needed wanted level levels"
) | _vocab("remote remotely onsite on-site hybrid in-office")
_DISCIPLINES = _vocab(
    "senior junior staff principal lead frontend front-end front end backend back-end back "
    "fullstack full-stack full stack mobile web ios android devops infra infrastructure "
    "embedded firmware platform data ml ai qa security cloud systems distributed sysadmin"
)
_MORE = re.compile(r"\s*(?:&|\+|,|\band\b)\s*(?:many\s+)?more(?:\s+roles)?\W*$", re.I)
_FILLER = re.compile(r"^(?:and\s+)?(?:more|others?|etc\.?|many more|more roles)\W*$", re.I)
_GENERIC_ROLES = re.compile(
    r"^(?:multiple|various|many|several|all|open|numerous|lots of|a few)\s+(?:\w+\s+){0,2}?"
    r"(?:roles|positions|openings|jobs|vacancies|opportunities)\b|"
    r"^(?:[\w&/,-]+\s+){1,4}(?:roles|positions|openings)$|"
    r"^(?:roles|positions|openings|opportunities)\s+(?:in|across|for)\b",  # "Roles in Product"
    re.IGNORECASE,
)
# A field naming departments, not roles: "Engineering & Product", "Engineering, Product".
_DEPARTMENT_WORDS = _vocab(
    "engineering product design data software hardware sales marketing operations research "
    "science security finance technical solutions support growth business people legal "
    "analytics infrastructure customer success"
)
_TRAILING_WORKPLACE = re.compile(r"\s+(?:remote|onsite|on-site|hybrid)\s*$", re.IGNORECASE)
_TERMS_PREFIX = re.compile(
    r"^(?:(?:full[- ]?time|part[- ]?time|contract|freelance|remote|onsite|on-site|hybrid)"
    r"(?:\s*\([^)]*\))?(?:\s*[,/]\s*|\s+)(?=\w))+",
    re.IGNORECASE,
)
_ROLES_LABEL = re.compile(r"\b(?:open\s+)?(?:roles|positions)\s*:\s*(.+)$", re.IGNORECASE)
_LOOKING_FOR = re.compile(r"^\s*(?:looking\s+for|hiring|seeking)\s*:?\s*", re.IGNORECASE)

_URL = re.compile(
    r"\(?\s*(?:https?://|www\.)\S+\s*\)?|\b[\w-]+(?:\.[\w-]+)*\.(?:com|io|ai|co|"
    r"org|net|dev|app|xyz|so|tech|ca|de|uk|re|ag|nl|fr|jobs)(?:/\S*)?(?=\s|$)",
    re.IGNORECASE,
)
_PAY = re.compile(
    r"[$€£¥₹]|\b(?:USD|EUR|GBP|CAD|CHF|AUD|salary|equity|comp|DOE|OTE)\b|"
    r"\d\s?[kK]\b|\d{2,3}[,.]\d{3}",
    re.IGNORECASE,
)
_PERK = re.compile(
    r"\b(?:visa|sponsor\w*|relocat\w*|benefits|work permit|401k|stock|"
    r"options)\b",
    re.IGNORECASE,
)
_WORKPLACE = re.compile(
    r"\b(?:remote|onsite|on-site|on site|in-office|in office|hybrid|"
    r"in-person|in person|wfh)\b",
    re.IGNORECASE,
)
WORKPLACE = _WORKPLACE
_EMPLOYMENT_WORDS = _vocab(
    "full time fulltime full-time part part-time parttime contract contractor contractors "
    "contracting freelance freelancer intern interns internship internships permanent ft pt "
    "temp temporary flexible hours mid-level mid level senior junior principal staff levels "
    "all any entry 1099 w2 c2c employee employees employment co-op co-ops coop"
)
_WORKPLACE_WORDS = _vocab(
    "remote remotely onsite on-site on site in-office office hybrid in-person person wfh "
    "fully full 100 first company available only ok okay friendly possible optional "
    "partially partly mostly some work from home or and with also the preferred allowed "
    "currently required team days week per a in considered preferred"
)
_CONNECTORS = _vocab("or and & / + , - with to of the in")
_TECH = _vocab(
    "rust go golang python java javascript typescript js ts react reactjs vue vuejs angular "
    "node nodejs ruby rails elixir erlang clojure scala kotlin swift c c++ c# php perl haskell "
    "ocaml sql postgres postgresql mysql mongodb redis kafka spark aws gcp azure kubernetes k8s "
    "docker terraform linux django flask fastapi graphql electron ios android llm llms ml ai "
    "pytorch tensorflow jax cuda html css jquery dotnet .net net ember"
)
_NOT_PLACE_WORDS = _vocab(
    "development engineering programming source systems system team platform stack "
    "robotics software hardware product products open full-stack fullstack frontend backend "
    "front-end back-end devops data research science security cloud infrastructure web mobile "
    "games gaming fintech healthcare biotech saas b2b startup series funded yc multiple roles "
    "positions consulting management design sales marketing operations support services "
    "solutions analytics learning intelligence finance business ops it revenue share only"
)
_PLACE_CONNECTORS = _vocab(
    "of the de la le am an der del di do da upon on el al and or & area region metro county"
)  # "Zug/Zurich area"
_REGION_CODE = re.compile(r"^[A-Z]{2}$")
_FIELD_SPLIT = re.compile(r"\s*\|\s*")
# Separators other posts use instead of "|", most telling first: a dash line keeps its " / "
# inside a field ("Software Engineers / Auditors").
_ALT_SPLITS = (
    re.compile(r"\s+[-\u2013\u2014]\s+"),
    re.compile(r"\s*[\u00b7\u2022]\s*"),
    re.compile(r"\s+/\s*|\s*/\s+"),  # "Sr. Android Developer/ Full time/ Hybrid / Berlin"
    re.compile(r"\s*;\s*"),
)
_WORD = re.compile(r"[\w+#.'\u2019-]+|&|/")
_BULLET = re.compile(r"^\s*(?:[-*+\u2022\u00b7\u2013\u2014>]+|\d{1,2}[.)]|[a-z][.)])\s*")
_LIST_INTRO = re.compile(
    r"\b(?:hiring|looking|seeking|positions|roles|openings|opportunities|jobs|vacancies|"
    r"need|needs|open)\b[^:]*:\s*$",
    re.IGNORECASE,
)
_PROSE = re.compile(
    r"\b(?:hiring(?:\s+\w+ly)?(?:\s+for)?|looking\s+(?:in\s+particular\s+|\w+ly\s+)?for|looking\s+to\s+hire|seeking|"
    r"searching\s+for|need|needs|"
    r"expanding\s+our\s+team\s+of|to\s+hire|to\s+add|(?:job\s+)?(?:posting|opening|vacancy)\s+for|(?:open\s+)?(?:positions|roles|openings)\s+for)\s*:?\s+(?:an?\s+|one\s+|two\s+|several\s+|"
    r"\d+(?:\s*-\s*\d+)?\s+)?(.{3,140})",
    re.IGNORECASE,
)
# Where the role a sentence names ends: a clause, a qualifier, punctuation (a comma too, unless
# the sentence lists several roles).
_PROSE_WORDS_STOP = (
    r"\s+(?:of|at)\s+(?:all|any|every|various)\s+(?:levels?|seniorit\w+)\b|"
    r"\s+(?:who|that|which|to|with|for|in|at|on|from|passionate|interested|excited|eager|"
    r"comfortable|based|located|able|willing|like|as|across|working|ready|capable|"
    r"wanting|joining)\b|\s+-\s+|$"
)
_PROSE_STOP = re.compile(r"\s*[.,;:!?(\[\]]|" + _PROSE_WORDS_STOP, re.IGNORECASE)
_PROSE_LIST_STOP = re.compile(  # a list may hold "engineers in lead roles", "Head of X"
    r"\s*[.;:!?(\[\]]|\s+(?:who|that|which|to|passionate|interested|excited|eager|comfortable|"
    r"able|willing|ready|capable|wanting|joining)\b|\s+-\s+|$",
    re.IGNORECASE,
)
_ADJECTIVES = _vocab(
    "talented ambitious creative experienced passionate smart motivated exceptional great "
    "strong skilled curious pragmatic organized organised self-motivated flexible "
    "problem-solving entrepreneurial seasoned highly high-agency driven product-minded "
    "brilliant awesome amazing outstanding world-class top-notch top notch rockstar "
    "hands-on thoughtful kind humble more additional new few couple of and, and & our first "
    "first, next second third fourth fifth full-time fulltime part-time remote"
)
_NOT_A_ROLE = _vocab(
    "here about us more info information apply see learn jobs careers our website "
    "page blog link links details description read contact email the this "
    "other others related roles positions openings all"
)
_TRAILING_LINK = re.compile(r"\s*(?::|\||\s[-\u2013\u2014]+)?\s*\(?(?:https?://|www\.)\S+\s*$")
_AT_COMPANY = re.compile(r"^(.{3,80}?)\s+at\s+\S")


@cache
def _country_names() -> frozenset[str]:
    with COUNTRIES_FILE.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        names = {n for row in rows for n in (row["name"].lower(), row["code"].lower())}
    return frozenset(
        names
        | {
            "usa",
            "uk",
            "uae",
            "u.s.",
            "u.s",
            "u.s.a.",
            "america",
            "europe",
            "asia",
            "africa",
            "oceania",
            "americas",
            "latin america",
            "middle east",
            "eu",
            "emea",
            "apac",
            "latam",
            "north america",
            "south america",
            "the netherlands",
            "czech republic",
        }
    )


def _words(text: str) -> list[str]:
    return [w.lower().strip(".,'\u2019") for w in _WORD.findall(text)]


def _outside(text: str, pattern: re.Pattern[str]) -> list[str]:
    """``text`` split on ``pattern`` where it is not inside parentheses or brackets."""
    pieces, depth, start = [], 0, 0
    position = 0
    while position < len(text):
        char = text[position]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (m := pattern.match(text, position)) and m.end() > position:
            pieces.append(text[start:position])
            start = position = m.end()
            continue
        position += 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _unbracketed(text: str) -> str:
    return re.sub(r"\s*[(\[][^)\]]*[)\]]", "", text).strip()


def strip_urls(text: str) -> str:
    return re.sub(r"\s{2,}", " ", _URL.sub(" ", text)).strip(" ,:;-|")


def is_role(text: str) -> bool:
    """A role title: a role noun at its head ("Senior Backend Engineer", "Engineering Manager
    for our MLE team"), no sentence before it, a handful of words."""
    plain = re.sub(
        r"\b((?:junior|mid|senior|staff)(?:-level)?)\s+to\s+",
        r"\1-to-",
        _unbracketed(text),
        flags=re.IGNORECASE,
    )  # "Junior to Senior Engineer"
    nouns = list(_ROLE_WORD.finditer(plain))
    if not nouns or len(plain) > 100 or len(plain.split()) > 12:
        return False
    if re.search(r"https?://|www\.|[$€£]\s?\d|\d,\d{3}", plain):
        return False  # a link, or "Acquired 10,000 … clinicians and exceeded $11M ARR"
    head = nouns[0]
    before = {
        w.lower().strip(".,")
        for w in plain[: head.start()].split()
        if not (w.isupper() and len(w) > 1)
    }  # "IT Specialist", "BE Developer"
    if before & _SENTENCE_WORDS:
        return False
    tail = plain[head.end() :]
    if set(_words(tail)) & _VERBS_AND_PRONOUNS:
        return False  # "University Students can learn more at", a sentence, not a title
    following = re.match(r"\s+([a-z][\w'-]*)", tail)
    if following and (
        following[1] in _DETERMINERS  # "Lead the system design", "Lead an engineering culture"
        or (
            following[1] not in _TITLE_CONTINUATIONS
            and following[1] not in _EMPLOYMENT_WORDS
            and not _ROLE_WORD.fullmatch(following[1])
            and not re.fullmatch(r"x\d+", following[1])  # "Software Engineer x2"
        )
    ):
        return False  # "A nice developer salary by European standards"
    return bool(_ROLE_TAIL.match(tail))


def split_roles(text: str) -> list[str]:
    """ "A, B and C" → the three roles when every piece is one; a title is never cut inside
    brackets or where a piece would not be a role ("Software Engineer, Applied ML")."""
    text = re.sub(r"\.\s*(\([^)]*\))\s*$", r" \1", text)  # "Product Managers. (All Levels)"
    trimmed = _MORE.sub("", text)
    if trimmed != text and is_role(trimmed):
        text = trimmed  # "Software Engineers & More", "Engineers (Frontend, Backend)& Many More"
    dotted = [p.strip(" .") for p in re.split(r"\.\s+(?=[A-Z])", text) if p.strip(" .")]
    if (
        len(dotted) > 2
        and all(len(p.split()) <= 6 for p in dotted)
        and sum(map(is_role, dotted)) >= 2
        and all(is_role(p) or is_department(p) for p in dotted)
    ):
        return dotted  # "Full Stack Developers.  Product Manager.  Marketing.  Sales."
    pieces = [
        p.strip(" .")
        for p in _outside(text, re.compile(r",\s*(?:and\s+|&\s+|or\s+)?|\s*;\s*", re.IGNORECASE))
    ]
    pieces = [p for p in pieces if p and not _FILLER.match(p)]
    if len(pieces) == 1:
        pieces = [
            p.strip(" .")
            for p in _outside(
                text, re.compile(r"\s+&\s+|\s+and\s+|\s+or\s+|\s+\+\s+", re.IGNORECASE)
            )  # "lead developer or technical cofounder"; not "Backend or Full-Stack Developer"
        ]
        pieces = [p for p in pieces if p and not _FILLER.match(p)]
        if len(pieces) == 1:  # "Sr. Python Engineer - PM - Creator Community Manager"
            pieces = _outside(text, re.compile(r"\s+[-\u2013\u2014]\s+"))
        return pieces if len(pieces) > 1 and all(map(is_role, pieces)) else [text.strip(" .!")]
    roles = sum(is_role(p) for p in pieces)
    kinds = sum(is_role(p) or _is_discipline(p) or _is_area(p) for p in pieces)
    if (
        roles == len(pieces)
        or (len(pieces) >= 3 and roles >= len(pieces) - 1 and is_role(pieces[0]))
        or (  # "Tech Lead, Senior Software Engineer, Customer Success, Marketing"
            len(pieces) >= 3
            and roles >= 2
            and (is_role(pieces[0]) or _is_discipline(pieces[0]))
            and all(is_role(p) or is_department(p) or _is_discipline(p) for p in pieces)
        )
        or (kinds == len(pieces) and _is_discipline(pieces[0]) and _short(pieces))
    ):
        # "A, B and C"; "Product engineers, backend engineers, Technical AMs"; "Backend,
        # Fullstack, or Android" (but "Software Engineer, Security" is one title)
        return [role for piece in pieces for role in split_roles(piece)]
    return [text.strip(" .!")]


_GRADES = _vocab("senior staff principal lead junior sr sr. jr jr. mid-level")


def _graded_disciplines(text: str) -> list[str]:
    """Kinds of engineer named with a grade and no noun, each piece its own role ("Senior
    Front-end, Senior Full-stack", "Senior Full Stack (Rails), Senior Frontend (ReactJS)")."""
    pieces = [
        p.strip(" .")
        for p in _outside(text, re.compile(r",\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", re.I))
    ]
    for piece in pieces:
        words = _words(_unbracketed(piece).replace("/", " "))
        if len(words) < 2 or words[0] not in _GRADES:
            return []
        if not all(w in _DISCIPLINES for w in words[1:]) or _words(piece)[-1] in _GRADES:
            return []
    return pieces


def _is_discipline(text: str) -> bool:
    """A kind of engineer named without the noun: "Backend", "Full-stack", "Android"."""
    words = _words(_unbracketed(text).replace("/", " "))
    return bool(words) and len(words) <= 3 and all(w in _DISCIPLINES for w in words)


def _is_area(text: str) -> bool:
    """A discipline named as a field of work: "Data Engineering", "Mobile Development"."""
    words = _words(_unbracketed(text).replace("/", " "))
    return (
        2 <= len(words) <= 3
        and words[-1] in {"engineering", "development"}
        and all(w in _DISCIPLINES for w in words[:-1])
    )


def is_discipline(text: str) -> bool:
    return _is_discipline(text)


def names_discipline(text: str) -> bool:
    """Opens like a kind of engineer: "Jr. Distributed Systems and Cloud", "Backend, Data"."""
    words = _words(text.replace("/", " "))
    return bool(words) and (words[0] in _DISCIPLINES or words[0] in {"jr", "sr", "mid"})


def _short(pieces: list[str]) -> bool:
    return all(len(p.split()) <= 4 for p in pieces)


def is_department(text: str) -> bool:
    return _all_in(_words(text.replace("/", " ")), _DEPARTMENT_WORDS)


def _all_in(words: list[str], vocabulary: frozenset[str]) -> bool:
    return bool(words) and all(w in vocabulary or w in _CONNECTORS or w.isdigit() for w in words)


def _is_employment(text: str) -> bool:
    return _all_in(_words(_unbracketed(text).replace("/", " ")), _EMPLOYMENT_WORDS)


def is_employment(text: str) -> bool:
    return _is_employment(text)


def _is_workplace(text: str) -> bool:
    words = _words(re.sub(r"[/%+]|(?<=\w)-(?=ok\b)", " ", _unbracketed(text), flags=re.I))
    return bool(_WORKPLACE.search(text)) and _all_in(words, _WORKPLACE_WORDS | _EMPLOYMENT_WORDS)


def _is_bare_workplace(text: str) -> bool:
    """Only workplace words, with at most a lower-case aside ("Onsite (wfh for now)"): no
    region in brackets as in "Remote (US only)"."""
    asides = re.findall(r"[(\[]([^)\]]*)[)\]]", text)
    return _is_workplace(text) and not any(_names_region(a) for a in asides)


def _names_region(aside: str) -> bool:
    """ "US only", "EU", "Europe/UK", not "For certain roles" or "Preferred"."""
    words = [w.strip(".,") for w in re.split(r"[\s/,&+-]+", aside) if w.strip(".,")]
    return any(
        re.fullmatch(r"[A-Z]{2,}", w) or _is_country(w) or (w[:1].isupper() and looks_like_place(w))
        for w in words
        if w.lower() not in _WORKPLACE_WORDS | _EMPLOYMENT_WORDS | {"for", "certain", "roles"}
    )


def _is_tech(text: str) -> bool:
    words = [w for w in _words(text.replace("/", " ")) if w not in _CONNECTORS]
    known = sum(w in _TECH or w.endswith(".js") for w in words)
    return bool(words) and known >= max(1, (len(words) + 1) // 2)


def _is_country(text: str) -> bool:
    return text.lower().strip(" .") in _country_names()


def looks_like_place(text: str) -> bool:
    """A short run of capitalised names ("Bangkok, Thailand", "SF Bay Area", "Tel Aviv")."""
    plain = _unbracketed(text) or text.strip("()[] ")
    if not plain or re.search(r"\d|[$€£]|https?:", plain) or _is_country(plain):
        return bool(plain) and _is_country(plain)
    for piece in re.split(r"\s*[,/()]\s*", plain):
        words = piece.split()
        if not words:
            continue
        if len(words) > 5:
            return False
        for word in words:
            bare = word.strip(".'\u2019()")
            if not re.search(r"\w", bare) or bare.lower() in _PLACE_CONNECTORS:
                continue
            if bare.lower() in _NOT_PLACE_WORDS or bare.lower() in _TECH:
                return False
            if not bare[:1].isupper():
                return False
            if bare.isupper() and len(bare) > 4 and not _is_country(bare):
                return False  # "ROBOTICS", a shouted tag rather than a place
    return True


def is_gazetteer_place(text: str, min_population: int = gazetteer.MIN_CITY_POPULATION) -> bool:
    """A place GeoNames knows by name ("Rotterdam", "Austin, TX", "Lyon, France"), and no word
    a title uses for its kind of work ("Mobile" is a city in Alabama, and a kind of engineer)."""
    plain = text.strip(" .")
    return (
        gazetteer.is_place(plain, min_population)
        and not _ROLE_WORD.search(plain)
        and not _is_discipline(plain)
        and not _is_tech(plain)
        and not is_department(plain)
    )


_TERMS_TAIL = re.compile(r"^(.*\S)\s*(?:,|\s[-\u2013\u2014])\s+((?:(?!\s[-\u2013\u2014]\s)[^,])+)$")


def peel_terms(text: str) -> tuple[str, list[str]]:
    """A role with the terms of work after a comma or a dash → (role, terms): "DevOps Engineer,
    Full Time", "Software Engineer - Contract", "Data Scientist (ML) - Remote"; a role after
    the comma stays ("Senior Software Developer, Intern")."""
    terms: list[str] = []
    text = re.sub(r"\s+\(?[x\u00d7]\s?\d+\)?$", "", text)  # "Software Engineer x2": two hires
    while (match := _TERMS_TAIL.match(text)) and (
        (_is_employment(match[2]) or _is_bare_workplace(match[2]))
        and not is_role(match[2])
        and (is_role(match[1]) or names_discipline(match[1]))
        and _balanced(match[1])
    ):
        terms.insert(0, match[2].strip())
        text = match[1].strip()
    return text, terms


_MONEY = re.compile(
    r"(?:[$€£¥₹]|\b(?:USD|EUR|GBP|CAD|CHF|AUD)\s?)\d|\b\d{2,3}\s?[kK]\b|\b\d{2,3}[,.]\d{3}\b"
)


def peel_pay(text: str) -> tuple[str, str]:
    """A role with its pay after it → (role, pay): "Software Engineer - $150k", "Backend
    Engineer, $150-180k", "Senior Engineer $150k-$180k + equity"; ("text", "") otherwise."""
    money = _MONEY.search(text)
    if not money or not _balanced(text[: money.start()]):
        return text, ""
    role = re.sub(r"[\s,;:|/(\-\u2013\u2014]+$", "", text[: money.start()])
    return (role, text[money.start() :].strip()) if is_role(role) else (text, "")


_PLACE_TAIL = re.compile(r",\s+|\s+[-\u2013\u2014@]\s+|\s+in\s+")


def peel_places(text: str) -> tuple[str, str]:
    """A role with the place it is in after a comma or a dash → (role, place): "Senior Engineer
    - Rotterdam", "Backend Engineer, Austin, TX", "product managers in Los Angeles"; ("text", "")
    when nothing trails it."""
    for match in _PLACE_TAIL.finditer(text):
        role, place = text[: match.start()].strip(), text[match.end() :].strip()
        if (
            _balanced(role)
            and (is_role(role) or names_discipline(role))  # "Sysadmin / Devops, Debrecen"
            and is_gazetteer_place(place)
        ):
            return role, place
    return text, ""


# Regions that follow a city after a comma, like a two-letter code; not "New York", which a
# list of cities names more often than the state.
_STATES = _vocab(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
    "michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon "
    "pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming ontario "
    "quebec alberta manitoba saskatchewan"
) | {
    "new jersey",
    "new mexico",
    "new hampshire",
    "north carolina",
    "south carolina",
    "north dakota",
    "south dakota",
    "rhode island",
    "west virginia",
    "british columbia",
    "nova scotia",
    "new brunswick",
}


def _is_region(text: str) -> bool:
    return bool(_REGION_CODE.match(text)) or _is_country(text) or text.lower() in _STATES


def _join_regions(pieces: list[str]) -> list[str]:
    """["Boston", "MA", "USA"] → ["Boston, MA, USA"]; ["US", "Canada"] stays two countries."""
    places: list[str] = []
    for piece in pieces:
        region = _REGION_CODE.match(piece) or _is_country(piece) or piece.lower() in _STATES
        if places and region and not _is_country(places[-1].split(",")[0]):
            places[-1] = f"{places[-1]}, {piece}"
        else:
            places.append(piece)
    return places


_PLACE_SPLIT = re.compile(
    r"\s*/\s*|\s+or\s+|\s+and\s+|\s*&\s*|\s+\+\s+|\s+[-\u2013\u2014]\s+|\s*;\s*|"
    r"\s+with\s+",
    re.IGNORECASE,
)
_QUALIFIED_REMOTE = re.compile(r"\bremote\b", re.IGNORECASE)


def place_list(text: str) -> list[str]:
    """The places a location field names. A remote field that restricts a region stays one
    location ("Remote (US and EU)", "REMOTE-EMEA"); bare workplace words are not places;
    commas join a city to its region ("Boston, MA, USA") but part cities ("Berlin, Vienna")."""
    text = re.sub(
        r"\s*[(\[]\s*(?:relocation|visa|hybrid|onsite|on-site|remote|wfh|in-person|"
        r"in person|in-office|in office)"
        r"[^)\]]*[)\]]",
        "",
        strip_urls(text),
        flags=re.IGNORECASE,
    )
    text = re.sub(
        r"^(?:full[- ]?time|part[- ]?time|contract)\s+(?:in\s+)?", "", text, flags=re.IGNORECASE
    )
    places: list[str] = []
    tail = re.search(r"\bremote\s+(?:in|within|from|across|[-\u2013:])\s+\S", text, re.I)
    if tail:  # "Remote in North America, Australia, or EU" is one location, to the end
        seps = list(re.finditer(r"\s*(?:[,/;]|\bor\b|\band\b)\s*", text[: tail.start()]))
        cut = (seps[-1].start(), seps[-1].end()) if seps else (0, 0)
        head, text = text[: cut[0]], text[cut[1] :]
        places = [*place_list(head), text] if head.strip() else [text]
        return [p for p in places if p.strip(" ,/")]
    for piece in _outside(text, _PLACE_SPLIT):
        group: list[str] = []
        segments = _outside(piece, re.compile(r"\s*,\s*"))
        for index, segment in enumerate(segments):
            if not _QUALIFIED_REMOTE.search(segment):
                group.append(segment)
                continue
            places.extend(_comma_places(group))
            group = []
            if _is_bare_workplace(segment) or len(_unbracketed(segment).split()) > 8:
                continue  # bare "REMOTE", or a sentence that mentions remote work
            bare = re.sub(r"\s*\bremote\b\s*$", "", segment, flags=re.IGNORECASE)
            if bare != segment and (_is_country(bare) or bare.lower() in _STATES):
                places.append(segment)  # "US REMOTE", like "US-based REMOTE", is one location
            elif bare != segment and not re.search(r"based$", bare, re.IGNORECASE):
                group.append(bare)  # "Los Angeles REMOTE"
            elif (
                segment.endswith(")")
                or index == len(segments) - 1
                or not all(
                    _is_region(re.sub(r"^(?:or|and)\s+", "", later, flags=re.IGNORECASE))
                    for later in segments[index + 1 :]
                )
            ):  # "Remote US, Remote Europe, Budapest" names three; "Remote in Canada, or EU" one
                places.append(segment)  # "Remote (US only)"
            else:
                places.append(", ".join(segments[index:]))  # "Remote in Canada, or EU"
                break
        places.extend(_comma_places(group))
    return list(dict.fromkeys(places))


def _comma_places(pieces: list[str]) -> list[str]:
    found: list[str] = []
    for piece in pieces:
        inner = re.fullmatch(r"(?:(\w[\w-]*)\s*)?\((.+)\)", piece)
        if inner and (not inner.group(1) or _is_workplace(inner.group(1))):
            found.extend(place_list(inner.group(2)))  # "ONSITE (Boston, Lisbon)"
            continue
        if _is_workplace(piece) or _is_employment(piece):
            continue
        piece = re.sub(
            r"^(?:onsite|on-site|on site|in-office|hybrid)\b\s*(?::|\bin\b|-)?\s*|"
            r"\s+(?:onsite|on-site|hybrid|preferred)$",
            "",
            piece,
            flags=re.IGNORECASE,
        )
        if piece and (
            looks_like_place(piece)
            or not re.search(r"\d|\b[a-z]{3,}\b.*\b[a-z]{3,}\b", _unbracketed(piece))
        ):
            found.append(piece)  # not "must work 9am-12pm US Pacific time"
    return _join_regions(found)


@dataclass
class Header:
    """The first line's fields, sorted."""

    company: str = ""
    roles: list[str] = field(default_factory=list)
    generic_roles: bool = False
    places: list[str] = field(default_factory=list)
    workplace_text: list[str] = field(default_factory=list)
    employment_text: list[str] = field(default_factory=list)
    pay_text: list[str] = field(default_factory=list)
    others: list[tuple[int, str]] = field(default_factory=list)  # (position, text)
    piped: bool = False
    field_count: int = 0


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


def header_fields(line: str) -> tuple[list[str], bool]:
    # "(Staff|Senior) DevOps Engineer" keeps its bar; an unclosed bracket ("Engineer (Full
    # stack | Remote") would swallow every later field, so such a line is split everywhere.
    if _balanced(line):
        fields = _outside(line, _FIELD_SPLIT)
    else:
        fields = [f for f in _FIELD_SPLIT.split(line) if f.strip()]
    if len(fields) >= 2:
        return [f.strip() for f in fields], True
    best: list[str] = [line.strip()]
    for pattern in _ALT_SPLITS:
        fields = _outside(line, pattern)
        if len(fields) >= 3:
            return fields, False
        if len(fields) > len(best):
            best = fields
    return best, False


def company_name(text: str) -> str:
    """ "Jupiter (YC S19)" → "Jupiter"; "Galaxy (getgalaxy.io) - The Cursor for SQL" → "Galaxy";
    "Snout https://…" → "Snout"; "Nette: Research OS for the Web" → "Nette"."""
    bare = _unbracketed(text) or text
    bare = (
        re.sub(  # "Doist is hiring", "Acme is actively hiring!"
            r"\s+(?:is|are)\s+(?:\w+ly\s+)?(?:hiring|recruiting|looking)\b.*$", "", bare, flags=re.I
        )
        or bare
    )
    # the tagline goes first, so that a domain name keeps its tagline out ("Minoa.io - AI for …")
    head = re.split(r"\s+[-\u2013\u2014]\s+|:\s+|\s+[\u00b7\u2022]\s+", bare)[0].strip()
    if re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", head):
        return head  # "Minoa.io", "Bonial.com (part of Axel Springer)": the domain is the name
    if not strip_urls(head):  # "https://acme.com - Acme": the tagline is the name
        head = bare
    name = strip_urls(head) or head
    name = re.split(r"\s+[-\u2013\u2014]\s+|:\s+|\s+[\u00b7\u2022]\s+", name)[0]
    named, _, where = name.partition(", ")
    if (
        where
        and len(named.split()) <= 3
        and looks_like_place(where)
        and not re.match(r"^(?:inc|llc|ltd|gmbh|co|corp|plc|s\.?a|b\.?v|ag)\b", where, re.I)
        # "Space Sciences Lab, UC Berkeley": a unit, then the institution it belongs to
        and not re.search(
            r"\b(?:labs?|laboratory|institute|cent(?:er|re)|department|school|college)$",
            named,
            re.I,
        )
    ):
        name = named  # "Stryd, Boulder, CO"
    return name.strip(" -:,|\u2013\u2014") or text.strip()


def _opens_with_place(fields: list[str]) -> bool:
    """ "Cologne, Germany | UMH | Product Engineer": the header opens with its place and names
    the company next (a name, not a role, a place or terms)."""
    if len(fields) < 3:
        return False
    city, comma, region = fields[0].partition(", ")
    name = company_name(fields[1])
    return (
        bool(comma)
        and "," not in region
        and _is_region(region.strip())
        and (is_gazetteer_place(city) or looks_like_place(city))
        and 0 < len(name.split()) <= 3
        and name[:1].isupper()
        and not is_role(name)
        and not is_gazetteer_place(name)
        and not _is_region(name)
        and not _is_employment(name)
        and not _WORKPLACE.search(name)
    )


def read_header(line: str) -> Header:
    fields, piped = header_fields(line)
    header = Header(piped=piped, field_count=len(fields))
    if not fields:
        return header
    if piped and _opens_with_place(fields):
        fields = [fields[1], fields[0], *fields[2:]]
    header.company = company_name(fields[0])
    _, colon, after = strip_urls(_unbracketed(fields[0])).partition(": ")
    if colon and looks_like_place(after):
        header.places.extend(place_list(after))  # "Globality (globality.com): Menlo Park"
    for position, raw in enumerate(fields[1:], start=1):
        _sort(header, position, raw)
    if piped and not header.roles:
        # "forus - founding security engineer | full-time": the role after the company's name
        name, dash, tail = (_unbracketed(fields[0]) or fields[0]).partition(" - ")
        if dash and is_role(tail) and not is_role(name):
            header.roles.extend(split_roles(tail.strip()))
    return header


def _sort(header: Header, position: int, raw: str) -> None:
    text = strip_urls(raw)
    if not text:
        return
    listed = _ROLES_LABEL.search(text)
    if listed:
        inline = re.sub(r"\)(?=[A-Z])", "), ", listed.group(1))  # "…(Go, C++)Product Managers"
        pieces = split_roles(re.split(r"[;?!]|\.\s|\]", inline)[0].strip(" [.:"))
        roles = list(itertools.takewhile(is_role, pieces))
        if roles and (len(roles) > 1 or len(pieces) == 1):
            header.roles.extend(roles)  # "…, or Remote Open roles: A, B, C; Looking to…"
            if text[: listed.start()].strip():
                _sort(header, position, text[: listed.start()])
            return
    looking = _LOOKING_FOR.match(text)
    if looking and looking.end() < len(text) and is_role(text[looking.end() :]):
        header.roles.extend(split_roles(text[looking.end() :]))
        return
    employment = _TERMS_PREFIX.match(text)
    if employment and is_role(text[employment.end() :]):
        terms = employment.group(0).strip(" ,/")
        header.employment_text.append(terms)
        if _WORKPLACE.search(terms):
            header.workplace_text.append(terms)
        text = text[employment.end() :]  # "Full-time software engineers", "Full-time, remote
        # (or local) developer/architect"
    role, pay = peel_pay(text)
    if pay:
        header.pay_text.append(pay)  # "Backend Engineer, $150-180k"
        text = role
    if _WORKPLACE.search(text):
        header.workplace_text.append(text)
    inner = re.search(r"\(([^)]+)\)\s*$", text)
    if _GENERIC_ROLES.match(text) and inner and all(map(is_role, named := split_roles(inner[1]))):
        header.roles.extend(
            named
        )  # "Multiple positions(Sr. Front-End Engineer, Software Engineer)"
    elif _GENERIC_ROLES.match(text):
        header.generic_roles = True
    elif _PAY.search(text) and not _ROLE_WORD.search(_unbracketed(text)):
        header.pay_text.append(text)
    elif _PERK.search(text) and not _ROLE_WORD.search(text):
        pass  # "Visa sponsorship", "Relocation support"
    elif _is_employment(text):
        header.employment_text.append(text)
    elif _is_bare_workplace(text):
        pass
    elif graded := _graded_disciplines(text):
        header.roles.extend(graded)  # "Senior Front-end, Senior Full-stack"
    elif is_role(text) or any(is_role(p) for p in split_roles(text)):
        text, trailing = peel_terms(text)
        for term in trailing:
            header.employment_text.append(term)  # "DevOps Engineer, Full Time"
            if _WORKPLACE.search(term):
                header.workplace_text.append(term)
        bare = _TRAILING_WORKPLACE.sub("", text)
        if bare != text and is_role(bare):
            text = bare  # "Senior Developer (Ruby/JavaScript) REMOTE"
        text, place = peel_places(text)
        if place:
            header.places.extend(place_list(place))  # "Backend Engineer, Rotterdam"
        header.roles.extend(split_roles(text))
    elif _is_employment(text.split()[0]) and looks_like_place(text.split(maxsplit=1)[-1]):
        header.employment_text.append(text)  # "Full-Time Montreal"
        header.places.extend(place_list(text))
    elif _QUALIFIED_REMOTE.search(text) or looks_like_place(_without_workplace(text)):
        header.places.extend(place_list(text))
    elif not _is_tech(text):
        header.others.append((position, text))


def _without_workplace(text: str) -> str:
    return re.sub(
        r"\b(?:onsite|on-site|on site|in-office|hybrid|in person)\b\s*(?:in\s+)?",
        "",
        text,
        flags=re.IGNORECASE,
    ).strip(" ,-/:")


_BRACKETED_PAY = re.compile(r"\s*\((?=[^()]*\d)[^()]*[$\u20ac\u00a3][^()]*\)")


def _role_of_line(line: str, bulleted: bool) -> str | None:
    """The role a body line names: "- Senior Engineer: https://…", "Web Developer - link",
    "Backend Engineer [Rust] - Own the parsing…", "Front-End Engineer at Nette (Remote)"."""
    text = _BULLET.sub("", line).strip() if bulleted else line.strip()
    # "Data Scientist ($175K - $210K) -- NYC": the pay in brackets holds a dash of its own,
    # which would cut the line before the one that ends the title
    text = _BRACKETED_PAY.sub("", text)
    linked = _TRAILING_LINK.search(text)
    if linked and linked.start() > 0:
        text = text[: linked.start()]  # "Rust Engineer https://…", "Data Science - Algo: link"
    text = re.split(r"\s+\|\s+", text)[0].rstrip(":").strip()  # "Role | Equity | 100k+"
    segments = re.split(r"\s[-\u2013\u2014]\s+", text)
    while len(segments) > 1 and (
        re.fullmatch(r"[A-Z]{2,4}", where := segments[-1].strip())
        or _is_country(where)
        or is_gazetteer_place(where)
        or _is_employment(where)
        or _is_bare_workplace(where)
    ):
        if not is_role(" - ".join(segments[:-1])):
            break
        segments.pop()  # "Android Engineer - NYC", "Engineer - United States - Remote"
        text = text[: text.rindex(where)].rstrip(" -\u2013\u2014")
    head, rest = text, ""
    if (
        m := re.search(r"\s*(?::|\s[-\u2013\u2014]+|\s[\u00bb\u2192]|\s->)\s+|\s*:$", text)
    ) and m.start() > 0:
        head, rest = text[: m.start()].strip(), text[m.end() :].strip()
    link_only = not strip_urls(rest)
    if rest and not link_only and _is_title_part(rest) and is_role(text):
        head = text  # "Software Engineer - Value Platform, Network Products"
    head = _without_clause(head)
    head = re.sub(r"\s+\d[\d,.]*\s?[kK]?\s*(?:[-\u2013]\s*\d[\d,.]*\s?[kK]?)?\s*$", "", head)
    at = _AT_COMPANY.match(head)
    if at and is_role(at.group(1)):
        return at.group(1)  # "Front-End Engineer at Nette (Remote)"
    if is_role(head):
        return head.strip(" .")
    if (
        bulleted
        and (rest or linked)
        and link_only
        and 0 < len(head.split()) <= 4
        and not set(_words(head)) & _NOT_A_ROLE
        and not _URL.search(head)
    ):
        return head.strip(" .")  # "- front end: https://…" in a list of job links
    if (
        bulleted
        and linked
        and 0 < len(text.split()) <= 5
        and title_case_words(text)
        and not set(_words(text)) & _NOT_A_ROLE
    ):
        return text.strip(" .")  # "* Data Science - Algorithms: https://…"
    return None


def _is_title_part(rest: str) -> bool:
    """What follows "Role - " belongs to the title when it is a short run of capitalised names,
    not a description ("Hands-on Manager. Python, Django"), a stack ("Go, Kubernetes") or a
    team ("Team Boss")."""
    words = rest.split()
    return (
        len(words) <= 12
        and title_case_words(rest)
        and ". " not in rest
        and not re.search(r"\w,\w", rest)
        and not _is_tech(_unbracketed(rest) or rest)
        and not re.search(r"^team\b|\bteam$", rest, re.IGNORECASE)
    )


_CLAUSE = re.compile(
    r"^(.{3,80}?)\s+(?:who|that|which|capable|with|to\s+[a-z]+|for\s+(?:our|the)\s)\b",
    re.IGNORECASE,
)


def _without_clause(head: str) -> str:
    """ "Staff UX Designers capable of producing…", "Data Engineers who can help us…", "AI
    Voice Agent Engineers, maybe someone has experience…": the role before the clause."""
    if (
        len(head.split()) > 4
        and (m := _CLAUSE.match(head))
        and _balanced(m.group(1))  # not "Principal Engineer (experience" of "(experience with …)"
        and is_role(m.group(1))
        and len(m.group(1).split()) <= 8
    ):
        return m.group(1)
    aside = re.match(r"^(.{3,80}?),\s+([a-z].*)$", head)
    if (
        aside
        and is_role(aside.group(1))
        and set(_words(aside.group(2))) & _SENTENCE_WORDS
        and aside.group(1).count("(") == aside.group(1).count(")")
    ):
        return aside.group(1)
    question = re.match(r"^(.{3,80}?)[?!]\s+[A-Z]", head)  # "Geometry expert? Help us build…"
    if question and is_role(question.group(1)):
        return question.group(1)
    return head


def title_case_words(text: str) -> bool:
    return all(w[:1].isupper() or not w[:1].isalpha() for w in text.split())


def body_roles(lines: list[str]) -> list[str]:
    """Roles the body lists: bullet lines, ``Role: link`` lines, lines under a "We are hiring:"
    intro, and an inline "looking for: A - B - C" list."""
    roles: list[str] = []
    under_intro = described = False
    listing = _plain_role_runs(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _SIGN_OFF.match(stripped):
            break  # "Cheers,": a name and the writer's own title follow, not roles
        if _signature(stripped):
            continue  # "Krystof Hilar, Co-Founder & CTO"
        bulleted = _bulleted(stripped)
        if bulleted and described:
            continue  # what the role above does, not another role
        described = False
        if (
            not bulleted
            and index + 1 < len(lines)
            and _bulleted(lines[index + 1].strip())
            and len(stripped.split()) <= 8
            and not set(_words(stripped)) & _SENTENCE_WORDS
            and not stripped.endswith(("...", "\u2026"))
            and (role := _role_of_line(stripped, False))
        ):
            roles.append(role)  # "Systems Engineer" heading, then bullets describing it
            described = True
            continue
        inline = re.search(
            r"\b(?:looking for|hiring for|hiring|seeking|(?:open\s+)?(?:positions|roles|openings)"
            r"(?:\s+open\b[^:]{0,40})?)\s*:\s*(.+)$",
            stripped,
            re.IGNORECASE,
        )
        if inline and re.search(r"\s[-\u2022\u00b7*|]\s|,|^\*\s|--", inline.group(1)):
            # "Open positions: * Senior Scala Developer (Scala, JVM) * Senior Java Developer",
            # "Positions Open: URL -- Android Developer -- Platform: Test Engineer-- …"
            pieces = _outside(
                inline.group(1), re.compile(r"\s*--\s*|\s+\|\s+|(?:^|\s+)[-\u2022\u00b7*]\s+")
            )
            pieces = [re.sub(r"^[^:]{3,40}:\s+(?=\S)", "", p) for p in pieces]  # "Team: Role"
            found = [p.strip(" .!") for p in pieces if is_role(p) and not _FILLER.match(p)]
            if len(found) > 1:
                roles.extend(found)
                continue
        linked = _linked_roles(stripped)
        if linked:
            roles.extend(linked)  # "Open roles! A - https://… B - https://…" on one line
            continue
        if index == 0 and not bulleted and _role_list_line(stripped):
            roles.extend(split_roles(stripped))  # "Software Engineer, Design Engineer"
            continue
        if index == 0 and not bulleted and len(lines) > 1 and _plain_title(stripped):
            roles.append(stripped)  # "Senior Backend Engineer", then what the role is
            continue
        if under_intro and not bulleted and "," in stripped and _role_list_line(stripped, 30):
            roles.extend(split_roles(stripped))  # "Key Job Openings:" then "A, B, C"
            continue
        if bulleted and roles and is_discipline(_BULLET.sub("", stripped)):
            roles.append(_BULLET.sub("", stripped).strip())  # "- DevOps" among "- A Engineers"
            continue
        role = None
        if (
            bulleted
            or under_intro
            or len(stripped.split()) <= 14
            or _role_header(stripped)
            or re.match(r"^[^.!?:]{3,80}:\s+\S", stripped)  # "Full Stack Engineer: join a…"
        ):
            role = _role_of_line(stripped, bulleted)
        if role and (
            bulleted
            or under_intro
            or index in listing
            or _links_or_heading(stripped)
            or _role_then_description(stripped)
            or _role_header(stripped)
        ):
            roles.append(role)
            continue
        under_intro = bool(_LIST_INTRO.search(_TRAILING_LINK.sub("", stripped))) or (
            under_intro and len(stripped.split()) <= 30
        )
    roles = [
        trimmed if (trimmed := _MORE.sub("", r)) != r and is_role(trimmed) else r for r in roles
    ]  # "Sr. Growth Marketing Manager & more!"
    return list(dict.fromkeys(roles))[:20]


def _plain_title(line: str) -> bool:
    """A short line that is only a role: "Senior Core Game Engineer (Unreal Engine)"."""
    return (
        len(line.split()) <= 8
        and not line.endswith((".", "!", "?", ","))
        and not set(_words(_unbracketed(line))) & _SENTENCE_WORDS
        and is_role(line)
    )


def _plain_role_runs(lines: list[str]) -> set[int]:
    """The lines of a list written without bullets: two or more consecutive lines that are each
    only a role."""
    plain = [_plain_title(line.strip()) for line in lines]
    return {
        index
        for index, title in enumerate(plain)
        if title
        and ((index > 0 and plain[index - 1]) or (index + 1 < len(plain) and plain[index + 1]))
    }


_SIGN_OFF = re.compile(
    r"^(?:cheers|thanks|thank you|best|regards|best regards|kind regards|sincerely|"
    r"all the best)\W*$",
    re.IGNORECASE,
)


def _signature(line: str) -> bool:
    """A name, then the writer's own title: "Krystof Hilar, Co-Founder & CTO"."""
    match = re.match(r"^([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2}),\s+(.{2,60})$", line)
    return match is not None and not is_role(match.group(1)) and is_role(match.group(2))


def _linked_roles(line: str) -> list[str]:
    """Several "Role - https://…" pairs run together on one line."""
    pieces = re.split(r"\s*(?:[-\u2013\u2014:]\s*)?\(?(?:https?://|www\.)\S+\s*", line)
    if len(pieces) < 3 or pieces[-1].strip():
        return []
    names = [re.split(r"[.!?:]\s+", p)[-1].strip(" -") for p in pieces[:-1]]
    return names if all(is_role(n) for n in names) else []


def _role_list_line(line: str, words: int = 12) -> bool:
    """A first body line that only names roles, no sentence: "Software Engineer, Design
    Engineer" under a header without a role."""
    if len(line.split()) > words or set(_words(line)) & _SENTENCE_WORDS or line.endswith("."):
        return False
    pieces = split_roles(line)
    return len(pieces) > 1 and all(is_role(p) for p in pieces)


def _bulleted(line: str) -> bool:
    return bool(_BULLET.match(line)) and not re.match(r"^\d{4}", line)


def _role_header(line: str) -> bool:
    """ "Platform Engineering Manager | Onsite / Hybrid - San Francisco, CA | Full-time"."""
    fields = _FIELD_SPLIT.split(line)
    return len(fields) >= 3 and is_role(fields[0]) and len(fields[0].split()) <= 8


def _role_then_description(line: str) -> bool:
    """ "Software Intern [Rust] (paid) - Join our engineering team…": a role, then what it
    does."""
    match = re.match(r"^(.{3,80}?)\s+[-\u2013\u2014]+\s+[A-Z]", line)
    return match is not None and is_role(match.group(1)) and len(match.group(1).split()) <= 8


def _links_or_heading(line: str) -> bool:
    """A plain line that is a role listing: "Role: https://…", "Role - https://…", "Role:",
    or "Role at Company (…)"."""
    return bool(
        re.search(r"(?::|\||\s[-\u2013\u2014])\s*(?:https?://|www\.)\S+\s*$|:\s*$", line)
        or re.match(r"^.{3,80}?\s+at\s+\S", line)
    ) or bool(re.search(r"^[^.!?]{3,80}:\s+\S", line) and is_role(line.split(":")[0]))


def _prose_list(candidate: str) -> list[str]:
    """ "full stack engineers, senior/principal engineers, and a product manager": a list the
    sentence names, cut where the sentence goes on; a role's bracketed qualifier does not end
    it ("Senior Engineer (Payments), Product Designer")."""
    candidate = re.sub(r"\s*\([^()]{1,80}\)(?=\s*(?:,|\band\b|&))", "", candidate)
    stop = _PROSE_LIST_STOP.search(candidate)
    text = (candidate[: stop.start()] if stop else candidate).strip(" ,")
    if "," not in text:
        return []
    pieces = [re.sub(r"^another\s+", "", p, flags=re.IGNORECASE) for p in split_roles(text)]
    return pieces if len(pieces) > 1 and all(is_role(p) for p in pieces) else []


_ADDRESSED = re.compile(r"\bif\s+you(?:'re|\u2019re|\s+are)\s+an?\s+(.{3,100})", re.IGNORECASE)


def addressed_roles(text: str) -> list[str]:
    """ "If you're a PRODUCT-FOCUSED ENGINEER, …" and "If you're a PRODUCT DESIGNER, …": a post
    that speaks to each role in turn names them all (two at least)."""
    roles = []
    for match in _ADDRESSED.finditer(text):
        stop = _PROSE_STOP.search(match.group(1))
        candidate = (match.group(1)[: stop.start()] if stop else match.group(1)).strip(" ,")
        if is_role(candidate):
            roles.append(candidate)
    roles = list(dict.fromkeys(roles))
    return roles if len(roles) > 1 else []


_SENIORITY = r"(?:junior|mid|mid-level|intermediate|senior|staff|principal|lead|entry-level)"
_SENIORITIES = re.compile(
    rf"^{_SENIORITY}(?:\s*,\s*{_SENIORITY})*\s*,?\s+(?:and|or|&|to)\s+{_SENIORITY}\s+\w",
    re.IGNORECASE,
)


def prose_roles(text: str) -> list[str]:
    """The role a post's prose says it is hiring: "Goody is hiring a Senior Software Engineer
    (Ruby, Rails, React) who…", "looking for talented data scientists and ML scientists"."""
    candidates = []
    for match in _PROSE.finditer(text):
        words = match.group(1).split(" ")
        while words and words[0].lower().strip(",") in _ADJECTIVES:
            words.pop(0)  # "talented, ambitious, and creative data scientists"
        candidates.append(" ".join(words).lstrip("["))  # "[Senior Developer](https://…)"
    for candidate in candidates:  # "junior, mid, and senior developer positions": one role
        stop = _PROSE_LIST_STOP.search(candidate)
        text = (candidate[: stop.start()] if stop else candidate).strip(" ,")
        if _SENIORITIES.match(text):
            text = re.sub(r"\s+(?:positions?|roles?|openings?)$", "", text, flags=re.I)
            if is_role(text) and len(text.split()) <= 10:
                return [text]
    for candidate in candidates:  # a sentence that lists roles names them all
        listed = _prose_list(candidate)
        if listed:
            return listed
    for candidate in candidates:
        stop = _PROSE_STOP.search(candidate)
        candidate = (candidate[: stop.start()] if stop else candidate).strip(" ,")
        if not candidate:
            continue
        pieces = split_roles(candidate)
        if all(is_role(p) for p in pieces):
            return pieces
    return []
