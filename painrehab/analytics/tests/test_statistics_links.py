"""Every link on the statistics page leads somewhere the member may go: no
tab that ends in a refusal."""

import re

import pytest

from painrehab.accounts.models import Membership, User
from painrehab.accounts.permissions import Profession

pytestmark = pytest.mark.usefixtures("clock")

HREF = re.compile(r'href="(/statistik/[^"]*)"')


def _links(html: str) -> list[str]:
    return sorted({link.replace("&amp;", "&") for link in HREF.findall(html)})


@pytest.mark.parametrize("profession", list(Profession))
def test_every_statistics_link_opens_for_a_member_without_admin_rights(
    profession, unit_a, client_for
):
    user = User.objects.create_user(username=f"user_{profession}", password=None)
    member = Membership.objects.create(user=user, unit=unit_a, profession=profession)
    client = client_for(member)
    html = client.get("/statistik/").content.decode()
    assert "Registerexport" not in html
    links = _links(html)
    assert "/statistik/utfall/" in links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_unit_administrator_sees_the_registry_export_and_may_open_it(
    coordinator, client_for
):
    client = client_for(coordinator)
    links = _links(client.get("/statistik/").content.decode())
    assert "/statistik/register/" in links
    for link in links:
        assert client.get(link).status_code == 200, link
