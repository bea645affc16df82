/**
 * The retrieval datastore: documents split into passages, encoded by a document tower (ONNX), and
 * indexed densely (FAISS, through a hand-written JavaCPP binding) and by BM25 (Lucene); search in
 * bm25, dense and hybrid modes, query-tower distillation, and TREC-style evaluation.
 */
package io.sluice.index;
