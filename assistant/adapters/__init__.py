"""Adapters to other frameworks' interfaces (LangChain). Each imports its framework itself."""
