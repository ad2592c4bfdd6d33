# The programme fixtures: a coordinator, the activation programme, women it admits.
from most.programmes.tests.conftest import activation, coordinator, make_woman  # noqa: F401
