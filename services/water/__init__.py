"""Surface-water quality: GB 3838-2002 section classes, rivers, drinking-water sources."""
