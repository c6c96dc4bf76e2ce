import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command("benchmark_pages", "--no-freeze", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_prints_time_and_queries_of_each_page_and_the_verdict(build_network, tmp_path):
    build_network(2)
    saved = tmp_path / "demo.json"
    output = run("--requests", "1", "--no-exports", "--json", str(saved))
    assert "home " in output and "report delegates" in output and "admin delegate" in output
    assert "median" in output and "p95" in output and "queries" in output
    assert "Budgets: p95 < 300 ms" in output
    assert json.loads(saved.read_text())["pages"][0]["name"] == "home"


def test_times_every_api_endpoint_with_its_own_budget(build_network, client):
    build_network(3)
    output = run("--requests", "2", "--no-exports", "--only", "api")
    timed = {line.split("  ")[0].strip() for line in output.splitlines() if line.startswith("api ")}
    paths = {path.removeprefix("/api/v1") for path in client.get("/api/v1/openapi.json").json()["paths"]}
    names = {"/" + name.removeprefix("api ").split(",")[0] for name in timed}
    # Every endpoint is timed (a path parameter's endpoint by its one-record page).
    assert {p.replace("/{slug}", "") for p in paths} <= names | {"/cities", "/conferences"}
    assert {"api city", "api conference"} <= timed
    assert "api cities, deep page" in timed and "api delegations, deep page" in timed
    assert "OVER (HTTP" not in output  # every endpoint answered 200, the rate limit lifted
    assert "API: p95 < 100 ms and first < 300 ms" in output


def test_prints_a_baseline_alongside_and_the_ratio(build_network, tmp_path):
    build_network(2)
    saved = tmp_path / "demo.json"
    run("--requests", "1", "--no-exports", "--only", "directory", "--json", str(saved))
    output = run("--requests", "1", "--no-exports", "--only", "directory", "--baseline", str(saved))
    assert "Baseline " in output
    directory = next(line for line in output.splitlines() if line.startswith("directory "))
    assert directory.count("|") == 1 and "x " in directory


def test_exports_one_report_and_says_how_many_rows_how_fast_and_in_how_much_memory():
    CityFactory.create_batch(3)
    result = json.loads(run("--export", "cities.csv").strip().splitlines()[-1])
    assert (result["name"], result["rows"]) == ("cities.csv", 3)
    assert result["seconds"] > 0 and result["peak_rss_mb"] > 0


@pytest.mark.parametrize("option", ["--requests", "--rounds"])
def test_refuses_a_number_of_requests_or_rounds_below_one(option):
    with pytest.raises(CommandError, match="must be 1 or more"):
        run(option, "0")


def test_keeps_each_pages_best_round(build_network):
    build_network(2)
    output = run("--requests", "1", "--rounds", "2", "--no-exports", "--only", "home")
    assert [line.split()[0] for line in output.splitlines()].count("home") == 1


def test_explains_an_export_that_does_not_exist():
    with pytest.raises(CommandError, match=r"No export 'towns\.csv'"):
        run("--export", "towns.csv")


def test_times_the_pages_in_another_language(build_network, tmp_path):
    build_network(2)
    saved = tmp_path / "fr.json"
    output = run("--requests", "1", "--no-exports", "--language", "fr", "--json", str(saved))
    pages = {page["name"]: page for page in json.loads(saved.read_text())["pages"]}
    assert pages["home"]["url"] == "/fr/" and pages["directory"]["url"].startswith("/fr/cities/")
    assert pages["home"]["status"] == 200  # the French page itself, not a redirect to it
    assert "OVER (HTTP" not in output


def test_a_page_whose_first_requests_reach_300_ms_at_p95_is_over_budget_even_if_one_round_was_fast():
    from devtools.benchmarking import API, PUBLIC, Timing
    from devtools.management.commands.benchmark_pages import within_budget

    def timing(kind, firsts, p95=20.0):
        return Timing("page", kind, "/", min(firsts), 5.0, p95, 9, 1, 200, firsts)

    assert within_budget(timing(PUBLIC, [120.0, 250.0, 299.0]))
    assert not within_budget(timing(PUBLIC, [120.0, 90.0, 300.0]))
    assert not within_budget(timing(API, [80.0, 310.0]))
    assert not within_budget(timing(PUBLIC, [120.0], p95=300.0))
