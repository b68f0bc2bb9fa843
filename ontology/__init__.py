"""Local OWL knowledge for prompts: plain Python, never imports Qt."""
