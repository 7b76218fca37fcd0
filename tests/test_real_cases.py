"""Issue 13: parties, disputes, captions, headlines and case facts, on texts written here."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

from tracker import cases
from tracker.facts import extract_facts
from tracker.headlines import TITLE_MAX, headline, tidy
from tracker.importer import UNFILED, import_paths, known_events
from tracker.store import Store

# -- stories about three disputes, two of them against one agency -------------------------

KITE_1 = ("Kitewing sues Pentagon over military label\n\n"
          "By Ada Lowe | March 3, 2025\n\n"
          "Drone maker Kitewing Aero Ltd. sued the U.S. Department of Defense on Monday, asking a federal judge "
          "to remove it from a list of companies the Pentagon links to the military. Kitewing said the label "
          "cost it customers. Judge Nora Vale of the U.S. District Court for the District of Columbia will hear "
          "the case.\n")
KITE_2 = ("Judge hears Kitewing challenge\n\n"
          "Judge Nora Vale on Friday heard arguments in Kitewing Aero's challenge to the Pentagon's designation. "
          "Kitewing told the court the Department of Defense relied on old evidence. Kitewing shares rose 3%.\n")
LUMEN_1 = ("Lidar maker Lumenar takes Pentagon to court\n\n"
           "Lumenar Group sued the Department of Defense on Tuesday over its listing as a military company. "
           "Lumenar says it sells sensors only for cars. Judge Nora Vale will hear the case. Kitewing, Orbis "
           "and others were named on the same list.\n")
LUMEN_2 = ("Lumenar loses first round\n\n"
           "Judge Nora Vale on Thursday refused to pause Lumenar's listing by the Pentagon. Lumenar said it "
           "would keep fighting the Department of Defense in court, and Lumenar shares fell.\n")
MARKET = ("Stocks to watch\n\n"
          "Shares of Kitewing Aero jumped on Wednesday after the court ruling in its fight with the Pentagon. "
          "Kitewing said it was pleased. Analysts expect Kitewing to win back customers.\n")
BRIX_1 = ("Brixworth v. Calder Mills heads to trial\n\n"
          "The case, Brixworth Foods v. Calder Mills, goes to trial on June 2, 2025, in Delaware. "
          "Brixworth says Calder Mills broke a supply contract.\n")
BRIX_2 = ("Calder Mills settles\n\n"
          "Calder Mills agreed to settle the lawsuit brought by Brixworth Foods on July 9, 2025, "
          "ending the dispute. Brixworth called the deal fair.\n")
STORIES = {"k1.txt": KITE_1, "k2.txt": KITE_2, "l1.txt": LUMEN_1, "l2.txt": LUMEN_2, "m.txt": MARKET,
           "b1.txt": BRIX_1, "b2.txt": BRIX_2}


def _partition(store: Store) -> dict[str, frozenset[str]]:
    return {c.title: frozenset(Path(s.path).name for s in store.case_sources(c.id)) for c in store.list_cases()}


def _import(tmp_path: Path, order: list[str], name: str) -> Store:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for file, text in STORIES.items():
        (folder / file).write_text(text, encoding="utf-8")
    store = Store(tmp_path / f"{name}.db")
    import_paths(store, [folder / f for f in order], today=date(2025, 12, 1))
    return store


def test_two_suits_against_one_agency_are_two_cases_and_a_market_story_joins_its_case(tmp_path: Path) -> None:
    filed = _partition(_import(tmp_path, list(STORIES), "one"))
    assert filed == {
        "Kitewing Aero v. Pentagon": frozenset({"k1.txt", "k2.txt", "m.txt"}),
        "Lumenar v. Department of Defense": frozenset({"l1.txt", "l2.txt"}),
        "Brixworth Foods v. Calder Mills": frozenset({"b1.txt", "b2.txt"}),
    }


def test_the_partition_does_not_depend_on_import_order(tmp_path: Path) -> None:
    orders = list(itertools.permutations(sorted(STORIES)))[::997][:5]
    assert len(orders) == 5
    seen = {frozenset(_partition(_import(tmp_path / str(i), list(order), "o")).values())
            for i, order in enumerate(orders) if (tmp_path / str(i)).mkdir() is None}
    assert len(seen) == 1


def test_a_story_naming_no_party_prominently_is_unfiled(tmp_path: Path) -> None:
    store = Store(tmp_path / "u.db")
    (tmp_path / "v.txt").write_text("An update\n\nThe company said on Tuesday it would keep going.\n", encoding="utf-8")
    import_paths(store, [tmp_path / "v.txt"], today=date(2025, 12, 1))
    assert list(_partition(store)) == [UNFILED]


# -- parties -----------------------------------------------------------------------------

def test_party_keys_join_the_names_of_one_party() -> None:
    key = cases.party_key
    assert key("the Pentagon") == key("U.S. Department of Defense") == key("DoD") == key("Defense Department")
    assert key("Federal Trade Commission") == key("FTC")
    assert key("Justice Department") == key("United States") == "united states"
    assert key("Orrin Labs Inc.") == "orrin"
    assert cases.same_party("new york gazette", "gazette")
    assert not cases.same_party("kitewing aero", "lumenar")


def test_headline_words_and_sentence_starts_are_not_parties() -> None:
    text = ("Embattled Kitewing Faces Sleeping Giant\n\nMeanwhile, investors waited. Kitewing Aero said on "
            "Monday that it sued the Pentagon. Investors in Kitewing were calm.\n")
    names = cases.profile("Embattled Kitewing Faces Sleeping Giant", text).names
    assert "kitewing" in names
    assert not {"embattled", "sleeping", "giant", "faces", "meanwhile", "investors"} & set(names)


def test_roles_of_the_story_outweigh_a_case_named_in_passing() -> None:
    text = ("Orrin Labs Inc. sued Vantor Bank on Monday. Orrin says Vantor froze its accounts. Orrin and Vantor "
            "met in court. Unlike Pell v. Drummond, the case is about deposits. Vantor denied it.\n")
    facts = extract_facts("", text)
    profile = cases.profile("", text, facts)
    assert profile.roles == frozenset({"p:orrin", "d:vantor bank"})
    assert cases.case_title("", text, facts, profile) == "Orrin v. Vantor Bank"


def test_role_patterns() -> None:
    for text, pair in [
        ("A lawsuit by Orrin Labs against Vantor Bank went ahead.", "Orrin Labs v. Vantor Bank"),
        ("Orrin Labs’s challenge to Vantor Bank was heard.", "Orrin Labs v. Vantor Bank"),
        ("In Orrin Labs v Vantor Bank the court ruled.", "Orrin Labs v. Vantor Bank"),
    ]:
        assert pair in {f.value for f in extract_facts("", text) if f.field == "parties"}, text


# -- captions ----------------------------------------------------------------------------

def test_captions_use_the_short_names_reporters_use() -> None:
    text = ("The Federal Trade Commission (FTC) sued Vesta Platforms Inc. The FTC says Vesta bought rivals. "
            "Vesta denies it, and Vesta will fight.")
    assert cases.short_name("Federal Trade Commission", text) == "FTC"
    assert cases.short_name("Vesta Platforms Inc.", text) == "Vesta"
    assert cases.short_name("Justice Department", text) == "United States"
    assert cases.short_name("U.S. Department of Defense", text) == "Department of Defense"
    assert cases.short_name("Elon Marsh", "Elon Marsh sued. Marsh said so. Marsh won.") == "Marsh"
    assert cases.short_name("Harbor Images", "Harbor Images sued. Harbor said so. Harbor won.") == "Harbor Images"


def test_topic_is_what_the_other_case_never_says() -> None:
    assert cases.topic("the ad exchange and the ad exchange fees", "search engine search engine") == "ad exchange"


def test_topic_is_a_thing_not_a_preposition_or_a_past_verb() -> None:
    # Each pair is said twice; only "ad exchange" names what the case is about.
    text = ("a trial without jury on the ad exchange; the bank illegally monopolized the market. "
            "A trial without jury, the ad exchange again; it illegally monopolized.")
    assert cases.topic(text, "search engine") == "ad exchange"


# -- headlines ---------------------------------------------------------------------------

def _title(sentence: str, phrase: str, story: str = "") -> str:
    story = story or sentence
    at = story.index(sentence)
    start = sentence.index(phrase)
    return headline(sentence, start, start + len(phrase), story, at)


def test_headline_strips_connectives_adverbials_and_datelines() -> None:
    assert _title("However, on Monday Orrin Labs sued Vantor Bank.", "on Monday") == "Orrin Labs sues Vantor Bank"
    assert _title("According to a court filing on Tuesday, Vantor Bank asked the judge to dismiss the case.",
                  "on Tuesday") == "Vantor Bank moves to dismiss the case"  # court-news idiom
    assert _title("BOSTON, May 8 (Harbor Wire) - Orrin Labs won its appeal on Friday.", "on Friday") == (
        "Orrin Labs wins its appeal")
    assert _title("With this, Orrin Labs filed suit in March.", "in March") == "Orrin Labs files suit"


def test_headline_is_cut_at_a_phrase_boundary_without_an_ellipsis() -> None:
    title = _title("Orrin Labs on Monday published a long letter to the regulators of the bank and its two founders "
                   "and three former directors about the frozen accounts, saying they were wrong.", "on Monday")
    assert len(title) <= TITLE_MAX and "…" not in title and not title.endswith((" the", " of", " and"))
    assert title == "Orrin Labs publishes a long letter to the regulators of the bank"


def test_headline_keeps_curly_apostrophes_and_quotes() -> None:
    assert _title("Vantor’s lawyers sued the bank’s “rogue” unit on Monday.", "on Monday") == (
        "Vantor’s lawyers sue the bank’s “rogue” unit")


def test_headline_resolves_a_leading_pronoun_and_names_the_judge() -> None:
    story = ("The Federal Trade Commission sued Orrin Labs. It dropped two claims on Monday. "
             "A federal judge in Boston ruled on Friday that the deal was legal. U.S. District Judge Hana Brook "
             "wrote that the FTC had no case. Brook said more.")
    assert _title("It dropped two claims on Monday.", "on Monday", story) == "FTC drops two claims"
    assert _title("A federal judge in Boston ruled on Friday that the deal was legal.", "on Friday", story) == (
        "Brook rules that the deal was legal")


def test_headline_names_the_judge_for_a_court_act_told_with_a_pronoun() -> None:
    story = ("Orrin Labs sued Vantor Bank. U.S. District Judge Hana Brook heard the case. The bank had argued that "
             "the claims were late. She dismissed only the fraud claim on March 3. Brook said more.")
    assert _title("She dismissed only the fraud claim on March 3.", "on March 3", story) == (
        "Brook dismisses only the fraud claim")
    # not every "he" is the judge: a man declining to comment is not the court
    story = "Orrin Labs sued Vantor Bank. Judge Hana Brook heard the case. The bank was upset. He declined to comment on Friday."
    assert _title("He declined to comment on Friday.", "on Friday", story) == "He declines to comment"


def test_headline_puts_regular_verbs_in_the_present_too() -> None:
    assert _title("Judge Hana Brook explained her reasoning on May 2.", "on May 2") == "Brook explains her reasoning"
    assert _title("Two banks urged the court to act on May 2.", "on May 2") == "Two banks urge the court to act"
    assert _title("Orrin Labs stopped selling cards on May 2.", "on May 2") == "Orrin Labs stops selling cards"
    assert _title("Vantor Bank ruled out a deal on May 2.", "on May 2") == "Vantor Bank rules out a deal"
    # a participle after an article is no main verb; an unclear past is left alone
    assert _title("The revised complaint named Orrin on May 2.", "on May 2") == "Revised complaint names Orrin"
    assert _title("Orrin Labs targeted Vantor on May 2.", "on May 2") == "Orrin Labs targeted Vantor"
    assert _title("Vantor Bank answered the complaint and asked for a trial on May 2.", "on May 2") == (
        "Vantor Bank answers the complaint and asks for a trial")
    assert _title("A list released by the agency named Orrin Labs on May 2.", "on May 2") == (
        "List released by the agency names Orrin Labs")


def test_headline_verb_agrees_with_the_head_of_its_subject() -> None:
    assert _title("Commissioners Ada Lowe and Sam Reed dissented from the order on May 2.", "on May 2") == (
        "Commissioners Ada Lowe and Sam Reed dissent from the order")
    assert _title("Orrin’s claims against Vantor survived a motion to dismiss on May 2.", "on May 2") == (
        "Orrin’s claims against Vantor survive a motion to dismiss")
    assert _title("Shares of Orrin Labs rose on May 2.", "on May 2") == "Shares of Orrin Labs rise"
    assert _title("The price of the token surged on May 2.", "on May 2") == "Price of the token surges"
    assert _title("Bank of Vantor sued Orrin Labs on May 2.", "on May 2") == "Bank of Vantor sues Orrin Labs"


def test_headline_of_a_deadline_says_so() -> None:
    assert _title("Judge Hana Brook gave Orrin Labs and Vantor Bank until Oct. 14 to file a joint statement.",
                  "Oct. 14") == "Deadline for Orrin Labs and Vantor Bank to file a joint statement"
    assert _title("Vantor now has 10 days, until Jan. 17, to ask the appeals court for leave to appeal.",
                  "Jan. 17") == "Deadline for Vantor to ask the appeals court for leave to appeal"
    assert _title("Brook ordered the two sides to confer and file a joint report before Nov. 5, citing the motions.",
                  "Nov. 5") == "Deadline for the two sides to confer and file a joint report"
    # a date the act itself took place on is no deadline
    assert _title("Brook ordered the two sides to confer on Nov. 5.", "on Nov. 5") == "Brook orders the two sides to confer"


def test_headline_calls_a_court_of_appeals_by_its_circuit() -> None:
    assert _title("On May 2, the U.S. Court of Appeals for the Third Circuit agreed to hear the appeal.",
                  "On May 2") == "Third Circuit agrees to hear the appeal"
    story = "Orrin Labs appealed to the Ninth Circuit. On May 2, Orrin filed its petition with the appeals court."
    assert _title("On May 2, Orrin filed its petition with the appeals court.", "On May 2", story) == (
        "Orrin files its petition with the Ninth Circuit")


def test_headline_keeps_the_quantity_of_a_date_phrase_out() -> None:
    assert _title("Less than a week later, the two banks settled the dispute.", "a week later") == (
        "Two banks settle the dispute")
    assert _title("About two months later, Orrin Labs sued Vantor Bank.", "two months later") == (
        "Orrin Labs sues Vantor Bank")


def test_headline_of_a_byline_is_empty() -> None:
    assert tidy("By Ada Lowe | 04:10pm EST") == ""


# -- case facts --------------------------------------------------------------------------

def test_judge_from_the_body_not_a_headline_fragment() -> None:
    facts = extract_facts("Judge Temporarily Blocks Ban", "Judge Temporarily Blocks Ban\n\nU.S. District Judge "
                          "Hana Brook on Monday blocked the ban.")
    assert [f.value for f in facts if f.field == "judge"] == ["Judge Hana Brook"]


def test_status_from_what_happened_not_the_word_injunction() -> None:
    open_case = extract_facts("", "Orrin Labs asked for a preliminary injunction against Vantor Bank.")
    assert "status" not in {f.field for f in open_case}
    settled = extract_facts("", "Orrin Labs and Vantor Bank settled the lawsuit on Monday.")
    assert ("status", "settled") in {(f.field, f.value) for f in settled}
    dismissed = extract_facts("", "The judge dismissed the case against Vantor Bank.")
    assert ("status", "dismissed") in {(f.field, f.value) for f in dismissed}


# -- one dispute in two cases ------------------------------------------------------------

ORRIN_1 = "Orrin Labs sues bank\n\nOrrin Labs Inc. sued Vantor Bank on Monday, March 3, 2025. Orrin says Vantor froze its accounts.\n"
ORRIN_2 = "Orrin case goes on\n\nOrrin Labs sued Vantor Bank last year. Orrin and Vantor met in court on May 5, 2025.\n"


def test_a_story_fitting_two_cases_of_one_dispute_goes_to_the_better_one() -> None:
    roles = frozenset({"p:orrin", "d:vantor bank"})
    doc = cases.Profile({"orrin": 2.0, "vantor": 1.9}, frozenset(), {}, roles=roles)
    better = cases.Profile({"orrin": 2.0, "vantor": 1.9}, frozenset(), {}, roles=roles)
    worse = cases.Profile({"orrin": 1.9, "vantor": 1.8}, frozenset(), {}, roles=roles)
    filing = cases.decide(doc, {1: better, 2: worse}, True)
    assert (filing.case_id, filing.unfiled) == (1, False)
    assert "same dispute" in filing.reason
    other = cases.Profile({"orrin": 1.9, "vantor": 1.8}, frozenset(), {}, roles=frozenset({"p:pell", "d:vantor bank"}))
    assert cases.decide(doc, {1: better, 2: other}, True).case_id == 1  # another plaintiff's case does not compete


def test_case_show_offers_the_merge_of_two_cases_of_one_dispute(tmp_path: Path) -> None:
    from tests.helpers import run_cli

    for name, text in {"o1.txt": ORRIN_1, "o2.txt": ORRIN_2}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "d.db"
    assert run_cli(db, "import", "--case", "Orrin first", str(tmp_path / "o1.txt")).returncode == 0
    assert run_cli(db, "import", "--case", "Orrin again", str(tmp_path / "o2.txt")).returncode == 0
    shown = run_cli(db, "case", "show", "Orrin first").stdout
    assert "possible duplicate of case 2 (Orrin again)" in shown
    store = Store(db)
    assert cases.duplicates(1, store.dispute_marks()) == [2]
    store.close()


def test_cases_with_different_dockets_are_not_offered_as_duplicates() -> None:
    marks = {1: ({"p:orrin", "d:vantor bank"}, {"1:24-cv-00001"}), 2: ({"p:orrin", "d:vantor"}, {"1:25-cv-00002"}),
             3: ({"p:orrin", "d:vantor"}, set())}
    assert cases.duplicates(1, marks) == [3]


def test_names_listed_in_passing_weigh_little() -> None:
    text = ("Kitewing Aero sued the Pentagon on Monday. The list also named Orrin, Lumenar and others. "
            "Kitewing said it would win. Investors in Kitewing were calm.")
    names = cases.profile("", text).names
    assert names["orrin"] < 0.25 * names["kitewing"] and names["lumenar"] < 0.25 * names["kitewing"]
    alone = cases.profile("", text.replace("Orrin, Lumenar and others", "Orrin")).names
    assert alone["orrin"] > names["orrin"]


def test_court_and_judge_of_another_case_named_in_passing_are_not_this_cases() -> None:
    text = ("Orrin Labs sued Vantor Bank on Monday in the U.S. District Court for the District of Delaware. "
            "Orrin says Vantor froze its accounts. Judge Hana Brook will hear Orrin Labs v. Vantor Bank. "
            "In a separate case, Pell v. Drummond, Judge Omar Reyes of the U.S. District Court for the Southern "
            "District of New York approved a settlement last year.")
    facts = extract_facts("", text)
    assert [f.value for f in facts if f.field == "judge"] == ["Judge Hana Brook"]
    assert [f.value for f in facts if f.field == "court"] == ["U.S. District Court for the District of Delaware"]
    assert "status" not in {f.field for f in facts}  # the settlement was the other case's


def test_headline_takes_the_event_of_a_relative_or_when_clause() -> None:
    story = "Orrin Labs sued Vantor Bank. Orrin, which sued in May, has said it will win. The fight dates to 2021, when Orrin opened accounts at Vantor."
    assert _title("Orrin, which sued in May, has said it will win.", "in May", story) == "Orrin sues Vantor Bank"
    assert _title("The fight dates to 2021, when Orrin opened accounts at Vantor.", "2021", story) == (
        "Orrin opens accounts at Vantor")


def test_headline_uses_court_news_idiom_and_the_circuit_the_story_names() -> None:
    story = ("Orrin Labs appealed to the Ninth Circuit. A federal appeals court on Monday upheld the verdict. "
             "Vantor Bank asked the judge on Friday to dismiss the case. Judge Hana Brook on Tuesday refused to "
             "dismiss the case. Brook said so.")
    assert _title("A federal appeals court on Monday upheld the verdict.", "on Monday", story) == (
        "Ninth Circuit upholds the verdict")
    assert _title("Vantor Bank asked the judge on Friday to dismiss the case.", "on Friday", story) == (
        "Vantor Bank moves to dismiss the case")
    assert _title("Judge Hana Brook on Tuesday refused to dismiss the case.", "on Tuesday", story) == (
        "Brook denies motion to dismiss the case")


def test_headline_names_who_is_sued_and_agrees_with_a_plural_subject() -> None:
    story = ("Orrin Labs v. Vantor Bank\n\nOrrin Labs sued Vantor Bank in March. Orrin first sued in 2020. "
             "Orrin and Vantor agreed in June to settle. The Securities and Exchange Commission (SEC) opened an "
             "inquiry in July.")
    assert _title("Orrin first sued in 2020.", "in 2020", story) == "Orrin sues Vantor Bank"
    assert _title("Orrin and Vantor agreed in June to settle.", "in June", story) == "Orrin and Vantor agree to settle"
    assert _title("The Securities and Exchange Commission (SEC) opened an inquiry in July.", "in July", story) == (
        "SEC opens an inquiry")


def test_headline_keeps_the_subject_of_a_verb_after_and() -> None:
    story = "The agency took Orrin off the list and relisted it in May, citing new facts."
    assert _title(story, "in May", story) == "Agency takes Orrin off the list and relists it"


def test_a_pronoun_after_a_government_subject_keeps_its_head_noun() -> None:
    story = "In May, the Vale administration listed Orrin Labs. With this, it planned on June 3 to bar Orrin's sales."
    assert _title("With this, it planned on June 3 to bar Orrin's sales.", "on June 3", story) == (
        "Vale administration plans to bar Orrin's sales")


def test_headline_of_a_filed_suit_possessive_pronoun_and_named_appositive() -> None:
    story = ("Orrin Labs v. Vantor Bank\n\nOrrin Labs sued Vantor Bank in March. The lawsuit was filed on March 3 "
             "in Delaware. Orrin added that affiliate, Vantor Trust, as a defendant on May 2. Orrin Labs won a "
             "ruling. Its separate claims survived a motion to dismiss on June 9, 2025.")
    assert _title("The lawsuit was filed on March 3 in Delaware.", "on March 3", story) == (
        "Orrin sues Vantor Bank in Delaware")
    assert _title("Orrin added that affiliate, Vantor Trust, as a defendant on May 2.", "on May 2", story) == (
        "Orrin adds Vantor Trust as a defendant")
    assert _title("Its separate claims survived a motion to dismiss on June 9, 2025.", "on June 9, 2025", story) == (
        "Orrin Labs's separate claims survive a motion to dismiss")


def test_restatements_are_recognised_by_the_stories_words_not_our_titles(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    one = "Orrin Labs sued Vantor Bank on March 3, 2025, over frozen accounts.\n"
    (tmp_path / "one.txt").write_text(one, encoding="utf-8")
    import_paths(store, [tmp_path / "one.txt"], case_title="Orrin", today=date(2025, 12, 1))
    case = store.find_case("Orrin")
    (known,) = known_events(store, case.id, "2025-01-01", "2025-12-31")
    title = store.list_events(case.id)[0].title
    assert "sues" in title and "sues" not in known.words  # the headline's wording is not a restatement's


# -- one plaintiff, several defendants (issue 13 after the merge with the dates work) ---------

def _profile(text: str) -> cases.Profile:
    title, _, _ = text.partition("\n")
    return cases.profile(title, text, extract_facts(title, text))


AGENCY_V_ORRIN = ("Trade board sues Orrin Labs\n\n"
                  "The Fair Trade Board (FTB) sued Orrin Labs on Monday, saying Orrin hid its fees. "
                  "Orrin said the FTB was wrong. Judge Hana Brook will hear the FTB's case against Orrin.\n")
AGENCY_V_VANTOR = ("Trade board takes Vantor Bank to court\n\n"
                   "The Fair Trade Board (FTB) sued Vantor Bank on Tuesday over its card fees. Vantor said it "
                   "would fight the FTB. Judge Ivo Marr will hear the FTB's case against Vantor.\n")


def test_one_plaintiff_suing_another_defendant_is_another_case() -> None:
    orrin, vantor = _profile(AGENCY_V_ORRIN), _profile(AGENCY_V_VANTOR)
    assert {r for r in orrin.roles if r.startswith("p:")} == {r for r in vantor.roles if r.startswith("p:")}
    assert cases.other_dispute(vantor, orrin) and cases.other_dispute(orrin, vantor)
    assert cases.similarity(vantor, orrin)[0] == 0.0
    # the same defendant under the name the case's stories use most is the same case
    renamed = _profile("Trade board and Orrin meet\n\nThe FTB sued Orrin Labs Inc. in May. Orrin and the FTB "
                       "met before Judge Hana Brook on Friday; Orrin called the FTB's claims weak.\n")
    assert not cases.other_dispute(renamed, orrin)


def test_a_roundup_naming_a_cases_defendant_once_is_not_that_cases_story() -> None:
    # A story that states no dispute, about the agency and the company it names most,
    # mentions the other company the agency sued once, deep in the body.
    roundup = _profile("The FTB's busy week\n\n"
                       "The Fair Trade Board (FTB) had a busy week. Vantor Bank paid card holders a first refund, "
                       "and Vantor said more would follow.\n\nThe FTB said Vantor customers should check their mail. "
                       "Vantor Bank's trial is set for next year.\n\n"
                       "Elsewhere, the board is still waiting for a ruling in its suit against Orrin Labs.\n")
    case = cases.merge([_profile(AGENCY_V_ORRIN)])
    assert cases.other_dispute(roundup, case)
    # named in the lead or more than once, the defendant is no name in passing
    lead = _profile("The FTB's busy week\n\nThe Fair Trade Board (FTB) and Orrin Labs met in court on Friday. "
                    "The FTB said Orrin hid fees. Orrin denied it, and Vantor Bank was not involved.\n")
    assert not cases.other_dispute(lead, case)


def test_a_roundup_goes_to_the_case_of_the_company_it_names_most(tmp_path: Path) -> None:
    """Whichever order the stories come in, and dated or not, the roundup joins its case."""
    roundup = ("The FTB's busy week\n\nThe Fair Trade Board (FTB) had a busy week. Vantor Bank paid card "
               "holders a first refund on Monday, and Vantor said more would follow.\n\nThe FTB said Vantor "
               "customers should check their mail. Vantor Bank's trial is set for next year.\n\n"
               "Elsewhere, the board is still waiting for a ruling in its suit against Orrin Labs.\n")
    vantor_undated = ("Vantor Bank faces the trade board\n\nThe Fair Trade Board (FTB) says Vantor Bank charged "
                      "hidden card fees. Vantor denies it. The FTB and Vantor will meet before Judge Ivo Marr.\n")
    stories = {"o.txt": AGENCY_V_ORRIN, "r.txt": roundup, "v.txt": vantor_undated}
    seen = set()
    for i, order in enumerate(itertools.permutations(sorted(stories))):
        folder = tmp_path / str(i)
        folder.mkdir()
        for name, text in stories.items():
            (folder / name).write_text(text, encoding="utf-8")
        store = Store(tmp_path / f"{i}.db")
        import_paths(store, [folder / n for n in order], today=date(2025, 12, 1))
        seen.add(frozenset(_partition(store).values()))
    assert seen == {frozenset({frozenset({"o.txt"}), frozenset({"r.txt", "v.txt"})})}
