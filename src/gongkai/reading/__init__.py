"""Reading: any file to text with a map back to the original (readers), then tokens and cell values."""
