"""The words of descriptions: office phrases ("the Kremlin spokesman" -> spokesperson of RU),
the words that block or shift them ("former", "deputy"), generic organisations that need a
country ("the foreign ministry"), and the title words stripped from a person's mention.
All keys are normalised with `entries.normalise`.
"""
from __future__ import annotations

from .entries import normalise

# normalised phrase -> (office key or None to block, implied country or None)
OFFICE_PHRASES_RAW: dict[str, tuple[str | None, str | None]] = {}


def _phrases(key: str | None, country: str | None, *phrases: str) -> None:
    for p in phrases:
        OFFICE_PHRASES_RAW[p] = (key, country)


_phrases("president", None, "president")
_phrases("prime_minister", None, "prime minister", "premier", "pm")
_phrases("chancellor", None, "chancellor")
_phrases("chancellor", "DE", "federal chancellor")
_phrases("monarch", None, "king", "queen", "emperor", "emir", "sultan", "monarch")
_phrases("crown_prince", None, "crown prince")
_phrases("supreme_leader", None, "supreme leader")
_phrases("leader", None, "leader", "paramount leader", "general secretary", "party chief",
         "communist party chief", "party general secretary")
_phrases("leader", "KP", "chairman", "chairman of the state affairs commission")
_phrases("pope", "VA", "pope", "pontiff")
_phrases("vice_president", None, "vice president", "deputy president", "first vice president")
_phrases("vice_premier", None, "vice premier", "deputy premier")
_phrases("deputy_prime_minister", None, "deputy prime minister", "first deputy prime minister")
_phrases("commission_president", "EU", "european commission president", "eu commission president",
         "commission president", "president of the european commission", "commission chief",
         "european commission chief")
_phrases("council_president", "EU", "european council president", "council president",
         "president of the european council")
_phrases("high_representative", "EU", "high representative", "foreign policy chief")
_phrases("foreign_minister", None, "foreign minister", "minister of foreign affairs",
         "foreign affairs minister", "minister for foreign affairs", "external affairs minister",
         "minister of external affairs", "foreign secretary", "top diplomat", "chief diplomat")
_phrases("foreign_minister", "US", "secretary of state")
_phrases("deputy_foreign_minister", None, "deputy foreign minister", "vice foreign minister",
         "first vice foreign minister", "first deputy foreign minister")
_phrases("deputy_foreign_minister", "US", "deputy secretary of state")
_phrases("spokesperson", None, "press secretary", "spokesman", "spokeswoman", "spokesperson",
         "chief spokesman", "chief spokeswoman", "chief spokesperson", "government spokesman",
         "government spokeswoman", "government spokesperson", "chief government spokesman",
         "chief government spokeswoman", "chief government spokesperson", "presidential spokesman",
         "presidential spokeswoman", "presidential spokesperson", "press spokesman",
         "presidential press secretary")
_phrases("foreign_ministry_spokesperson", None, "foreign ministry spokesman",
         "foreign ministry spokeswoman", "foreign ministry spokesperson")
_phrases("foreign_ministry_spokesperson", "US", "state department spokesman",
         "state department spokeswoman", "state department spokesperson")
_phrases("defense_spokesperson", None, "defense ministry spokesman", "defence ministry spokesman",
         "defense ministry spokeswoman", "defense ministry spokesperson")
_phrases("defense_spokesperson", "US", "pentagon spokesman", "pentagon spokeswoman",
         "pentagon spokesperson", "pentagon press secretary")
_phrases("communications_director", None, "communications director", "director of communications")
_phrases("national_security_spokesperson", None, "national security spokesman",
         "national security spokesperson", "national security council spokesman",
         "national security council spokesperson")
_phrases("national_security_adviser", None, "national security adviser", "national security advisor",
         "national security director", "director of the national security office",
         "national security office director", "head of the national security office")
_phrases("deputy_national_security_adviser", None, "deputy national security adviser",
         "deputy national security advisor")
