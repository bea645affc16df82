/**
 * Ingest: raw corpora in, clean language-labelled documents out. {@link io.sluice.ingest.IngestJob}
 * is the Spark job; {@link io.sluice.ingest.DocumentBuilder} turns one raw record into a document.
 */
package io.sluice.ingest;
