import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are asserted in English here; their Chinese is checked once in test_inspect."""
    with translation.override("en"):
        yield
