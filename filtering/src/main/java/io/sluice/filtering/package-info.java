/**
 * The filter stage: {@link io.sluice.filtering.FilterJob} scores documents (signals, rules, learned
 * score), assigns quality buckets, and reports what each rule removed; {@link
 * io.sluice.filtering.select} plans the compute-aware mixture.
 */
package io.sluice.filtering;
