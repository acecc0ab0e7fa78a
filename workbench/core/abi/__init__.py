"""Which handler contract a parsed module or component speaks (pure)."""
