"""Domain and persistence for the Guiyang Eco-Environment Public Portal. No Streamlit here."""
