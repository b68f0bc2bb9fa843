"""The writing pipeline: templates, assistant, clean-up, evaluation, retries."""
