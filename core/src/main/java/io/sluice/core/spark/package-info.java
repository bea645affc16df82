/**
 * Spark sessions configured the Sluice way (local or cluster, S3 through s3a) and console progress
 * for long jobs.
 */
package io.sluice.core.spark;
