import pytest
from django.test import Client


@pytest.fixture
def bearer(users):
    """bearer("judge") → a Client that sends a fresh token of that user."""
    from yunting.interfaces.api.models import ApiToken

    def make(username: str) -> Client:
        _, raw = ApiToken.issue(user=users[username], name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


