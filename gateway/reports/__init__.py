"""Reports on what the gateway took in (R21)."""
