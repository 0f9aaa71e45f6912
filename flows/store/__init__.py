"""The published graph in an embedded Oxigraph store under OUT/store/: one named graph per article."""
