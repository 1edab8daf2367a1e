import pytest
from django.core.exceptions import ValidationError

from painrehab.core.forms import IdsField


@pytest.mark.parametrize("bad", [str(2**63), "-1", "1.5", "²", "abc"])
def test_ids_field_refuses_what_no_row_can_have_before_querying(
    bad, coordinator, django_assert_num_queries
):
    from painrehab.accounts.models import User

    field = IdsField(queryset=User.objects.all())
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        field.clean([bad])
    assert refused.value.messages == [f"“{bad}” är inte ett giltigt värde."]


def test_ids_field_accepts_existing_ids(coordinator):
    from painrehab.accounts.models import User

    field = IdsField(queryset=User.objects.all())
    assert list(field.clean([str(coordinator.user_id)])) == [coordinator.user]
