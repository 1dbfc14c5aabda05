import factory
from django.contrib.auth.models import Group

from accounts.actors import SystemActor
from accounts.models import (
    MappingVersion,
    Neighbourhood,
    Organisation,
    Team,
    TeamCoverage,
    TeamRole,
    User,
)
from accounts.roles import Role

PASSWORD = "correct-horse-battery-9"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.WELFARE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(PASSWORD)

    roles: list = []  # a plain declaration, so traits can set it; popped in _create

    @classmethod
    def _create(cls, model_class, *args, roles=(), **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        for role in roles:
            user.groups.add(Group.objects.get(name=Role(role).value))
        return user

    class Params:
        field_worker = factory.Trait(roles=[Role.FIELD_WORKER])
        privacy_officer = factory.Trait(roles=[Role.PRIVACY_OFFICER], is_staff=True)
        admin = factory.Trait(roles=[Role.ADMIN], is_staff=True)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Buurtteam {n}")
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.BUURTTEAM)


class MappingVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MappingVersion
        django_get_or_create = ("label",)

    label = "test-2024"
    is_active = True


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"BU0344{n % 100:02d}{n // 100 % 100:02d}")
    wijk_code = factory.LazyAttribute(lambda o: "WK" + o.code[2:8])
    municipality_code = "GM0344"
    name = factory.LazyAttribute(lambda o: f"Buurt {o.code}")
    mapping_version = factory.SubFactory(MappingVersionFactory)


def member_of(team: Team, role: str = TeamRole.MEMBER, **user_fields: object) -> User:
    from accounts.services import team_membership_set
    from audit.context import AccessContext

    user = UserFactory(**user_fields)
    team_membership_set(
        team=team,
        user=user,
        role=role,
        actor=SystemActor("test"),
        context=AccessContext.system(role="test"),
    )
    return user


def cover(team: Team, neighbourhood: Neighbourhood) -> TeamCoverage:
    return TeamCoverage.objects.create(team=team, neighbourhood=neighbourhood)
