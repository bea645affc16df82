/**
 * The document schema every stage reads and writes (DESIGN.md §2), as Java records and as Spark
 * schemas.
 */
package io.sluice.core.doc;
