"""A story bible from the writing itself: the people and places a project names again and
again (``names`` reads each document, ``bible`` proposes entries with their aliases and
kinds, ``continuity`` finds names spelled two ways). No OWL here: accepted entries go
into the project's knowledge base through ``ontology/``."""