_phrases("security_council_secretary", None, "security council secretary",
         "secretary of the security council", "secretary of the supreme national security council",
         "secretary of the national security and defense council", "nsdc secretary")
_phrases("aide", None, "aide", "adviser", "advisor", "presidential aide", "presidential adviser",
         "foreign policy aide", "foreign policy adviser", "foreign policy advisor", "top aide",
         "senior aide")
_phrases("senior_adviser", None, "senior adviser", "senior advisor", "counselor", "counsellor",
         "chief strategist")
_phrases("chief_of_staff", None, "chief of staff", "head of the presidential administration",
         "head of the presidential office", "head of the office of the president",
         "presidential chief of staff")
_phrases("chief_cabinet_secretary", "JP", "chief cabinet secretary")
_phrases("defense_minister", None, "defense minister", "defence minister", "minister of defense",
         "minister of defence", "defense secretary", "defence secretary", "defense chief",
         "defence chief")
_phrases("defense_minister", "US", "secretary of defense", "secretary of war", "war secretary",
         "pentagon chief")
_phrases("finance_minister", None, "finance minister", "minister of finance")
_phrases("finance_minister", "US", "treasury secretary", "secretary of the treasury")
_phrases("finance_minister", "GB", "chancellor of the exchequer")
_phrases("commerce_minister", None, "commerce minister", "commerce secretary")
_phrases("commerce_minister", "US", "secretary of commerce")
_phrases("trade_minister", None, "trade minister", "trade secretary", "minister of trade")
_phrases("trade_minister", "US", "trade representative")
_phrases("unification_minister", "KR", "unification minister", "minister of unification")
_phrases("homeland_security_secretary", "US", "homeland security secretary",
         "secretary of homeland security")
_phrases("attorney_general", None, "attorney general")
_phrases("special_counsel", "US", "special counsel")
_phrases("un_ambassador", None, "ambassador to the united nations", "ambassador to the un",
         "un ambassador", "un envoy", "envoy to the united nations", "envoy to the un",
         "permanent representative to the united nations", "permanent representative to the un",
         "ambassador to the world body")
_phrases("ambassador", None, "ambassador")
_phrases("envoy", None, "envoy", "special envoy", "special representative",
         "special presidential envoy", "presidential envoy", "peace envoy")
_phrases("secretary_general", None, "secretary general")
_phrases("secretary_general", "UN", "un chief")
_phrases("secretary_general", "NATO", "nato chief")
_phrases("director_general", None, "director general")
_phrases("director_general", "IAEA", "iaea chief")
_phrases("cia_director", "US", "cia director", "director of the cia", "cia chief",
         "director of central intelligence")
_phrases("director_of_national_intelligence", "US", "director of national intelligence",
         "national intelligence director")
_phrases("fbi_director", "US", "fbi director", "director of the fbi")
_phrases("intelligence_chief", None, "intelligence chief", "spy chief", "head of intelligence")
_phrases("military_chief", "US", "chairman of the joint chiefs of staff", "chairman of the joint chiefs",
         "joint chiefs chairman")
_phrases("military_chief", None, "chief of the general staff", "chief of general staff", "army chief",
         "military chief", "armed forces chief", "commander in chief of the armed forces")
_phrases("house_speaker", "US", "house speaker", "speaker of the house",
         "speaker of the house of representatives")
_phrases("parliament_speaker", None, "parliament speaker", "speaker of parliament",
         "speaker of the parliament", "parliamentary speaker")
