"""duban (督办): the platform on which a county government drives its key work to completion."""

__version__ = "0.1.0"
