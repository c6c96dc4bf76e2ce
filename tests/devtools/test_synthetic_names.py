import random
import unicodedata

from core.text import fold
from devtools.synthetic_names import NameMaker


def names(seed: int, count: int = 50) -> list[str]:
    maker = NameMaker(random.Random(seed))
    return [maker.city() for _ in range(count)]


def test_same_seed_gives_the_same_names():
    assert names(11) == names(11)
    assert names(11) != names(12)


def test_accented_puts_a_diacritic_on_one_letter():
    word = NameMaker(random.Random(1)).accented("Sadec")
    assert word != "Sadec"
    assert fold(word) == "sadec"


def test_accented_leaves_words_without_candidate_letters():
    assert NameMaker(random.Random(1)).accented("Khyth") == "Khyth"


def test_local_names_use_a_script_of_the_region():
    maker = NameMaker(random.Random(5))
    arabic = maker.local_name("Jubail", "arab-states")
    assert arabic and all("ARABIC" in unicodedata.name(ch) for ch in arabic if ch not in " -")
    assert maker.local_name("Cuenca", "latin-america-caribbean") == ""
    for _ in range(20):
        assert not maker.local_name("Sejong", "asia-pacific").isascii()


def test_people_have_a_given_and_a_family_name():
    maker = NameMaker(random.Random(2))
    assert all(len(maker.person().split()) == 2 for _ in range(50))
