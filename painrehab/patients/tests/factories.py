from datetime import date, timedelta

import factory
from faker import Faker

from painrehab.core.personnummer import tax_agency_test_number
from painrehab.patients.models import Patient

_fake = Faker("sv_SE")


def _birth_date(n: int) -> date:
    return date(1960, 1, 1) + timedelta(days=n * 7)


class PatientFactory(factory.django.DjangoModelFactory[Patient]):
    """A synthetic patient: Faker names, a personnummer on the Tax Agency's test scheme."""

    class Meta:
        model = Patient

    birth_date = factory.Sequence(_birth_date)
    personnummer = factory.LazyAttributeSequence(
        lambda o, n: tax_agency_test_number(born=o.birth_date, female=n % 2 == 0)
    )
    first_name = factory.LazyFunction(_fake.first_name)
    last_name = factory.LazyFunction(_fake.last_name)
    street_address = factory.LazyFunction(_fake.street_address)
    postal_code = factory.LazyFunction(_fake.postcode)
    city = factory.LazyFunction(_fake.city)
