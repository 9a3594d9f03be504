import pytest

PASSWORD = "pw-for-tests-123"


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


