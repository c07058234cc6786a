"""The Streamlit shell of the portal: entrypoint, server routes, auth, i18n and UI pieces."""
