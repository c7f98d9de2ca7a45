pytest_plugins = ["tests.core_fixtures", "tests.servers.dovecot", "tests.servers.dms"]
