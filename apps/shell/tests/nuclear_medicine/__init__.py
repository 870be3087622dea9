"""A module that is not in the project: installed by a test with override_settings, it
must show up everywhere modules are listed with nothing else edited."""
