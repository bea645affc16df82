/**
 * Atomic stage output (temporary location, then {@code _SUCCESS} and {@code stats.json}) and stage
 * statistics.
 */
package io.sluice.core.stage;
