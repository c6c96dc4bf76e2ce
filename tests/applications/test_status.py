from applications.status import ALLOWED, DECIDED, ENDORSED_OR_LATER, Status

ORDER = [Status.DRAFT, Status.RECEIVED, Status.ENDORSED, Status.UNDER_REVIEW, Status.RECOMMENDED, *DECIDED]


def test_every_move_goes_forward():
    rank = {**{s: i for i, s in enumerate(ORDER)}, Status.NOT_RECOMMENDED: ORDER.index(Status.RECOMMENDED)}
    assert all(rank[to] > rank[current] for current, nexts in ALLOWED.items() for to in nexts)


def test_decisions_are_final_and_follow_the_jury():
    assert not any(decided in ALLOWED for decided in DECIDED)
    assert ALLOWED[Status.RECOMMENDED] == ALLOWED[Status.NOT_RECOMMENDED] == DECIDED


def test_the_cap_counts_every_step_from_endorsed():
    assert set(ENDORSED_OR_LATER) == set(Status) - {Status.DRAFT, Status.RECEIVED}
