//! Passphrase sources for encrypted secret keys (being built).
