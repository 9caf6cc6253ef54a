"""hotline: a deconfliction hotline between parties who do not trust each other.

Subpackages (dependencies point downwards only):

    protocol/   sans-IO channel core: identities, envelopes, state machine, transcript
    catalogue/  typed notification formats, validation, rendering in each language
    engine/     deconfliction maths over numpy arrays
    feeds/      readers of real track formats
    storage/    the durable store
    transport/  the only code that touches sockets
    node/       the composition root
    api/        operator HTTP API
    console/    web console
    cli/        the ``hotline`` command
    testing/    fake clock, simulated network, helpers for tests
"""

__version__ = "0.1.0"
