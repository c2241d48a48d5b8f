"""Example region plugin "voorbeeldregio": every hook of the portal, as docs/plugins.md quotes it."""
