"""Word lists the rules use: generic English vocabulary, never names from any evaluation text."""

#: Nouns whose modifier or possessor is an organization: "an Acme employee", "Acme's CEO".
ORG_CUE_NOUNS = frozenset("""
employee employees staffer staffers spokesman spokeswoman spokesperson spokespeople ceo cfo cto coo
chairman chairwoman executives cofounder co-founder headquarters hq shareholders stockholders
subsidiary subsidiaries division platform users customers workforce stock shares
""".split())


#: Nouns that people have too ("the senator's office"): weaker evidence of an organization.
WEAK_ORG_CUE_NOUNS = frozenset("""
staff board team teams account accounts officials management branch offices office unit engineers
""".split())


#: Appositions that say what kind of thing a name is: "Brightline, a Boston startup".
ORG_APPOSITIONS = frozenset("""
company firm startup start-up maker manufacturer retailer group agency bank carrier airline
newspaper broadcaster network publisher nonprofit non-profit charity organization organisation party
university college school club team association foundation institute ministry department
subsidiary conglomerate developer provider operator chain brand outlet site website platform service
""".split())


#: Titles that precede a person's name.
PERSON_TITLES = frozenset("""
mr mr. mrs mrs. ms ms. dr dr. sir dame lady lord prof prof. professor sen sen. senator rep rep.
representative gov gov. governor president vice-president pres. pope rev rev. judge justice gen gen.
general col col. capt capt. sgt sgt. lt lt. mayor minister king queen prince princess chancellor
secretary ambassador
""".split())


#: Nouns that end an organization's name when it names a unit: "the Security Research team".
UNIT_NOUNS = frozenset("""
team division department unit committee board office bureau council agency lab labs group
""".split())


#: Nouns naming a job or role (the head of "Acme spokesman" / "a spokesman for Acme").
JOB_NOUNS = frozenset("""
ceo cfo cto coo chairman chairwoman chair president vice-president director founder cofounder co-
founder owner editor reporter correspondent columnist writer journalist producer analyst economist
spokesman spokeswoman spokesperson employee staffer engineer developer manager executive officer
official professor lecturer researcher scientist lawyer attorney counsel secretary minister adviser
advisor consultant coach captain player member leader head partner chief governor senator ambassador
commissioner superintendent principal teacher student intern contractor moderator worker volunteer
representative agent
""".split())


#: Nouns that say a name is a person when they describe it: "pianist Ana Ruiz", "Ruiz, 47, a
#: violinist". Occupations; job nouns are in JOB_NOUNS. No family words: in "born in Lakeside, the
#: son of a farmer" the parser hangs "son" on the town.
PERSON_NOUNS = JOB_NOUNS | frozenset("""
actor actress artist author composer conductor dancer designer filmmaker historian musician novelist
painter photographer pianist playwright poet sculptor singer songwriter violinist guitarist drummer
astronaut athlete pilot surgeon physician doctor nurse priest bishop cardinal rabbi imam activist
assassin gunman suspect defendant victim witness veteran businessman businesswoman entrepreneur
banker investor billionaire millionaire politician lawmaker legislator diplomat dissident
""".split())

#: Nouns that say a name is a place when they describe it: "Tarvik, the capital of ...", "the town
#: of Brenmoor", "cities such as ...".
PLACE_NOUNS = frozenset("""
capital city town village hamlet suburb port state province country nation county region island
district neighborhood neighbourhood municipality hometown
""".split())

#: Noble titles that make "<title> of <place>" a person: "the Duke of Elmshire".
NOBLE_TITLES = frozenset("duke duchess archduke archduchess earl countess count baron baroness marquess".split())


#: Words that make a multi-word name (or a display name) an organization: "Contoso Holdings".
ORG_NAME_WORDS = frozenset("""
ag agency airlines airways alliance association authority bank campaign capital center centre
channel club co co. coalition college commission committee company corp corp. corporation council
daily department dept embassy fc federation foundation fund gazette gmbh government group herald
holdings hospital inc inc. initiative institute institution journal labs league library llc ltd ltd.
magazine media ministry motors museum network networks news office official org partners party plc
police post press project radio report sa school society software systems team technologies
technology times tribune trust tv university ventures weekly
""".split())


#: Chat words and common abbreviations the model mistakes for names ("LOL", "IQ" as an ORG).
CHAT_WORDS = frozenset("""
iq gdp ceo cfo tv pr ai dna hiv aids id pc vp ok usb faq pdf gps atm suv diy eta rsvp asap url
covid ptsd adhd hr it qa rip mvp goat
lol lmao lmfao rofl omg omfg wtf smh imo imho tbh btw fyi idk ngl rip irl afaik ftw yolo fml wow
""".split())

#: Things on a platform: "Trump's Twitter account" says nothing of who works for Twitter.
PLATFORM_NOUNS = frozenset("account accounts feed feeds page pages profile profiles channel handle post posts".split())

#: Time-zone abbreviations, which the model sometimes tags as organizations in datelines.
TIME_ZONES = frozenset("gmt utc est edt cst cdt mst mdt pst pdt bst cet cest".split())

#: AP-style abbreviations of US states, which follow a town in datelines and addresses
#: ("Millbrook, Ill."); the small model often leaves them untagged.
STATE_ABBREVIATIONS = frozenset("""
ala. ariz. ark. calif. colo. conn. del. fla. ga. ill. ind. kan. kans. ky. la. md. mass. mich. minn.
miss. mo. mont. neb. nev. n.h. n.j. n.m. n.y. n.c. n.d. okla. ore. pa. r.i. s.c. s.d. tenn. tex.
vt. va. wash. w.va. wis. wyo. d.c.
""".split())

#: Words that make a multi-word name a place: "Oakhill County", "Redmere River", "Glenmoor National
#: Forest". Generic geographic nouns only; "District Court" still ends in an organization word.
PLACE_NAME_WORDS = frozenset("""
district province county parish prefecture region township borough island islands peninsula
river lake bay gulf strait canal valley mountain mountains desert plateau forest coast sea ocean
street avenue boulevard square
""".split())
