/**
 * Text normalisation every document goes through: valid UTF-8 (repaired or refused), Unicode NFC,
 * no control characters.
 */
package io.sluice.ingest.normalize;
