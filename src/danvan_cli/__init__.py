"""danvan: parse and index Vietnamese administrative documents."""
__version__ = "0.1.0"

# Bump when a parser change alters what is extracted: `danvan ingest` re-parses every document
# indexed by an older parser version.
PARSER_VERSION = 1
