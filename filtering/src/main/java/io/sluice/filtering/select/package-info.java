/**
 * Compute-aware data selection (Goyal et al., "Scaling Laws for Data Filtering — Data Curation
 * cannot be Compute Agnostic", CVPR 2024): which quality buckets to train on, and for how many
 * epochs, for a given token budget.
 */
package io.sluice.filtering.select;
