"""Real servers for the tests (no mocks): Dovecot IMAP (`tests.servers.dovecot`)."""
