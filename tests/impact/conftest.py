from tests.work.conftest import carer, people  # noqa: F401 - the same small cooperative
