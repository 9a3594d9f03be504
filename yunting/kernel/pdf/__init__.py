"""Small PDF helpers over pypdf: page counts, text extraction, merging with bookmarks."""
