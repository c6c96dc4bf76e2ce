"""The admissions admins under the shared harness (tests/test_admin_pages.py, tests/test_admin_bad_input.py)."""

from applications.models import Application, Call
from applications.status import Status
from tests.admin_pages import AppPages
from tests.applications.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CallFactory,
    DecisionFactory,
    EndorsementFactory,
    ReviewFactory,
    TransitionFactory,
)


def build_calls(n):
    first, *others = CallFactory.create_batch(n)
    for call in [first, *others]:
        ApplicationFactory(call=call)
    return first


def build_applications(n):
    """n applications; the first has n reviews, attachments and status changes, an endorsement and a decision."""
    first, *_ = ApplicationFactory.create_batch(n, status=Status.NOT_ADMITTED)
    EndorsementFactory(application=first)
    DecisionFactory(application=first)
    ReviewFactory.create_batch(n, application=first)
    AttachmentFactory.create_batch(n, application=first)
    TransitionFactory.create_batch(n, application=first)
    return first


def world(network):
    network.application = ApplicationFactory(existing=True, city=network.vinh, country=network.vinh.country)
    return network


def many_rows():
    """More than 100 calls (the application form offers them through an autocomplete)."""
    CallFactory.create_batch(101)


ADMIN = AppPages(
    pages={Call: (build_calls, "secretariat"), Application: (build_applications, "Applicant Town")},
    world=world,
    change_pages={"application-of-vinh": lambda w: w.application},
    many_rows=many_rows,
)
