"""News and press releases -> companies, persons, countries, goods and text-derived claims with evidence.

Usage::

    nlp = build_pipeline(index.names)          # index = NameIndex.from_store(store)
    store.write(quarantine.filter(load_news(["articles/"], nlp, index)))
"""

from ingest.news.document import NewsDocument
from ingest.news.extract import NewsStats, extract_documents, load_news
from ingest.news.names_index import KnownName, NameIndex
from ingest.news.pipeline import PIPELINE_CONFIG, build_pipeline, pipeline_notes
from ingest.news.readers import DEFAULT_MAX_BYTES, read_file, read_paths
from ingest.news.records import EXTRACTOR, doc_to_records

__all__ = [
    "DEFAULT_MAX_BYTES", "EXTRACTOR", "KnownName", "NameIndex", "NewsDocument", "NewsStats", "PIPELINE_CONFIG",
    "build_pipeline", "doc_to_records", "extract_documents", "load_news", "pipeline_notes", "read_file",
    "read_paths",
]
