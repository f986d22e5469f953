"""The only package that talks to SQLite (through SQLModel); rows never leave it."""
