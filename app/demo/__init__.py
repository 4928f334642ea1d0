"""Demo data: a populated instance to try the product from the first minute."""
