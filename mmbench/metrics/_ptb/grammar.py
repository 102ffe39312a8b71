"""The macros of Stanford's PTBLexer.flex (CoreNLP 3.4.1) as Python ``regex`` patterns.

pycocoevalcap 1.2 tokenises captions with that lexer. Its grammar is restated here from its
documented behaviour (not copied): the names follow the grammar's macros, and
:mod:`mmbench.metrics._ptb.lexer` combines them into rules.

* **Caseless literals, case-sensitive classes.** The scanner is ``%caseless``: literal letters match
  either case, but a character class such as ``[A]`` matches only ``A``. Literals are written with
  :func:`ci` / :func:`alts`; classes are written as they are.
* **Unicode 6.** JFlex baked Java's Unicode tables of the time into the scanner: letters and digits
  assigned since are not letters to it (``_NEWER``, measured against the Java tokenizer one
  character at a time).
"""

from __future__ import annotations

import regex


def ci(text: str) -> str:
    """A caseless literal: ``ci("gonna")`` → ``[gG][oO][nN][nN][aA]``."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else regex.escape(c) for c in text)


def alts(words: str) -> str:
    """``"Mr|[M]iss|Drs?"`` → caseless alternation; ``[X]`` keeps a case-sensitive first letter."""
    out = []
    for w in words.split("|"):
        out.append(regex.sub(r"(\[[^]]*\])|([A-Za-z])", lambda m: m[1] or ci(m[2]), w))
    return "(?:" + "|".join(out) + ")"


# ---- character classes as JFlex 1.5.1 saw them ----------------------------------------------
# JFlex baked Java's Unicode 6 tables into the scanner: letters and digits assigned since then
# (measured against the Java tokenizer, one character at a time) are not letters to it, and two
# Mongolian letters later recategorised as marks still are.
_NEWER = (
    "037F 0528-052F 0558 0560 0588 058B-058C 05EF 0860-086A 0870-0887 0889-088F 08A1 08AD-08C9 "
    "0978 0980 09FC 0AF9 0C34 0C5A 0C5C-0C5D 0C80 0CDC-0CDD 0D04 0D54-0D56 0D5F 0DE6-0DEF 0E86 "
    "0E89 0E8C 0E8E-0E93 0E98 0EA0 0EA8-0EA9 0EAC 13F5 13F8-13FD 16F1-16F8 170D 171F 1878 "
    "191D-191E 19B0-19C0 19C8-19C9 1B4C 1C80-1C8A 1C90-1CBA 1CBD-1CBF 1CF2-1CF3 1CFA 208F "
    "209D-209F 2C2F 2C5F 312E-312F 31BB-31BF 4DB6-4DBF 9FCD-9FFF A698-A69D A78F A794-A79F "
    "A7AB-A7DD A7E2 A7F1-A7F7 A8FD-A8FE A9E0-A9E4 A9E6-A9FE AA7E-AA7F AB30-AB5A AB5C-AB69 "
    "AB6C-AB6D AB70-ABBF"
)


_NEWER_SET = (
    "[" + "".join("\\u" + item.replace("-", "-\\u") for item in _NEWER.split()) + "]"
)  # as a regex set: [\u037F\u0528-\u052F…]
# Nested sets with set difference: patterns using these compile with ``regex.V1`` (FLAGS).
_P_L = rf"[[\p{{L}}\u1885\u1886]--{_NEWER_SET}]"  # [:letter:]
P_ND = rf"[\p{{Nd}}--{_NEWER_SET}]"  # [:digit:]
_P_LU = rf"[\p{{Uppercase}}--{_NEWER_SET}]"  # [:uppercase:]
FLAGS = regex.V1 | regex.POSIX


# ---- macros (names as in PTBLexer.flex) -------------------------------------------------------
SPACE = r"[ \t\u00A0\u2000-\u200A\u3000]"
NEWLINE = r"(?:\r\n|\r|\n|\u2028|\u2029|\u000B|\u000C|\u0085)"
SPACENL = f"(?:{SPACE}|{NEWLINE})"
_NAME = r"[A-Za-z][A-Za-z0-9_:.\-]*"
SGML = (
    r"<(?:[!?][A-Za-z\-][^>\r\n]*"
    rf"|{_NAME}(?:[ ]+(?:{_NAME}|{_NAME}[ ]*=[ ]*(?:'[^']*'|\"[^\"]*\")))*[ ]*/?"
    rf"|/{_NAME})[ ]*>"
)
SENTEND = rf"{SPACENL}(?:{SPACENL}|[{_P_LU}]|{SGML})"
SPMDASH = rf"&(?:{ci('MD')}|{ci('mdash')}|{ci('ndash')});|[\u0096\u0097\u2013\u2014\u2015]"
SPAMP = ci("&amp;")
SPPUNC = "&(?:" + "|".join(ci(w) for w in "HT TL UR LR QC QL QR odq cdq".split()) + "|#[0-9]+);"
SPLET = rf"&[aeiouAEIOU](?:{ci('acute')}|{ci('grave')}|{ci('uml')});"
DIGIT = f"[{P_ND}\\u07C0-\\u07C9]"
DATE = rf"{DIGIT}{{1,2}}[\-/]{DIGIT}{{1,2}}[\-/]{DIGIT}{{2,4}}"
NUM = rf"(?:{DIGIT}+|{DIGIT}*(?:[.:,\u00AD\u066B\u066C]{DIGIT}+)+)"
NUMBER = rf"[\-+]?{NUM}"
SUBSUPNUM = (
    r"[\u207A\u207B\u208A\u208B]?(?:[\u2070\u00B9\u00B2\u00B3\u2074-\u2079]+|[\u2080-\u2089]+)"
)
FRAC = rf"(?:{DIGIT}{{1,4}}[\- \u00A0])?{DIGIT}{{1,4}}(?:\\?/|\u2044){DIGIT}{{1,4}}"
FRAC2 = r"[\u00BC\u00BD\u00BE\u2153-\u215E]"
DOLSIGN = r"(?:[A-Z]*\$|#)"
DOLSIGN2 = r"[\u00A2\u00A3\u00A4\u00A5\u0080\u20A0\u20AC\u060B\u0E3F\u20A4\uFFE0\uFFE1\uFFE5\uFFE6]"
_LETTER_EXTRA = (
    r"\u00AD\u0237-\u024F\u02C2-\u02C5\u02D2-\u02DF\u02E5-\u02FF\u0300-\u036F\u0370-\u037D"
    r"\u0384\u0385\u03CF\u03F6\u03FC-\u03FF\u0483-\u0487\u04CF\u04F6-\u04FF\u0510-\u0525"
    r"\u055A-\u055F\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7\u0615-\u061A\u063B-\u063F"
    r"\u064B-\u065E\u0670\u06D6-\u06EF\u06FA-\u06FF\u070F\u0711\u0730-\u074F\u0750-\u077F"
    r"\u07A6-\u07B1\u07CA-\u07F5\u07FA\u0900-\u0903\u093C\u093E-\u094E\u0951-\u0955\u0962-\u0963"
    r"\u0981-\u0983\u09BC-\u09C4\u09C7\u09C8\u09CB-\u09CD\u09D7\u09E2\u09E3\u0A01-\u0A03\u0A3C"
    r"\u0A3E-\u0A4F\u0A81-\u0A83\u0ABC-\u0ACF\u0B82\u0BBE-\u0BC2\u0BC6-\u0BC8\u0BCA-\u0BCD"
    r"\u0C01-\u0C03\u0C3E-\u0C56\u0D3E-\u0D44\u0D46-\u0D48\u0E30-\u0E3A\u0E47-\u0E4E"
    r"\u0EB1-\u0EBC\u0EC8-\u0ECD"
)
LETTER = rf"(?:[{_P_L}{_LETTER_EXTRA}]|{SPLET})"
LD = rf"(?:{LETTER}|{DIGIT})"
WORD = rf"{LETTER}{LD}*(?:[.!?]{LETTER}{LD}*)*"
_EXT = "bat|bmp|c|class|cgi|cpp|dll|doc|docx|exe|gif|gz|h|htm|html|jar|java|jpeg|jpg|mov|mp3|pdf|php|pl|png|ppt|ps|py|sql|tar|txt|wav|x|xml|zip"  # noqa: E501
FILENAME = rf"{LD}+(?:[.]{LD}+)*[.]{alts(_EXT)}"
APOS = rf"(?:['\u0092\u2019]|{ci('&apos;')})"
APOSETC = rf"(?:{APOS}|[`\u0091\u2018\u201B])"
HYPHEN = r"[\-_\u058A\u2010\u2011]"
_LD1 = f"[{_P_L}{P_ND}]"  # [:letter:]|[:digit:] (without LETTER's extras)
_THING_PART = rf"(?:[dDoOlL]{APOSETC}{_LD1})?{_LD1}+"
THING = rf"{_THING_PART}(?:{HYPHEN}{_THING_PART})*"
THINGA = rf"[A-Z]+(?:(?:[+&]|{SPAMP})[A-Z]+)+"
THING3 = r"[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}(?:\\?/[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}){1,2}"
_ACRO_SPECIAL = rf"(?:{alts('Canada|Sino|Korean|EU|Japan|non')}-{ci('U.S')}|{ci('U.S.-')}(?:{ci('U.K')}|{ci('U.S.S.R')}))"  # noqa: E501
ACRO = rf"(?:[A-Za-z](?:\.[A-Za-z])*|{_ACRO_SPECIAL})"
ACRO2 = rf"(?:[A-Za-z](?:\.[A-Za-z])+|{_ACRO_SPECIAL})"
HTHING = rf"[A-Za-z0-9][A-Za-z0-9.,\u00AD]*(?:-(?:[A-Za-z0-9\u00AD]+|{ACRO2}\.))+"
REDAUX = rf"{APOS}(?:[msdMSD]|{ci('re')}|{ci('ve')}|{ci('ll')})"
SWORD = r"[A-Za-z\u00AD]*[A-MO-Za-mo-z]\u00AD*"
SREDAUX = rf"[nN]{APOSETC}[tT]"
L1 = f"[{_P_L}]"  # [:letter:]
APOWORD = "|".join(
    [
        rf"{APOS}[nN]{APOS}?",
        rf"[lLdDjJ]{APOS}",
        rf"{ci('Dunkin')}{APOS}",
        rf"{ci('somethin')}{APOS}",
        rf"{ci('ol')}{APOS}",
        rf"{APOS}{ci('em')}",
        rf"[A-HJ-XZn]{APOSETC}{L1}{{2}}{L1}*",
        rf"{APOS}[2-9]0[sS]",
        rf"{APOS}{ci('til')}[lL]?",
        rf"{L1}{L1}*[aeiouyAEIOUY]{APOSETC}[aeiouA-Z]{L1}*",
        rf"{APOS}{ci('cause')}",
        rf"{ci('cont')}'[dD]\.?",
        "|".join(ci(w) for w in "'twas nor'easter c'mon e'er s'mores ev'ry li'l nat'l".split()),
        rf"[oO]{APOSETC}[oO]",
    ]
)
APOWORD2 = rf"[yY]{APOS}"
FULLURL = rf"{ci('http')}[sS]?://[^ \t\n\f\r\"<>|(){{}}]+[^ \t\n\f\r\"<>|.!?(){{}},\-]"
LIKELYURL = (
    rf"(?:(?:{ci('www.')}(?:[^ \t\n\f\r\"<>|.!?(){{}},]+\.)+[a-zA-Z]{{2,4}})"
    rf"|(?:(?:[^ \t\n\f\r\"`'<>|.!?(){{}},-_$]+\.)+{alts('com|net|org|edu')}))"
    r"(?:/[^ \t\n\f\r\"<>|()]+[^ \t\n\f\r\"<>|.!?(){},\-])?"
)
_EM = r"[^ \t\n\f\r\"<>|(){}.\u00A0]"
EMAIL = (
    rf"(?:{ci('&lt;')}|<)?[a-zA-Z0-9][^ \t\n\f\r\"<>|()\u00A0{{}}]*@(?:{_EM}+\.)*{_EM}+"
    rf"(?:{ci('&gt;')}|>)?"
)
TWITTER = rf"@[a-zA-Z_][a-zA-Z_0-9]*|#{LETTER}+"
ABMONTH = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
ABDAYS = "Mon|Tue|Tues|Wed|Thu|Thurs|Fri"
ABSTATE = (
    "Ala|Ariz|[A]z|[A]rk|Calif|Colo|Conn|Ct|Dak|[D]el|Fla|Ga|[I]ll|Ind|Kans?|Ky|[L]a|[M]ass|Md|"
    "Mich|Minn|[M]iss|Mo|Mont|Neb|Nev|Okla|[O]re|[P]a|Penn|Tenn|[T]ex|Va|Vt|[W]ash|Wisc?|Wyo"
)
ABCOMP = r"Inc|Cos?|Corp|Pp?t[ye]s?|Ltd|Plc|Rt|Bancorp|Bhd|Assn|Univ|Intl|Sys"
ABNUM = "tel|est|ext|sq"
ABPTIT_WORDS = "Jr|Sr|Bros|Blvd|Rd|Esq"
ABPTIT = rf"{alts(ABPTIT_WORDS)}|(?:{ci('Ed')}|{ci('Ph')})\.[dD]"
_AB1 = "|".join([ABMONTH, ABDAYS, ABSTATE, ABCOMP, ABNUM, "etc|al|seq|Bldg"])
ABBREV1 = rf"(?:{alts(_AB1)}|{ABPTIT})\."
ABTITLE = (
    "Mr|Mrs|Ms|[M]iss|Drs?|Profs?|Sens?|Reps?|Attys?|Lt|Col|Gen|Messrs|Govs?|Adm|Rev|Maj|Sgt|Cpl|"
    "Pvt|Capt|Ste?|Ave|Pres|Lieut|Hon|Brig|Co?mdr|Pfc|Spc|Supts?|Det|Mt|Ft|Adj|Adv|Asst|Assoc|Ens|"
    "Insp|Mlle|Mme|Msgr|Sfc"
)
ABCOMP2 = r"Invt|Elec|Natl|M[ft]g|Dept"
AB4_WORDS = "vs|Alex|Wm|Jos|Cie|cf|TREAS|Ph"
ABBREV4 = f"(?:{alts(ABTITLE)}|{alts(AB4_WORDS)}|{ci('a.k.a')}|{ACRO}|{alts(ABCOMP2)})"
ABBREV2 = rf"{ABBREV4}\."
# The alternations above whose words are letters only: with ACRO's single letters, all the
# words of letters that ABBREV1 or ABBREV2 can match before the period.
ABBREV_LETTER_WORDS = (_AB1, ABPTIT_WORDS, ABTITLE, AB4_WORDS, ABCOMP2)
ACRONYM = rf"{ACRO}\."
ABBREV3 = alts("ca|figs?|prop|nos?|art|bldg|pp|op") + r"\."
PHONE = (
    r"(?:\([0-9]{2,3}\)[ \u00A0]?|(?:\+\+?)?(?:[0-9]{2,4}[\- \u00A0])?[0-9]{2,4}[\- \u00A0])"
    r"[0-9]{3,4}[\- \u00A0]?[0-9]{3,5}"
    r"|(?:(?:\+\+?)?[0-9]{2,4}\.)?[0-9]{2,4}\.[0-9]{3,4}\.[0-9]{3,5}"
)
LDOTS = r"\.{3,5}|(?:\.[ \u00A0]){2,4}\.|[\u0085\u2026]"
FNMARKS = r"@+|#+|_+"
ASTS = r"\*+|(?:\\\*){1,3}"
INSENTP = r"[,;:\u3001]"
QUOTES = (
    rf"{APOS}|''|[`\u2018\u2019\u201A\u201B\u201C\u201D\u0091\u0092\u0093\u0094\u201E\u201F"
    r"\u2039\u203A\u00AB\u00BB]{1,2}"
)
DBLQUOT = rf"\"|{ci('&quot;')}"
TBSPEC = (
    rf"-(?:{ci('RRB')}|{ci('LRB')}|{ci('RCB')}|{ci('LCB')}|{ci('RSB')}|{ci('LSB')})-"
    rf"|{ci('C.D.s')}|{ci('pro-')}|{ci('anti-')}|[sS](?:&|{SPAMP}){ci('P-500')}"
    rf"|[sS](?:&|{SPAMP}){ci('Ls')}|{ci('Cap')}{APOS}[nN]|[cC]{APOS}{ci('est')}"
)
TBSPEC2 = rf"{APOS}[0-9][0-9]"
SMILEY = r"[<>]?[:;=][\-o*']?[()DPdpO\\{@|\[\]]"
_AS = r"[\^x=~<>]"
ASIANSMILEY = (
    rf"{_AS}\.\[\^[xX]=~<>\]|[\-\^x=~<>']_[\-\^x=~<>']"
    r"|\([\-\^x=~<>'][_.]?[\-\^x=~<>']\)|\([\^x=~<>']-[\^x=~<>'`]\)"
)
MISCSYMBOL = (
    r"[+%&~\^|\\\u00A6\u00A7\u00A8\u00A9\u00AC\u00AE\u00AF\u00B0-\u00B3\u00B4-\u00BA\u00D7"
    r"\u00F7\u0387\u05BE\u05C0\u05C3\u05C6\u05F3\u05F4\u0600-\u0603\u0606-\u060A\u060C\u0614"
    r"\u061B\u061E\u066A\u066D\u0703-\u070D\u07F6\u07F7\u07F8\u0964\u0965\u0E4F\u1FBD\u2016"
    r"\u2017\u2020-\u2023\u2030-\u2038\u203B\u203E-\u2042\u2044\u207A-\u207F\u208A-\u208E"
    r"\u2100-\u214F\u2190-\u21FF\u2200-\u2BFF\u3012\u30FB\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40"
    r"\uFF5B-\uFF65]"
)
_ACRO_NEXT = (
    "About|According|Additionally|After|An|A|As|At|But|Earlier|He|Her|Here|However|If|In|It|"
    "Last|Many|More|Mr.|Ms.|Now|Once|One|Other|Our|She|Since|So|Some|Such|That|The|Their|Then|"
    "There|These|They|This|We|When|While|What|Yet|You"
)
ACRONYM_NEXT = (
    rf"{SPACENL}+(?:"
    + "|".join(f"{w[0]}{ci(w[1:])}" for w in _ACRO_NEXT.split("|"))
    + rf"|{SGML}){SPACENL}"
)


# ---- Latin-1 variants -------------------------------------------------------------------------
# Compiling the rules costs ~0.1 s, most of it parsing the big Unicode classes above. A regex
# sees only the text it is matched against, so on text whose characters are all ≤ U+00FF each
# class can be replaced by its Latin-1 part (listed here; `tests/metrics/test_ptb_lexer.py`
# checks them against the full classes on all 256 characters) and the rule matches exactly the
# same strings, at a third of the compile time.
LATIN1_CLASSES = {
    _P_L: "[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]",
    P_ND: "[0-9]",
    _P_LU: "[A-Z\u00c0-\u00d6\u00d8-\u00de]",
    _LETTER_EXTRA: r"\u00AD",
}


def latin1(pattern: str) -> str:
    """``pattern`` with its Unicode classes cut to U+0000–U+00FF: the same matches on such text."""
    for full, narrow in LATIN1_CLASSES.items():
        pattern = pattern.replace(full, narrow)
    if r"\p{" in pattern:  # a class missing from LATIN1_CLASSES
        raise ValueError(f"no Latin-1 form for a Unicode class in {pattern[:60]!r}")
    return pattern
