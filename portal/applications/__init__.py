"""Applications to the samenwerkingsverband (TLV, LWOO and the region's requests)."""
