/**
 * The {@code sluice} command line and the {@code spark-submit} entry points: each stage is a
 * subcommand of {@link io.sluice.jobs.SluiceCli} and a main class of its own.
 */
package io.sluice.jobs;
