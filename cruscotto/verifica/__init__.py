"""verifica."""
