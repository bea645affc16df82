/**
 * The dedup stage: {@link io.sluice.dedup.DedupJob} removes exact duplicates (hash of normalized
 * text) and near duplicates (MinHash LSH, candidate verification, distributed connected
 * components), keeping one document per cluster and explaining every removal in {@code removed/}.
 */
package io.sluice.dedup;
