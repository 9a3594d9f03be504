"""Court papers on cases: templates filled from the case, drafted, issued into the e-file, signed and sealed."""
