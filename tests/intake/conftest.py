from tests.filing.conftest import as_user, payload  # noqa: F401  (the filing tests' fixtures, shared)
