"""Documents drawn with Qt's text layout, for both front ends: the one place outside
``gui/`` that imports Qt. It may import ``engine/``; ``gui/`` imports it, and ``cli/`` only
lazily, for the one command that needs it (``convert ... out.pdf``)."""
