from tests.conftest import HIDDEN_NAME


def test_conferences_carry_the_counts_recorded_here(client, small_network):
    conferences = {c["short_name"]: c for c in client.get("/api/v1/conferences").json()}
    iclc6 = conferences["ICLC 6"]
    assert (iclc6["delegation_count"], iclc6["city_count"], iclc6["country_count"], iclc6["delegate_count"]) == (
        5,
        5,
        3,
        7,
    )
    assert client.get(f"/api/v1/conferences/{small_network.iclc5.slug}").json()["delegate_count"] == 2


def test_delegations_say_whether_the_city_was_a_member_then(client, small_network):
    url = f"/api/v1/delegations?conference={small_network.iclc5.slug}"
    body = client.get(url).json()
    was_member = {d["city_name"]: d["city_was_member"] for d in body["results"]}
    assert was_member == {"Cork": True, "Vinh": True, "Bouaké": False}


def test_delegations_list_only_published_delegates_by_name_and_role(client, build_network):
    network = build_network(2)
    body = client.get(f"/api/v1/delegations?conference=iclc-6&city={network.cities[0].slug}").json()
    [delegation] = body["results"]
    assert delegation["delegate_count"] == 2
    assert delegation["delegates"] == [{"name": "Published Person 0", "role": "policymaker", "is_head": True}]
    assert HIDDEN_NAME not in str(body)


def test_sessions_of_one_conference(client, build_network):
    build_network(2)
    sessions = client.get("/api/v1/sessions?conference=iclc-6").json()
    assert [s["title"] for s in sessions] == ["Parallel session on climate action"]
    assert client.get("/api/v1/sessions?conference=nothing-here").status_code == 404
