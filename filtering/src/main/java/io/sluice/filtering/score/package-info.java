/**
 * The learned quality score: logistic regression over standardised signals and hashed word n-grams,
 * trained (in plain Java, with Adam) on reference "high-quality" text against random web text.
 */
package io.sluice.filtering.score;
