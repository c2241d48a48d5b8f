import pytest

pytest_plugins = ["portal.testing"]


@pytest.fixture
def portal_plugins():
    return ["vo", "voorbeeldregio"]  # enabled by name, as in instance/portal.toml


@pytest.fixture
def portal_sector():
    return "VO"
