"""Environmental complaints filed by the public."""
