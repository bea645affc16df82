/**
 * Streaming readers of raw corpora: WARC/WET, JSONL (plain, gzip, zstd), Parquet and source code
 * (single files, tar and zip archives). Readers turn an input stream into {@link
 * io.sluice.ingest.read.RawDocument}s and quarantined records; they never drop a record silently.
 */
package io.sluice.ingest.read;
