"""Countries and ITU regions: the reference data every submission belongs to."""
