"""Where places are: coordinates from GeoNames, and the drawn map's projection."""
