import pytest
from prefect.testing.utilities import prefect_test_harness

from stemwire.flows.environment import configure_prefect_environment


@pytest.fixture(scope="session")
def prefect_harness():
    """One throwaway Prefect server (temporary database) for every test that runs the flow."""
    configure_prefect_environment()
    with prefect_test_harness(server_startup_timeout=120):
        yield