_phrases("parliament_speaker", "RU", "duma speaker", "speaker of the duma", "speaker of the state duma")
_phrases("senate_majority_leader", "US", "senate majority leader", "majority leader")
_phrases("senate_minority_leader", "US", "senate minority leader", "minority leader")
_phrases("senator", None, "senator")
_phrases("representative", "US", "congressman", "congresswoman")
_phrases("governor", None, "governor")
_phrases("mayor", None, "mayor")
# phrases that contain an office word but are not that office
_phrases(None, None, "opposition leader", "leader of the opposition", "party leader", "world leader",
         "business leader", "religious leader", "rebel leader", "militant leader", "separatist leader",
         "house majority leader", "house minority leader", "chairman of", "committee chairman",
         "party chairman", "fed chairman", "federal reserve chairman", "executive chairman",
         "board chairman", "vice chairman", "deputy chairman", "president elect", "first lady",
         "queen consort", "queen mother", "crown princess", "deputy crown prince",
         "under secretary of state", "undersecretary of state", "assistant secretary of state",
         "commander in chief", "cabinet secretary", "supreme court justice", "chief justice",
         "attorney general s office")

OFFICE_PHRASES: dict[tuple[str, ...], tuple[str | None, str | None]] = {
    tuple(normalise(p).split()): v for p, v in OFFICE_PHRASES_RAW.items()
}

# a word right before the office that makes it a different (usually unrecorded) office
DEPUTY_WORDS = frozenset({"deputy", "assistant", "under", "undersecretary", "associate", "vice"})
# words that make a description point away from the current holder
NOT_CURRENT = frozenset({"former", "ex", "late", "previous", "predecessor", "future", "next",
                          "would", "candidate", "elect"})
# a preposition before an office marks it as a complement ("the chief of staff to the president")
COMPLEMENT_PREPS = frozenset({"of", "to", "for", "with", "at", "by", "from", "under", "about", "against"})
SKIP_WORDS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "your", "my"})
# prepositions that introduce the country an office belongs to ("foreign minister of Cuba")
OF_PREPS = frozenset({"of", "for", "in", "at"})
# "his counterpart", "the Russian counterpart": the other side, not an office
COUNTERPART = frozenset({"counterpart", "counterparts"})

# generic organisation phrases that need a country
GENERIC_ORGS: dict[tuple[str, ...], str] = {
    tuple(normalise(p).split()): kind
    for p, kind in {
        "foreign ministry": "foreign_ministry",
        "ministry of foreign affairs": "foreign_ministry",
        "foreign affairs ministry": "foreign_ministry",
        "foreign office": "foreign_ministry",
        "mfa": "foreign_ministry",
        "defense ministry": "defense_ministry",
        "defence ministry": "defense_ministry",
        "ministry of defense": "defense_ministry",
        "ministry of defence": "defense_ministry",
        "embassy": "embassy",
    }.items()
}
GENERIC_ORG_NAMES = {"foreign_ministry": "Foreign Ministry", "defense_ministry": "Defense Ministry",
                      "embassy": "Embassy"}

# leading words stripped from a person mention ("Russian President", "Mr.", "Sen.", "then-")
TITLE_WORDS = """
the a an former ex late then acting interim incoming outgoing current new newly elected top senior
chief deputy special presidential mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron
rev reverend sen senator rep representative congressman congresswoman gov governor gen general lt
lieutenant col colonel adm admiral marshal field amb ambassador sec secretary minister chairman
chairwoman comrade sheikh sheik shaikh emir king queen prince princess emperor empress pope cardinal
ayatollah grand imam speaker leader chancellor justice judge mayor director commissioner envoy
spokesman spokeswoman spokesperson aide adviser advisor counselor elect his her holiness majesty
excellency hrh crown prime vice foreign defense defence national security press state premier
president party first supreme counterpart colleague republican republicans democratic democrat gop
independent labour conservative tory liberal intelligence military
"""
TITLE_TOKENS = frozenset(TITLE_WORDS.split())
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# a lone word that is a surname but usually something else ("He said ...", "an"): only
# resolved after a title ("Mr. He", "Vice Premier He")
PRONOUN_LIKE = frozenset({"he", "an", "so", "no", "it", "us", "we", "me"})
AL_PREFIXES = ("al ", "el ", "de ")

