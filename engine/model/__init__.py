"""The model runner and GGUF metadata."""
