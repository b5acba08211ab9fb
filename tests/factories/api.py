import factory

from api.models import ApiClient, Scope


class ApiClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiClient
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Council system {n}")
    scopes = factory.LazyFunction(lambda: list(Scope.values))
    is_active = True

    @factory.post_generation
    def local_authorities(client, create, extracted, **kwargs):
        if create and extracted:
            client.local_authorities.set(extracted)
