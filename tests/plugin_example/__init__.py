"""Small plugins used by tests/test_plugins.py: each exercises hooks of portal/hookspecs.py through the app."""
