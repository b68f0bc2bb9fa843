"""Grammar checking: Harper, the LanguageTool server, languages, fixes."""
