"""Word lists for reported speech. Data, not logic: extend here."""

# Verbs (lemmas) that report what someone said or wrote.
SPEECH_VERBS = frozenset("""
say tell note add tweet write report argue demand ask warn suggest describe stress claim announce
insist reply explain deny accuse blame praise hail dismiss urge pledge threaten promise vow
acknowledge admit concede declare confirm state remark observe predict complain criticize criticise
condemn question respond repeat reiterate reaffirm emphasize emphasise maintain contend recall reveal
disclose characterize characterise define denounce attack protest assert theorize theorise speculate
boast lament joke quip muse wonder recount retort counter testify inform signal indicate propose
caution post exclaim mention allege brag concur declaim decry describe forecast grumble hint
instruct opine plead proclaim reason reassure rebut recommend reflect reject rule scoff scold shout
congratulate reprimand rebuke chide slam snap underscore underline voice whisper agree commit pan laud label brand call refer
charge blast cite press lobby estimate dub attribute single fault lash berate castigate chastise applaud commend
credit caution assure vouch point speak reassert pressure
""".split())

# Verbs that report content only through one of these prepositions ("spoke of gunfire",
# "spoke about the treaty"); "spoke to reporters" or "spoke on Monday" report nothing.
PREPOSITION_ONLY = {"speak": frozenset({"of", "about"})}

# Verbs whose content may be a word or two ("Moscow denies this", "Russia denies meddling").
SHORT_CONTENT = frozenset({"deny", "say", "speak"})

# Verbs that report speech only with an object and an infinitive ("pressed Rell to sign",
# "lobbied him to stay", "pushed allies to spend more"); "pressed ahead", "lobbied Congress" or
# "pushed for talks" alone say nothing.
OBJECT_INFINITIVE = frozenset({"press", "lobby", "pressure", "push"})

# Verbs that need an object-and-predicate shape to carry content ("called the plan 'reckless'",
# "referred to Kim as 'little rocket man'"); alone they are acts ("called Putin" = phoned).
NEEDS_PREDICATE = frozenset({"call", "refer", "label", "brand", "describe", "characterize",
                             "characterise", "define", "hail", "dismiss", "praise", "laud", "pan",
                             "attack", "slam", "blame", "accuse", "denounce", "thank", "congratulate",
                             "blast", "dub", "single", "fault", "lash", "berate", "castigate",
                             "chastise", "applaud", "commend", "credit"})

# Only count these when they govern a clause or an infinitive ("agreed to hold talks"), not an object.
CLAUSE_ONLY = frozenset({"agree", "commit", "maintain", "state", "signal", "observe", "signal", "indicate", "propose", "reflect", "rule",
                         "reason", "wonder", "inform", "post", "respond", "counter",
                         "recall", "reject", "voice", "recommend", "write", "report", "add",
                         "estimate", "assure", "vouch", "charge"})

# Prepositions that introduce the content of a speech act ("accused X of Y", "insisted on Y").
CONTENT_PREPOSITIONS = frozenset({"as", "for", "of", "about", "on", "to", "against", "that"})

# Nouns of occasions and media that hang off a speech verb without being content.
SETTING_NOUNS = frozenset("""
conference interview statement reporters briefing press news television tv radio twitter
summit meeting speech remarks event rally show program programme broadcast call visit trip
tweet post message letter video website site sidelines dinner lunch breakfast session hearing
""".split())

# Subjects that stand for an unnamed source.
UNNAMED_SOURCE_HEADS = frozenset("""
official officials source sources aide aides diplomat diplomats people person critic critics
analyst analysts expert experts observer observers lawmaker lawmakers senator senators member members
supporter supporters opponent opponents spokesman spokeswoman spokesperson insider insiders
staffer staffers adviser advisers advisor advisors someone anyone others many some few
""".split())

# Nouns for people and bodies that speak, besides unnamed sources: offices, groups, institutions.
SPEAKING_NOUNS = frozenset("""
president premier chancellor minister secretary leader king queen prince chairman ambassador envoy
diplomat spokesman spokeswoman spokesperson negotiator general commander governor mayor senator
representative congressman congresswoman lawmaker democrat republican media agency ministry
government administration department office kremlin house committee council commission party
campaign team side sides delegation embassy regime military army statement newspaper outlet
network broadcaster journalist reporter correspondent columnist author historian professor scholar
researcher economist strategist pundit commentator host anchor editor son daughter wife husband
father mother brother sister counterpart successor predecessor pope cardinal bishop
country countries group groups jury retailer retailers company companies firm firms business businesses
protester protesters demonstrator demonstrators eyewitness eyewitnesses witness witnesses troops soldier
soldiers resident residents voter voters union investor investors activist activists poll survey
state states nation nations ally allies leaders lawyer lawyers attorney attorneys pilot veteran veterans
""".split())
